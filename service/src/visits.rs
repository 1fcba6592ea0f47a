//! Visits: one-off visits the office schedules, and visits as people read them.

use crate::access::office;
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::{UserSummary, Visit, VisitStatus};
use uuid::Uuid;

/// Where a one-off visit goes in the day: after the planned stops (the dispatcher reorders on
/// the board).
const ONE_OFF_POSITION: i64 = 1000;

/// "arrived 09:12, left 09:47", or the skip reason, in the organisation's time.
pub fn progress_times(v: &Visit, tz: chrono_tz::Tz) -> String {
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let mut parts = vec![];
    if let Some(t) = v.arrived_at {
        parts.push(format!("arrived {}", at(t)));
    }
    if let Some(t) = v.departed_at {
        parts.push(format!("left {}", at(t)));
    }
    if let Some(reason) = &v.skip_reason {
        parts.push(format!("skipped: {reason}"));
    }
    parts.join(", ")
}

/// A time window, when both ends are given, ends after it starts.
pub fn check_window(start: Option<NaiveTime>, end: Option<NaiveTime>) -> ServiceResult<()> {
    match (start, end) {
        (Some(s), Some(e)) if e <= s => Err(ServiceError::invalid(
            "The window must end after it starts.",
        )),
        _ => Ok(()),
    }
}

/// Schedules a one-off visit with the customer's own technician (office), today or later.
pub async fn add_one_off(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
    date: NaiveDate,
    window_start: Option<NaiveTime>,
    window_end: Option<NaiveTime>,
) -> ServiceResult<Visit> {
    let me = office(user)?;
    let customer = state.customer(customer_id).await?;
    if date < state.today() {
        return Err(ServiceError::invalid("Choose today or a day to come."));
    }
    check_window(window_start, window_end)?;
    let visit = store::NewVisit {
        id: domain::new_id(),
        plan: None,
        created_by: Some(me.id),
        customer_id,
        technician_id: customer.assigned_technician_id,
        scheduled_on: date,
        window_start,
        window_end,
        position: ONE_OFF_POSITION,
        status: VisitStatus::Scheduled,
        arrived_at: None,
        departed_at: None,
        skip_reason: None,
    };
    Ok(state.store.create_visit(visit, state.clock.now()).await?)
}
