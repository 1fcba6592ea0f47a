//! The day board: every technician's day side by side, where the dispatcher orders and moves
//! visits — and where the continuity guard stops a visit going to a stranger unannounced.

mod page;

pub use page::BoardPage;

use crate::error::AppError;
use chrono::NaiveDate;
use domain::{Priority, UserSummary, Visit};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One visit on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardStop {
    pub visit: Visit,
    pub customer_name: String,
    /// "arrived 09:12, left 09:47" as synced from the phone, in the organisation's time.
    pub progress: String,
    /// Going to someone other than the customer's assigned technician.
    pub substitute: bool,
}

/// One technician's day (or the unassigned visits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub technician_id: Option<Uuid>,
    pub name: String,
    pub stops: Vec<BoardStop>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub date: NaiveDate,
    pub today: NaiveDate,
    pub lanes: Vec<Lane>,
    pub technicians: Vec<UserSummary>,
}

/// What the dispatcher must see before a move is saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveCheck {
    pub visit_id: Uuid,
    pub customer_id: Uuid,
    /// Who would go; none leaves the visit unassigned.
    pub technician_id: Option<Uuid>,
    pub date: NaiveDate,
    /// The move sends someone other than the customer's technician.
    pub is_break: bool,
    pub customer_name: String,
    pub assigned_name: Option<String>,
    pub new_name: Option<String>,
    /// "Same technician" wishes first.
    pub priorities: Vec<Priority>,
}

#[server(endpoint = "board/day")]
pub async fn board_day(date: String) -> Result<Board, AppError> {
    ssr::board(&date).await
}

#[server(endpoint = "board/check")]
pub async fn check_move(
    visit_id: String,
    technician: String,
    date: String,
) -> Result<MoveCheck, AppError> {
    ssr::check(&visit_id, &technician, &date).await
}

/// Moves a visit. If it breaks continuity, `reason` is required and a promise to tell the
/// customer who is coming is created for the dispatcher.
#[server(endpoint = "board/move")]
pub async fn move_visit(
    visit_id: String,
    technician: String,
    date: String,
    #[server(default)] position: Option<String>,
    #[server(default)] reason: Option<String>,
    #[server(default)] reason_text: Option<String>,
) -> Result<(), AppError> {
    ssr::move_to(ssr::MoveForm {
        visit_id,
        technician,
        date,
        position,
        reason,
        reason_text,
    })
    .await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::state::*;
    use domain::continuity::{is_break, priorities_for_break, BreakReason};
    use domain::{PromiseOrigin, Role};
    use store::{NewBreak, NewPromise, VisitMove};

    pub async fn board(raw_date: &str) -> Result<Board, AppError> {
        let state = app_state()?;
        require_role(OFFICE_ROLES)?;
        let today = state.today();
        let date = if raw_date.trim().is_empty() {
            today
        } else {
            parse_date(raw_date, "day")?
        };
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
                progress: crate::customers::progress_times(&visit, state.time_zone),
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

    pub async fn check(
        raw_visit: &str,
        raw_technician: &str,
        raw_date: &str,
    ) -> Result<MoveCheck, AppError> {
        let state = app_state()?;
        require_role(OFFICE_ROLES)?;
        let visit_id = parse_id(raw_visit, "visit")?;
        let technician = state.technician(raw_technician).await?;
        let date = parse_date(raw_date, "day")?;
        let visit = state
            .store
            .get_visit(visit_id)
            .await?
            .ok_or_else(|| with_status(AppError::NotFound("No visit has that id.".into())))?;
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

    pub struct MoveForm {
        pub visit_id: String,
        pub technician: String,
        pub date: String,
        pub position: Option<String>,
        pub reason: Option<String>,
        pub reason_text: Option<String>,
    }

    pub async fn move_to(form: MoveForm) -> Result<(), AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let check = check(&form.visit_id, &form.technician, &form.date).await?;
        let today = state.today();
        if check.date < today {
            return Err(with_status(AppError::Invalid(
                "That day has passed; choose today or a day to come.".into(),
            )));
        }
        let position = match form.position.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
                with_status(AppError::Invalid(format!(
                    "{raw:?} is not a place in the day."
                )))
            })?),
        };
        let continuity_break = if check.is_break {
            let reason = form
                .reason
                .as_deref()
                .and_then(BreakReason::parse)
                .ok_or_else(|| {
                    with_status(AppError::Invalid(format!(
                        "{} is {}'s customer. Choose why someone else is going.",
                        check.customer_name,
                        check
                            .assigned_name
                            .as_deref()
                            .unwrap_or("another technician"),
                    )))
                })?;
            let reason_text = form.reason_text.unwrap_or_default().trim().to_string();
            if reason == BreakReason::Other && reason_text.is_empty() {
                return Err(with_status(AppError::Invalid(
                    "Say in a few words why someone else is going.".into(),
                )));
            }
            domain::text::check_text("The reason", &reason_text)
                .map_err(|m| with_status(AppError::Invalid(m)))?;
            // Tell them the day before, or today if the visit is today.
            let due_on = (check.date - chrono::Duration::days(1)).max(today);
            Some(NewBreak {
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
        } else {
            None
        };
        let mv = VisitMove {
            visit_id: check.visit_id,
            technician_id: check.technician_id,
            day: check.date,
            position,
            by: me.id,
            continuity_break,
        };
        state.store.move_visit(mv, state.clock.now()).await?;
        Ok(())
    }
}
