//! The promise ledger: every commitment made to a customer, who owns it and when it is due;
//! overdue ones impossible to miss; callbacks from logged calls.

mod page;

pub use page::{CustomerPromises, LogCallForm, OverdueBadge, PromiseActions, PromisesPage};

use crate::error::AppError;
use domain::promise::OnTimeRate;
use domain::Promise;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A promise with the names a person reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromiseRow {
    pub promise: Promise,
    pub customer_name: String,
    pub owner_name: String,
    pub overdue: bool,
}

/// The office's view of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub overdue: Vec<PromiseRow>,
    /// Open and not yet due, soonest first.
    pub upcoming: Vec<PromiseRow>,
    /// Kept on time, per owner, best first.
    pub rates: Vec<(String, OnTimeRate)>,
    pub callback_cutoff: String,
    pub is_admin: bool,
}

/// A customer's promises and how reliably they were kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerLedger {
    pub rows: Vec<PromiseRow>,
    pub rate: OnTimeRate,
    /// People a promise can be given to.
    pub owners: Vec<domain::UserSummary>,
    pub today: chrono::NaiveDate,
}

/// How many promises are overdue: the viewer's own for a technician, everyone's for the office.
#[server(endpoint = "promises/overdue-count")]
pub async fn overdue_count() -> Result<usize, AppError> {
    ssr::overdue_count().await
}

#[server(endpoint = "promises/ledger")]
pub async fn load_ledger() -> Result<Ledger, AppError> {
    ssr::load_ledger().await
}

#[server(endpoint = "promises/customer")]
pub async fn load_customer_ledger(customer_id: String) -> Result<CustomerLedger, AppError> {
    ssr::customer_ledger(&customer_id).await
}

/// Makes a promise from the customer page.
#[server(endpoint = "promises/add")]
pub async fn add_promise(
    customer_id: String,
    text: String,
    due_on: String,
    #[server(default)] due_time: String,
    owner: String,
) -> Result<(), AppError> {
    ssr::add(&customer_id, &text, &due_on, &due_time, &owner).await
}

/// Marks a promise kept, or dropped with a reason.
#[server(endpoint = "promises/close")]
pub async fn close_promise(
    id: String,
    outcome: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    ssr::close(&id, &outcome, &reason).await
}

/// Logs a customer's call; "call back" makes a promise due by the end of the business day.
#[server(endpoint = "promises/call")]
pub async fn log_call(
    customer_id: String,
    summary: String,
    #[server(default)] callback: Option<String>,
) -> Result<(), AppError> {
    ssr::call(&customer_id, &summary, callback.is_some()).await
}

/// Sets the time of day callbacks are due by (admin).
#[server(endpoint = "promises/cutoff")]
pub async fn set_callback_cutoff(cutoff: String) -> Result<(), AppError> {
    ssr::set_cutoff(&cutoff).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::state::*;
    use chrono::NaiveTime;
    use domain::promise::{callback_due, on_time_rate, validate_text};
    use domain::{PromiseOrigin, PromiseStatus, Role};
    use std::collections::HashMap;
    use store::{NewPromise, PromiseFilter};
    use uuid::Uuid;

    const CUTOFF_KEY: &str = "callback_cutoff";
    const DEFAULT_CUTOFF: &str = "17:00";

    async fn cutoff(state: &AppState) -> Result<NaiveTime, AppError> {
        let raw = state.store.setting(CUTOFF_KEY).await?;
        Ok(
            parse_time(raw.as_deref().unwrap_or(DEFAULT_CUTOFF), "cutoff")?
                .unwrap_or_else(|| NaiveTime::from_hms_opt(17, 0, 0).expect("valid")),
        )
    }

    /// Open promises the viewer answers for: a technician's own, everyone's for the office.
    fn scope(user: &domain::UserSummary) -> PromiseFilter {
        PromiseFilter {
            owner_id: (user.role == Role::Technician).then_some(user.id),
            status: Some(PromiseStatus::Open),
            ..Default::default()
        }
    }

    pub async fn overdue_count() -> Result<usize, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let now = state.local_now();
        let mut filter = scope(&user);
        filter.due_by = Some(state.today());
        let open = state.store.promises(&filter).await?;
        Ok(open.iter().filter(|p| p.is_overdue(now)).count())
    }

    async fn rows(
        state: &AppState,
        promises: Vec<Promise>,
        names: &HashMap<Uuid, String>,
    ) -> Result<Vec<PromiseRow>, AppError> {
        let now = state.local_now();
        let mut customers: HashMap<Uuid, String> = HashMap::new();
        let mut rows = vec![];
        for p in promises {
            if let std::collections::hash_map::Entry::Vacant(slot) = customers.entry(p.customer_id)
            {
                let customer = state.store.get_customer(p.customer_id).await?;
                slot.insert(customer.map(|c| c.name).unwrap_or_default());
            }
            rows.push(PromiseRow {
                customer_name: customers[&p.customer_id].clone(),
                owner_name: names.get(&p.owner_id).cloned().unwrap_or_default(),
                overdue: p.is_overdue(now),
                promise: p,
            });
        }
        Ok(rows)
    }

    pub async fn load_ledger() -> Result<Ledger, AppError> {
        let state = app_state()?;
        let user = require_user()?;
        let names = state.names().await?;
        let open = state.store.promises(&scope(&user)).await?;
        let open = rows(&state, open, &names).await?;
        let (overdue, upcoming) = open.into_iter().partition(|r| r.overdue);
        // Rates over everything the viewer can see.
        let all = state
            .store
            .promises(&PromiseFilter {
                owner_id: (user.role == Role::Technician).then_some(user.id),
                ..Default::default()
            })
            .await?;
        let mut by_owner: HashMap<Uuid, Vec<Promise>> = HashMap::new();
        for p in all {
            by_owner.entry(p.owner_id).or_default().push(p);
        }
        let now = state.local_now();
        let mut rates: Vec<(String, OnTimeRate)> = by_owner
            .into_iter()
            .map(|(owner, ps)| {
                let rate = on_time_rate(&ps, now, |t| state.to_local(t));
                (names.get(&owner).cloned().unwrap_or_default(), rate)
            })
            .filter(|(_, r)| r.came_due > 0)
            .collect();
        rates.sort_by(|a, b| b.1.percent().cmp(&a.1.percent()).then(a.0.cmp(&b.0)));
        Ok(Ledger {
            overdue,
            upcoming,
            rates,
            callback_cutoff: cutoff(&state).await?.format("%H:%M").to_string(),
            is_admin: user.role == Role::Admin,
        })
    }

    pub async fn customer_ledger(raw_id: &str) -> Result<CustomerLedger, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let id = parse_id(raw_id, "customer")?;
        require_customer_access(&state, &user, id).await?;
        let promises = state
            .store
            .promises(&PromiseFilter {
                customer_id: Some(id),
                ..Default::default()
            })
            .await?;
        let rate = on_time_rate(&promises, state.local_now(), |t| state.to_local(t));
        let owners = if user.role.sees_all_customers() {
            state.store.list_users(None).await?
        } else {
            vec![user.clone()]
        };
        Ok(CustomerLedger {
            rows: rows(&state, promises, &state.names().await?).await?,
            rate,
            owners,
            today: state.today(),
        })
    }

    pub async fn add(
        raw_customer: &str,
        text: &str,
        due_on: &str,
        due_time: &str,
        raw_owner: &str,
    ) -> Result<(), AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let customer_id = parse_id(raw_customer, "customer")?;
        require_customer_access(&state, &user, customer_id).await?;
        let text = validate_text(text).map_err(ServiceError::Invalid)?;
        let due_on = parse_date(due_on, "due date")?;
        if due_on < state.today() {
            return Err(AppError::from(ServiceError::Invalid(
                "The due date is in the past; a promise needs a day still to come.".into(),
            )));
        }
        let owner_id = if raw_owner.trim().is_empty() {
            user.id
        } else {
            parse_id(raw_owner, "owner")?
        };
        if owner_id != user.id && !user.role.sees_all_customers() {
            return Err(AppError::from(ServiceError::forbidden()));
        }
        let active = state.store.list_users(None).await?;
        if !active.iter().any(|u| u.id == owner_id) {
            return Err(AppError::from(ServiceError::Invalid(
                "Choose who owns the promise from the people who work here now.".into(),
            )));
        }
        let promise = NewPromise {
            id: domain::new_id(),
            customer_id,
            owner_id,
            text,
            due_on,
            due_time: parse_time(due_time, "due time")?,
            origin: if user.role == Role::Technician {
                PromiseOrigin::Visit
            } else {
                PromiseOrigin::Office
            },
            visit_id: None,
            created_by: user.id,
        };
        state
            .store
            .create_promise(promise, state.clock.now())
            .await?;
        Ok(())
    }

    pub async fn close(raw_id: &str, outcome: &str, reason: &str) -> Result<(), AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let id = parse_id(raw_id, "promise")?;
        let promise = state.store.get_promise(id).await?.ok_or_else(|| {
            AppError::from(ServiceError::NotFound("No promise has that id.".into()))
        })?;
        require_customer_access(&state, &user, promise.customer_id).await?;
        let (status, reason) = match outcome {
            "kept" => (PromiseStatus::Kept, None),
            "dropped" => {
                // Anyone serving the customer may keep a promise; dropping one is for its
                // owner or the office.
                if promise.owner_id != user.id && !user.role.sees_all_customers() {
                    return Err(AppError::from(ServiceError::Forbidden(
                        "Only the promise's owner or the office can drop it.".into(),
                    )));
                }
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(AppError::from(ServiceError::Invalid(
                        "Say why the promise is dropped.".into(),
                    )));
                }
                domain::text::check_text("The reason", reason).map_err(ServiceError::Invalid)?;
                (
                    PromiseStatus::Dropped,
                    Some(reason.chars().take(500).collect()),
                )
            }
            other => {
                return Err(AppError::from(ServiceError::Invalid(format!(
                    "{other:?} is not an outcome; use kept or dropped."
                ))))
            }
        };
        state
            .store
            .close_promise(id, status, reason, user.id, state.clock.now())
            .await?;
        Ok(())
    }

    pub async fn call(raw_customer: &str, summary: &str, callback: bool) -> Result<(), AppError> {
        let state = app_state()?;
        let user = require_role(OFFICE_ROLES)?;
        let customer_id = parse_id(raw_customer, "customer")?;
        let customer = state.customer(customer_id).await?;
        let summary = summary.trim();
        if summary.is_empty() || summary.chars().count() > 2000 {
            return Err(AppError::from(ServiceError::Invalid(
                "Say in a few words (up to 2000 characters) what the call was about.".into(),
            )));
        }
        domain::text::check_text("The call summary", summary).map_err(ServiceError::Invalid)?;
        let promise = if callback {
            let (due_on, due_time) = callback_due(state.local_now(), cutoff(&state).await?);
            Some(NewPromise {
                id: domain::new_id(),
                customer_id,
                owner_id: user.id,
                text: format!("Call {} back: {summary}", customer.name)
                    .chars()
                    .take(domain::promise::MAX_PROMISE_TEXT)
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
        state
            .store
            .log_call(
                customer_id,
                summary.into(),
                promise,
                user.id,
                state.clock.now(),
            )
            .await?;
        Ok(())
    }

    pub async fn set_cutoff(raw: &str) -> Result<(), AppError> {
        let state = app_state()?;
        require_role(&[Role::Admin])?;
        let time = parse_time(raw, "cutoff")?.ok_or_else(|| {
            AppError::from(ServiceError::Invalid(
                "Give the cutoff as HH:MM, e.g. 17:00.".into(),
            ))
        })?;
        state
            .store
            .set_setting(CUTOFF_KEY, &time.format("%H:%M").to_string())
            .await?;
        Ok(())
    }
}
