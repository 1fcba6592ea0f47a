//! The customer page's read model: the customer, their priorities, visits, notes, conflicts,
//! continuity, plans, and the timeline of everything that happened with them.

use crate::access::require_customer_access;
use crate::error::ServiceResult;
use crate::state::AppState;
use crate::visits::progress_times;
use chrono::{DateTime, Duration, Utc};
use domain::views::{CustomerDetail, TimelineEntry, VisitLine};
use domain::{Role, UserSummary};
use std::collections::HashMap;
use uuid::Uuid;

/// How far around today the visit list reaches.
const VISIT_DAYS: i64 = 31;
/// How far back the timeline reaches for visits.
const TIMELINE_DAYS: i64 = 365;
const NOTES_SHOWN: i64 = 50;
const TIMELINE_NOTES: i64 = 200;
const HISTORY_ENTRIES: i64 = 500;

/// Everything the customer page shows, for anyone who serves the customer. Managing (editing,
/// assigning, plans) and the full change history are for the office and the admin.
pub async fn detail(
    state: &AppState,
    user: &UserSummary,
    id: Uuid,
) -> ServiceResult<CustomerDetail> {
    require_customer_access(state, user, id).await?;
    let customer = state.customer(id).await?;
    let priorities = domain::priority::for_display(state.store.priorities_of(&[id]).await?);
    let users = state.store.list_users(None).await?;
    let names = state.names().await?;
    let name_of = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    let today = state.today();
    let visits = state
        .store
        .customer_visits(
            id,
            today - Duration::days(VISIT_DAYS),
            today + Duration::days(VISIT_DAYS),
        )
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
        .customer_notes(id, NOTES_SHOWN)
        .await?
        .into_iter()
        .map(|n| {
            let author = name_of(Some(n.author_id)).unwrap_or_default();
            (n, author)
        })
        .collect();
    let conflicts = state.store.customer_conflicts(id).await?;
    let can_manage = user.role.sees_all_customers();
    let continuity = crate::continuity::continuity_of(state, &customer)
        .await?
        .label(name_of(customer.assigned_technician_id).as_deref());
    let breaks = breaks(state, id, &names).await?;
    let plans = crate::plans::lines(state, id, &names).await?;
    let audit = state.store.customer_history(id, HISTORY_ENTRIES).await?;
    let timeline = timeline(state, id, &audit, &names).await?;
    let history = if user.role == Role::Admin {
        audit
            .iter()
            .map(|e| {
                let text = format!("{}: {}", e.action, e.detail);
                entry(state, e.at, &e.entity, text, e.by_user_id, &names)
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

/// The customer's continuity breaks in words, newest first.
async fn breaks(
    state: &AppState,
    customer_id: Uuid,
    names: &HashMap<Uuid, String>,
) -> ServiceResult<Vec<String>> {
    let name_of = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    Ok(state
        .store
        .continuity_breaks(customer_id)
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
        .collect())
}

fn entry(
    state: &AppState,
    at: DateTime<Utc>,
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
) -> ServiceResult<Vec<TimelineEntry>> {
    let today = state.today();
    let mut lines = vec![];
    for v in state
        .store
        .customer_visits(
            customer_id,
            today - Duration::days(TIMELINE_DAYS),
            today + Duration::days(VISIT_DAYS),
        )
        .await?
    {
        // A visit not yet begun is placed at its planned time.
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
    for n in state
        .store
        .customer_notes(customer_id, TIMELINE_NOTES)
        .await?
    {
        let who = Some(n.author_id);
        lines.push(entry(state, n.written_at, "note", n.body, who, names));
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
