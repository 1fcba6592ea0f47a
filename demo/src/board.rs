//! The office's day board: two requests nobody has been given yet, and a continuity break on
//! Dorothy's next visit (Sam is on vacation), with its promise to tell her who is coming.

use crate::promises::Promises;
use crate::DOROTHY;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use domain::continuity::BreakReason;
use domain::{new_id, PromiseOrigin, UserSummary, VisitStatus};
use store::{NewBreak, NewVisit, Store, StoreResult, VisitMove};

pub(crate) async fn seed_board(
    store: &dyn Store,
    promises: &Promises<'_>,
    techs: &[&UserSummary],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let Promises {
        customers,
        office,
        today,
    } = *promises;
    // Two requests the office took but has not given to anyone yet: on the board's
    // "Unassigned" lane, today and tomorrow.
    for (n, day) in [(20usize, 0i64), (31, 1)] {
        let visit = NewVisit {
            id: new_id(),
            plan: None,
            created_by: Some(office),
            customer_id: customers[n].0,
            technician_id: None,
            scheduled_on: today + Duration::days(day),
            window_start: NaiveTime::from_hms_opt(13, 0, 0),
            window_end: NaiveTime::from_hms_opt(15, 0, 0),
            position: 0,
            status: VisitStatus::Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
        };
        store.create_visit(visit, now - Duration::hours(3)).await?;
    }

    // Sam's on vacation for Dorothy's visit next week: Priya goes, and Dorothy must be told.
    let (dorothy, sam) = customers[0];
    let next_week = today + Duration::days(7);
    let visits = store.customer_visits(dorothy, next_week, next_week).await?;
    if let Some(visit) = visits.first() {
        let mut tell = promises.promise(0, office, &format!("Tell {DOROTHY} who is coming"), 6);
        tell.origin = PromiseOrigin::ContinuityBreak;
        tell.visit_id = Some(visit.id);
        let priya = techs.iter().find(|t| t.id != sam).map(|t| t.id);
        let mv = VisitMove {
            visit_id: visit.id,
            technician_id: priya,
            day: next_week,
            position: None,
            by: office,
            continuity_break: Some(NewBreak {
                reason: BreakReason::Vacation,
                reason_text: "Sam is away that week".into(),
                promise: tell,
            }),
        };
        store.move_visit(mv, now - Duration::hours(1)).await?;
    }
    Ok(())
}
