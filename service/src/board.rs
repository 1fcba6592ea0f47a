//! The day board and the continuity guard: a visit does not go to someone other than the
//! customer's technician without a reason, and without a promise to tell the customer.

use crate::access::{require_role, OFFICE_ROLES};
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::visits::progress_times;
use chrono::{Duration, NaiveDate};
use domain::board::{Board, BoardStop, Lane, MoveCheck};
use domain::continuity::{is_break, priorities_for_break, BreakReason};
use domain::{PromiseOrigin, Role, UserSummary};
use store::{NewBreak, NewPromise, VisitMove};
use uuid::Uuid;

fn office(user: &UserSummary) -> ServiceResult<UserSummary> {
    require_role(Some(user.clone()), OFFICE_ROLES)
}

/// Every technician's day side by side (today if no date), with a lane for unassigned visits.
pub async fn day(
    state: &AppState,
    user: &UserSummary,
    date: Option<NaiveDate>,
) -> ServiceResult<Board> {
    office(user)?;
    let today = state.today();
    let date = date.unwrap_or(today);
    let names = state.names().await?;
    let technicians = state.store.list_users(Some(Role::Technician)).await?;
    let mut lanes: Vec<Lane> = technicians
        .iter()
        .map(|t| Lane {
            technician_id: Some(t.id),
            name: t.name.clone(),
            stops: vec![],
        })
        .collect();
    lanes.push(Lane {
        technician_id: None,
        name: "Unassigned".into(),
        stops: vec![],
    });
    for visit in state.store.visits_on(date).await? {
        let customer = state.store.get_customer(visit.customer_id).await?;
        let (customer_name, assigned) = customer
            .map(|c| (c.name, c.assigned_technician_id))
            .unwrap_or_default();
        let stop = BoardStop {
            progress: progress_times(&visit, state.time_zone),
            substitute: assigned.is_some()
                && visit.technician_id.is_some()
                && visit.technician_id != assigned,
            customer_name,
            visit,
        };
        match lanes
            .iter_mut()
            .find(|l| l.technician_id == stop.visit.technician_id)
        {
            Some(lane) => lane.stops.push(stop),
            // A visit of someone who has since left: shown under their name.
            None => lanes.push(Lane {
                technician_id: stop.visit.technician_id,
                name: stop
                    .visit
                    .technician_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
                stops: vec![stop],
            }),
        }
    }
    Ok(Board {
        date,
        today,
        lanes,
        technicians,
    })
}

/// What the dispatcher must see before giving a visit to `technician` on `date`: whether it
/// breaks continuity, and the customer's priorities ("same technician" wishes first).
pub async fn check_move(
    state: &AppState,
    user: &UserSummary,
    visit_id: Uuid,
    technician: Option<Uuid>,
    date: NaiveDate,
) -> ServiceResult<MoveCheck> {
    office(user)?;
    state.require_technicians(technician).await?;
    let visit = state
        .store
        .get_visit(visit_id)
        .await?
        .ok_or_else(|| ServiceError::not_found("No visit has that id."))?;
    let customer = state.customer(visit.customer_id).await?;
    let names = state.names().await?;
    let name = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    let priorities = state.store.priorities_of(&[customer.id]).await?;
    Ok(MoveCheck {
        visit_id,
        customer_id: customer.id,
        technician_id: technician,
        date,
        is_break: is_break(
            customer.assigned_technician_id,
            visit.technician_id,
            technician,
        ),
        customer_name: customer.name,
        assigned_name: name(customer.assigned_technician_id),
        new_name: name(technician),
        priorities: priorities_for_break(&priorities),
    })
}

/// A visit to move: to whom, which day, where in the day, and (for a continuity break) why.
#[derive(Clone, Debug)]
pub struct MoveRequest {
    pub visit_id: Uuid,
    pub technician: Option<Uuid>,
    pub date: NaiveDate,
    /// Place in the technician's day, from 0; none puts it last.
    pub position: Option<usize>,
    pub reason: Option<BreakReason>,
    pub reason_text: String,
}

/// Moves a visit. If it breaks continuity, a reason is required and a promise to tell the
/// customer who is coming is made for the dispatcher, due the day before the visit.
pub async fn move_visit(
    state: &AppState,
    user: &UserSummary,
    request: MoveRequest,
) -> ServiceResult<()> {
    let me = office(user)?;
    let check = check_move(
        state,
        user,
        request.visit_id,
        request.technician,
        request.date,
    )
    .await?;
    let today = state.today();
    if check.date < today {
        return Err(ServiceError::invalid(
            "That day has passed; choose today or a day to come.",
        ));
    }
    let continuity_break = if check.is_break {
        Some(continuity_break(&check, &me, today, &request)?)
    } else {
        None
    };
    let mv = VisitMove {
        visit_id: check.visit_id,
        technician_id: check.technician_id,
        day: check.date,
        position: request.position,
        by: me.id,
        continuity_break,
    };
    state.store.move_visit(mv, state.clock.now()).await?;
    Ok(())
}

/// The guard: why someone else is going, and the promise to tell the customer.
fn continuity_break(
    check: &MoveCheck,
    me: &UserSummary,
    today: NaiveDate,
    request: &MoveRequest,
) -> ServiceResult<NewBreak> {
    let reason = request.reason.ok_or_else(|| {
        ServiceError::invalid(format!(
            "{} is {}'s customer. Choose why someone else is going.",
            check.customer_name,
            check
                .assigned_name
                .as_deref()
                .unwrap_or("another technician"),
        ))
    })?;
    let reason_text = request.reason_text.trim().to_string();
    if reason == BreakReason::Other && reason_text.is_empty() {
        return Err(ServiceError::invalid(
            "Say in a few words why someone else is going.",
        ));
    }
    domain::text::check_text("The reason", &reason_text).map_err(ServiceError::Invalid)?;
    // Tell them the day before, or today if the visit is today.
    let due_on = (check.date - Duration::days(1)).max(today);
    Ok(NewBreak {
        reason,
        reason_text: reason_text.chars().take(500).collect(),
        promise: NewPromise {
            id: domain::new_id(),
            customer_id: check.customer_id,
            owner_id: me.id,
            text: format!(
                "Tell {} who is coming: {} instead of {}, on {}",
                check.customer_name,
                check.new_name.as_deref().unwrap_or("someone new"),
                check.assigned_name.as_deref().unwrap_or("their technician"),
                check.date.format("%a %-d %b"),
            ),
            due_on,
            due_time: None,
            origin: PromiseOrigin::ContinuityBreak,
            visit_id: Some(check.visit_id),
            created_by: me.id,
        },
    })
}
