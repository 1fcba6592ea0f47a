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
    /// "4 technicians in the last 10 visits · 40% by Sam Ortiz".
    pub continuity: String,
    /// Continuity breaks, newest first, in words.
    pub breaks: Vec<String>,
    pub plans: Vec<crate::plans::PlanLine>,
    /// Everything that happened with this customer, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Every recorded change, for an admin (empty for everyone else).
    pub history: Vec<TimelineEntry>,
    pub today: chrono::NaiveDate,
}

/// One line of a customer's timeline or change history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// In the organisation's time: "Tue 3 Mar 09:12".
    pub when: String,
    pub kind: String,
    pub text: String,
    pub who: String,
}

#[server(endpoint = "customers/list")]
pub async fn list_customers(search: String) -> Result<Vec<CustomerSummary>, AppError> {
    use crate::state::{app_state, require_user};
    let user = require_user()?;
    let state = app_state()?;
    let filter = store::CustomerFilter {
        search: search.chars().take(200).collect(),
        served_by: (!user.role.sees_all_customers()).then_some((user.id, state.today())),
        limit: 500,
    };
    Ok(state.store.list_customers(&filter).await?)
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
    #[server(default)] version: Option<String>,
) -> Result<(), AppError> {
    let draft = domain::CustomerDraft {
        name,
        contact_name,
        address,
        phone,
        email,
        access_notes,
    };
    ssr::save(id.unwrap_or_default(), draft, version).await
}

/// Settles a conflicting edit: keep the value the customer has now, or take the phone's.
#[server(endpoint = "customers/settle")]
pub async fn settle_conflict(
    customer_id: String,
    conflict_id: String,
    keep: String,
) -> Result<(), AppError> {
    ssr::settle(&customer_id, &conflict_id, &keep).await
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
pub use ssr::progress_times;

#[cfg(feature = "ssr")]
mod ssr {
    use super::{CustomerDetail, TimelineEntry, VisitLine};
    use crate::error::AppError;
    use crate::state::*;
    use chrono::Duration;
    use domain::{CustomerDraft, Role};
    use std::collections::HashMap;
    use uuid::Uuid;

    pub async fn customer_detail(raw_id: &str) -> Result<CustomerDetail, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let id = parse_id(raw_id, "customer")?;
        require_customer_access(&state, &user, id).await?;
        let customer = state.customer(id).await?;
        let priorities = domain::priority::for_display(state.store.priorities_of(&[id]).await?);
        let users = state.store.list_users(None).await?;
        let names = state.names().await?;
        let name_of = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
        let today = state.today();
        let visits = state
            .store
            .customer_visits(id, today - Duration::days(31), today + Duration::days(31))
            .await?
            .into_iter()
            .map(|visit| VisitLine {
                technician: name_of(visit.technician_id),
                times: progress_times(&visit, state.time_zone),
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
        let continuity = service::continuity::continuity_of(&state, &customer)
            .await?
            .label(name_of(customer.assigned_technician_id).as_deref());
        let breaks = state
            .store
            .continuity_breaks(id)
            .await?
            .into_iter()
            .map(|b| {
                format!(
                    "{}: {} went instead of {} — {} (by {})",
                    b.at.with_timezone(&state.time_zone).format("%-d %b %Y"),
                    name_of(Some(b.technician_id)).unwrap_or_default(),
                    name_of(b.assigned_technician_id).unwrap_or_else(|| "nobody".into()),
                    b.reason.describe(&b.reason_text),
                    name_of(Some(b.by_user_id)).unwrap_or_default(),
                )
            })
            .collect();
        let plans = crate::plans::plan_lines(&state, id, &names).await?;
        let audit = state.store.customer_history(id, 500).await?;
        let timeline = timeline(&state, id, &audit, &names).await?;
        let history = if user.role == Role::Admin {
            audit
                .iter()
                .map(|e| {
                    entry(
                        &state,
                        e.at,
                        &e.entity,
                        format!("{}: {}", e.action, e.detail),
                        e.by_user_id,
                        &names,
                    )
                })
                .collect()
        } else {
            vec![]
        };
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
            continuity,
            breaks,
            plans,
            timeline,
            history,
            today,
        })
    }

    fn entry(
        state: &AppState,
        at: chrono::DateTime<chrono::Utc>,
        kind: &str,
        text: String,
        who: Option<Uuid>,
        names: &HashMap<Uuid, String>,
    ) -> TimelineEntry {
        TimelineEntry {
            at,
            when: at
                .with_timezone(&state.time_zone)
                .format("%a %-d %b %Y %H:%M")
                .to_string(),
            kind: kind.to_string(),
            text,
            who: who.and_then(|w| names.get(&w).cloned()).unwrap_or_default(),
        }
    }

    /// Visits, notes, and the recorded changes that matter to the relationship (priorities,
    /// promises, calls, continuity breaks, plans), newest first.
    async fn timeline(
        state: &AppState,
        customer_id: Uuid,
        audit: &[store::AuditEntry],
        names: &HashMap<Uuid, String>,
    ) -> Result<Vec<TimelineEntry>, AppError> {
        let today = state.today();
        let mut lines = vec![];
        for v in state
            .store
            .customer_visits(
                customer_id,
                today - Duration::days(365),
                today + Duration::days(31),
            )
            .await?
        {
            let at = v.arrived_at.unwrap_or_else(|| {
                domain::plan::local_to_utc(
                    &state.time_zone,
                    v.scheduled_on,
                    v.window_start.unwrap_or_default(),
                )
            });
            let times = progress_times(&v, state.time_zone);
            let text = format!(
                "Visit {}: {}{}",
                v.scheduled_on.format("%a %-d %b"),
                v.status.label(),
                if times.is_empty() {
                    String::new()
                } else {
                    format!(" ({times})")
                }
            );
            lines.push(entry(state, at, "visit", text, v.technician_id, names));
        }
        for n in state.store.customer_notes(customer_id, 200).await? {
            lines.push(entry(
                state,
                n.written_at,
                "note",
                n.body,
                Some(n.author_id),
                names,
            ));
        }
        for e in audit {
            let kind = match (e.entity.as_str(), e.action.as_str()) {
                ("priority", _) => "priority",
                ("promise", _) => "promise",
                ("call", _) => "call",
                ("visit", "continuity break") => "continuity break",
                ("plan", "created" | "edited") => "plan",
                ("visit", "moved") => "schedule",
                ("customer", _) => "customer",
                _ => continue,
            };
            let text = format!("{} {}: {}", e.entity, e.action, e.detail);
            lines.push(entry(state, e.at, kind, text, e.by_user_id, names));
        }
        lines.sort_by_key(|l| std::cmp::Reverse(l.at));
        Ok(lines)
    }

    /// "arrived 09:12, left 09:47", or the skip reason.
    pub fn progress_times(v: &domain::Visit, tz: chrono_tz::Tz) -> String {
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

    pub async fn settle(
        raw_customer: &str,
        raw_conflict: &str,
        keep: &str,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let customer_id = parse_id(raw_customer, "customer")?;
        let conflict_id = parse_id(raw_conflict, "conflict")?;
        let take_phone = match keep {
            "phone" => true,
            "current" => false,
            other => {
                return Err(AppError::from(ServiceError::Invalid(format!(
                    "{other:?} is not a choice; keep \"current\" or \"phone\"."
                ))))
            }
        };
        state
            .store
            .settle_conflict(
                customer_id,
                conflict_id,
                take_phone,
                me.id,
                state.clock.now(),
            )
            .await?;
        Ok(())
    }

    pub async fn save(
        raw_id: String,
        draft: CustomerDraft,
        version: Option<String>,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let draft = draft.validate().map_err(ServiceError::Invalid)?;
        let now = state.clock.now();
        let customer = if raw_id.trim().is_empty() {
            state
                .store
                .create_customer(domain::new_id(), draft, None, Some(me.id), now)
                .await?
        } else {
            let id = parse_id(&raw_id, "customer")?;
            // The version the form was filled from: the store refuses to save over a newer one.
            let expected = version
                .as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok());
            state
                .store
                .update_customer(id, draft, expected, Some(me.id), now)
                .await?
        };
        leptos_axum::redirect(&format!("/customers/{}", customer.id));
        Ok(())
    }

    pub async fn assign(raw_id: &str, assigned: &str, backup: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let id = parse_id(raw_id, "customer")?;
        let assigned = state.technician(assigned).await?;
        let backup = state.technician(backup).await?;
        if assigned.is_some() && assigned == backup {
            let msg = "The backup must be someone other than the assigned technician.";
            return Err(AppError::from(ServiceError::Invalid(msg.into())));
        }
        state
            .store
            .set_technicians(id, assigned, backup, Some(me.id), state.clock.now())
            .await?;
        Ok(())
    }
}
