use crate::error::AppError;
use domain::{Customer, CustomerSummary, Priority, UserSummary, Visit};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A visit as the office reads it: who went, and when they arrived and left (in the
/// organisation's time zone) or why it was skipped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitLine {
    pub visit: Visit,
    pub technician: Option<String>,
    pub times: String,
}

/// Everything the customer page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    /// Active priorities, pinned first.
    pub priorities: Vec<Priority>,
    pub assigned_name: Option<String>,
    pub backup_name: Option<String>,
    /// Technicians to choose from (office and admin only; empty for technicians).
    pub technicians: Vec<UserSummary>,
    /// Visits from a month ago to a month ahead.
    pub visits: Vec<VisitLine>,
    /// Edits from phones that collided with a newer office edit: both values, unsettled.
    pub conflicts: Vec<domain::FieldConflict>,
    /// What technicians wrote at visits, newest first, with the author's name.
    pub notes: Vec<(domain::sync::VisitNote, String)>,
    /// Whether the viewer may edit the customer and assign technicians.
    pub can_manage: bool,
}

#[server(endpoint = "customers/list")]
pub async fn list_customers(search: String) -> Result<Vec<CustomerSummary>, AppError> {
    use crate::state::{app_state, require_user};
    let user = require_user()?;
    let filter = store::CustomerFilter {
        search: search.chars().take(200).collect(),
        served_by: (!user.role.sees_all_customers()).then_some(user.id),
        limit: 500,
    };
    Ok(app_state()?.store.list_customers(&filter).await?)
}

#[server(endpoint = "customers/get")]
pub async fn get_customer(id: String) -> Result<CustomerDetail, AppError> {
    ssr::customer_detail(&id).await
}

/// Creates a customer (empty `id`) or updates one, then opens its page.
#[server(endpoint = "customers/save")]
pub async fn save_customer(
    id: Option<String>,
    name: String,
    contact_name: String,
    address: String,
    phone: String,
    email: String,
    access_notes: String,
) -> Result<(), AppError> {
    let draft = domain::CustomerDraft {
        name,
        contact_name,
        address,
        phone,
        email,
        access_notes,
    };
    ssr::save(id.unwrap_or_default(), draft).await
}

/// Sets the customer's assigned technician (the face they know) and backup.
#[server(endpoint = "customers/assign")]
pub async fn assign_technicians(
    customer_id: String,
    assigned: String,
    backup: String,
) -> Result<(), AppError> {
    ssr::assign(&customer_id, &assigned, &backup).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CustomerDetail, VisitLine};
    use crate::error::AppError;
    use crate::state::with_status;
    use crate::state::*;
    use chrono::Duration;
    use domain::{CustomerDraft, Role};
    use std::collections::HashMap;
    use uuid::Uuid;

    pub async fn customer_detail(raw_id: &str) -> Result<CustomerDetail, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let id = parse_id(raw_id, "customer").map_err(with_status)?;
        require_customer_access(&state, &user, id)
            .await
            .map_err(with_status)?;
        let customer =
            state.store.get_customer(id).await?.ok_or_else(|| {
                with_status(AppError::NotFound("No customer has that id.".into()))
            })?;
        let priorities = domain::priority::for_display(state.store.priorities_of(&[id]).await?);
        let users = state.store.list_users(None).await?;
        let names: HashMap<Uuid, String> = users.iter().map(|u| (u.id, u.name.clone())).collect();
        let name_of = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
        let today = state.today();
        let visits = state
            .store
            .customer_visits(id, today - Duration::days(31), today + Duration::days(31))
            .await?
            .into_iter()
            .map(|visit| VisitLine {
                technician: name_of(visit.technician_id),
                times: times(&visit, state.time_zone),
                visit,
            })
            .collect();
        let notes = state
            .store
            .customer_notes(id, 50)
            .await?
            .into_iter()
            .map(|n| {
                let author = name_of(Some(n.author_id)).unwrap_or_default();
                (n, author)
            })
            .collect();
        let conflicts = state.store.customer_conflicts(id).await?;
        let can_manage = user.role.sees_all_customers();
        let technicians = if can_manage {
            users
                .into_iter()
                .filter(|u| u.role == Role::Technician)
                .collect()
        } else {
            vec![]
        };
        Ok(CustomerDetail {
            assigned_name: name_of(customer.assigned_technician_id),
            backup_name: name_of(customer.backup_technician_id),
            customer,
            priorities,
            technicians,
            visits,
            notes,
            conflicts,
            can_manage,
        })
    }

    /// "arrived 09:12, left 09:47", or the skip reason.
    fn times(v: &domain::Visit, tz: chrono_tz::Tz) -> String {
        let at =
            |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
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

    pub async fn save(raw_id: String, draft: CustomerDraft) -> Result<(), AppError> {
        let state = app_state()?;
        require_role(OFFICE_ROLES).map_err(with_status)?;
        let draft = draft
            .validate()
            .map_err(|m| with_status(AppError::Invalid(m)))?;
        let now = state.clock.now();
        let customer = if raw_id.trim().is_empty() {
            state
                .store
                .create_customer(domain::new_id(), draft, None, now)
                .await?
        } else {
            let id = parse_id(&raw_id, "customer").map_err(with_status)?;
            state.store.update_customer(id, draft, now).await?
        };
        leptos_axum::redirect(&format!("/customers/{}", customer.id));
        Ok(())
    }

    pub async fn assign(raw_id: &str, assigned: &str, backup: &str) -> Result<(), AppError> {
        let state = app_state()?;
        require_role(OFFICE_ROLES).map_err(with_status)?;
        let id = parse_id(raw_id, "customer").map_err(with_status)?;
        let assigned = technician(&state, assigned).await?;
        let backup = technician(&state, backup).await?;
        if assigned.is_some() && assigned == backup {
            let msg = "The backup must be someone other than the assigned technician.";
            return Err(with_status(AppError::Invalid(msg.into())));
        }
        state
            .store
            .set_technicians(id, assigned, backup, state.clock.now())
            .await?;
        Ok(())
    }

    /// An optional technician id from a form: empty means none; anyone else is refused.
    async fn technician(state: &AppState, raw: &str) -> Result<Option<Uuid>, AppError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        let id = parse_id(raw, "technician").map_err(with_status)?;
        match state.store.get_user(id).await? {
            Some(u) if u.role == Role::Technician => Ok(Some(id)),
            _ => Err(with_status(AppError::Invalid(
                "Choose one of the technicians.".into(),
            ))),
        }
    }
}
