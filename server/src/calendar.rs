//! `GET /api/v1/calendar/<token>.ics`: a technician's visits for their phone's calendar app.
//!
//! The secret token in the link is the only credential (calendar apps send no cookies), so the
//! feed is read-only and shows only that technician's visits: a week back to eight weeks ahead.

use crate::extract::ApiPath;
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::State;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Duration;
use domain::calendar::{feed as ics, CalendarEvent, When};
use domain::plan::local_to_utc;
use domain::priority::for_display;
use domain::VisitStatus;
use std::collections::BTreeMap;
use store::password::token_hash;

const DAYS_BACK: i64 = 7;
const DAYS_AHEAD: i64 = 56;
/// Priorities shown with each visit: the first few, pinned first.
const PRIORITIES_SHOWN: usize = 3;

/// Public: the secret in the link is the credential (see `session::is_public`).
pub fn routes() -> Routes {
    Routes::default().at(
        Method::GET,
        "/api/v1/calendar/{file}",
        "read a calendar feed",
        feed,
    )
}

// The file name is the secret: it stays out of the span.
#[tracing::instrument(skip_all)]
pub async fn feed(State(state): State<ServerState>, ApiPath(file): ApiPath<String>) -> Response {
    match build(&state, &file).await {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => {
            let body = serde_json::json!({
                "error": "This calendar link does not work any more. Make a new one on Rapport's Calendar page."
            });
            (StatusCode::NOT_FOUND, Json(body)).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            let body = serde_json::json!({ "error": "The calendar could not be made; try again shortly." });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn build(state: &ServerState, file: &str) -> Result<Option<String>, store::StoreError> {
    let app = &state.app;
    let Some(token) = file.strip_suffix(".ics") else {
        return Ok(None);
    };
    let Some(owner) = app.store.calendar_owner(&token_hash(token)).await? else {
        return Ok(None);
    };
    let today = app.today();
    let visits = app
        .store
        .technician_visits(
            owner.id,
            today - Duration::days(DAYS_BACK),
            today + Duration::days(DAYS_AHEAD),
        )
        .await?;
    let mut customer_ids: Vec<_> = visits.iter().map(|v| v.customer_id).collect();
    customer_ids.sort();
    customer_ids.dedup();
    let mut customers = BTreeMap::new();
    for id in &customer_ids {
        if let Some(c) = app.store.get_customer(*id).await? {
            customers.insert(*id, c);
        }
    }
    let mut priorities: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for p in app.store.priorities_of(&customer_ids).await? {
        priorities.entry(p.customer_id).or_default().push(p);
    }
    let events: Vec<CalendarEvent> = visits
        .into_iter()
        .filter_map(|v| {
            let customer = customers.get(&v.customer_id)?;
            let when = match (v.window_start, v.window_end) {
                (Some(start), Some(end)) => When::Window(
                    local_to_utc(&app.time_zone, v.scheduled_on, start),
                    local_to_utc(&app.time_zone, v.scheduled_on, end),
                ),
                _ => When::Day(v.scheduled_on),
            };
            let mut details: Vec<String> =
                for_display(priorities.remove(&v.customer_id).unwrap_or_default())
                    .into_iter()
                    .take(PRIORITIES_SHOWN)
                    .map(|p| format!("What matters: {}", p.text))
                    .collect();
            if !customer.access_notes.trim().is_empty() {
                details.push(format!("Access: {}", customer.access_notes.trim()));
            }
            if !customer.phone.trim().is_empty() {
                details.push(format!("Phone: {}", customer.phone.trim()));
            }
            Some(CalendarEvent {
                visit_id: v.id,
                when,
                title: customer.name.clone(),
                address: customer.address.clone(),
                details,
                cancelled: v.status == VisitStatus::Skipped,
                sequence: v.version,
            })
        })
        .collect();
    let name = format!("{}: Rapport visits", owner.name);
    Ok(Some(ics(&name, &events, app.clock.now())))
}
