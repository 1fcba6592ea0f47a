//! Promises: making them, closing them (kept, or dropped with a reason), the calls that ask
//! for a callback, and the time of day callbacks are due by. The ledger's read models are in
//! [`ledger`].

mod ledger;

pub use ledger::{customer_ledger, ledger, overdue_count};

use crate::access::{admin, office, require_customer_access};
use crate::error::{ServiceError, ServiceResult};
use crate::parse::parse_time;
use crate::state::AppState;
use chrono::{NaiveDate, NaiveTime};
use domain::promise::{callback_due, validate_text, MAX_PROMISE_TEXT};
use domain::{PromiseOrigin, PromiseStatus, Role, UserSummary};
use store::NewPromise;
use uuid::Uuid;

const CUTOFF_KEY: &str = "callback_cutoff";
const DEFAULT_CUTOFF: &str = "17:00";
/// The longest reason for dropping a promise that is kept.
const MAX_REASON: usize = 500;
const MAX_CALL_SUMMARY: usize = 2000;

/// The time of day callbacks are due by.
pub async fn callback_cutoff(state: &AppState) -> ServiceResult<NaiveTime> {
    let raw = state.store.setting(CUTOFF_KEY).await?;
    Ok(
        parse_time(raw.as_deref().unwrap_or(DEFAULT_CUTOFF), "cutoff")?
            .unwrap_or_else(|| NaiveTime::from_hms_opt(17, 0, 0).expect("valid")),
    )
}

/// A cutoff as a form gives it: a time is required.
pub fn parse_cutoff(raw: &str) -> ServiceResult<NaiveTime> {
    parse_time(raw, "cutoff")?
        .ok_or_else(|| ServiceError::invalid("Give the cutoff as HH:MM, e.g. 17:00."))
}

/// Sets the time of day callbacks are due by (admin).
pub async fn set_callback_cutoff(
    state: &AppState,
    user: &UserSummary,
    cutoff: NaiveTime,
) -> ServiceResult<()> {
    admin(user)?;
    let value = cutoff.format("%H:%M").to_string();
    state.store.set_setting(CUTOFF_KEY, &value).await?;
    Ok(())
}

/// A promise someone makes from the customer page.
#[derive(Clone, Debug)]
pub struct PromiseInput {
    pub customer_id: Uuid,
    pub text: String,
    pub due_on: NaiveDate,
    pub due_time: Option<NaiveTime>,
    /// Who keeps it; the maker when none.
    pub owner: Option<Uuid>,
}

/// Makes a promise. Anyone who serves the customer may make one for themselves; only the
/// office gives one to someone else, who must work here now.
pub async fn add(
    state: &AppState,
    user: &UserSummary,
    input: PromiseInput,
) -> ServiceResult<domain::Promise> {
    require_customer_access(state, user, input.customer_id).await?;
    // The office reaches every id: say so plainly instead of failing on the foreign key.
    if state.store.get_customer(input.customer_id).await?.is_none() {
        return Err(ServiceError::invalid("There is no customer with that id."));
    }
    let text = validate_text(&input.text).map_err(ServiceError::Invalid)?;
    if !domain::plausible_date(input.due_on) {
        return Err(ServiceError::invalid(
            "The due date is out of range; give a day before the year 2200.",
        ));
    }
    if input.due_on < state.today() {
        return Err(ServiceError::invalid(
            "The due date is in the past; a promise needs a day still to come.",
        ));
    }
    let owner_id = input.owner.unwrap_or(user.id);
    if owner_id != user.id && !user.role.sees_all_customers() {
        return Err(ServiceError::forbidden());
    }
    let active = state.store.list_users(None).await?;
    if !active.iter().any(|u| u.id == owner_id) {
        return Err(ServiceError::invalid(
            "Choose who owns the promise from the people who work here now.",
        ));
    }
    let promise = NewPromise {
        id: domain::new_id(),
        customer_id: input.customer_id,
        owner_id,
        text,
        due_on: input.due_on,
        due_time: input.due_time,
        origin: if user.role == Role::Technician {
            PromiseOrigin::Visit
        } else {
            PromiseOrigin::Office
        },
        visit_id: None,
        created_by: user.id,
    };
    Ok(state
        .store
        .create_promise(promise, state.clock.now())
        .await?)
}

/// How a promise ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    /// Dropped, and why.
    Dropped(String),
}

impl Outcome {
    /// A form's outcome ("kept" or "dropped") and reason.
    pub fn parse(outcome: &str, reason: &str) -> ServiceResult<Outcome> {
        match outcome {
            "kept" => Ok(Outcome::Kept),
            "dropped" => Ok(Outcome::Dropped(reason.to_string())),
            other => Err(ServiceError::invalid(format!(
                "{other:?} is not an outcome; use kept or dropped."
            ))),
        }
    }
}

/// Closes a promise. Anyone serving the customer may mark it kept; dropping one is for its
/// owner or the office, with a reason.
pub async fn close(
    state: &AppState,
    user: &UserSummary,
    id: Uuid,
    outcome: Outcome,
) -> ServiceResult<domain::Promise> {
    let promise = state
        .store
        .get_promise(id)
        .await?
        .ok_or_else(|| ServiceError::not_found("No promise has that id."))?;
    require_customer_access(state, user, promise.customer_id).await?;
    let (status, reason) = match outcome {
        Outcome::Kept => (PromiseStatus::Kept, None),
        Outcome::Dropped(reason) => {
            if promise.owner_id != user.id && !user.role.sees_all_customers() {
                return Err(ServiceError::Forbidden(
                    "Only the promise's owner or the office can drop it.".into(),
                ));
            }
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(ServiceError::invalid("Say why the promise is dropped."));
            }
            domain::text::check_text("The reason", reason).map_err(ServiceError::Invalid)?;
            let reason = reason.chars().take(MAX_REASON).collect();
            (PromiseStatus::Dropped, Some(reason))
        }
    };
    let now = state.clock.now();
    Ok(state
        .store
        .close_promise(id, status, reason, user.id, now)
        .await?)
}

/// Logs a customer's call (office); a call asking for a callback makes a promise due by the
/// end of the business day (the callback cutoff), both in one step.
pub async fn log_call(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
    summary: &str,
    callback: bool,
) -> ServiceResult<store::Call> {
    let user = office(user)?;
    let customer = state.customer(customer_id).await?;
    let summary = summary.trim();
    if summary.is_empty() || summary.chars().count() > MAX_CALL_SUMMARY {
        return Err(ServiceError::invalid(
            "Say in a few words (up to 2000 characters) what the call was about.",
        ));
    }
    domain::text::check_text("The call summary", summary).map_err(ServiceError::Invalid)?;
    let promise = if callback {
        let (due_on, due_time) = callback_due(state.local_now(), callback_cutoff(state).await?);
        Some(NewPromise {
            id: domain::new_id(),
            customer_id,
            owner_id: user.id,
            text: format!("Call {} back: {summary}", customer.name)
                .chars()
                .take(MAX_PROMISE_TEXT)
                .collect(),
            due_on,
            due_time: Some(due_time),
            origin: PromiseOrigin::Call,
            visit_id: None,
            created_by: user.id,
        })
    } else {
        None
    };
    let now = state.clock.now();
    Ok(state
        .store
        .log_call(customer_id, summary.into(), promise, user.id, now)
        .await?)
}
