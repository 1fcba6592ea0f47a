//! `/api/v1/visits`: read-only. Scheduling goes through the day board, where the continuity
//! guard stands between a customer and a stranger.

use crate::api_error::ApiError;
use crate::extract::{ApiQuery, Id, Office};
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::State;
use axum::http::Method;
use axum::Json;
use chrono::NaiveDate;
use domain::Visit;
use serde::Deserialize;
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::default()
        .at(Method::GET, "/api/v1/visits", "list visits", list)
        .at(Method::GET, "/api/v1/visits/{id}", "read visits", one)
}

/// The longest span one request may cover.
const MAX_DAYS: i64 = 92;

#[derive(Deserialize)]
pub struct ListQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    technician_id: Option<Uuid>,
    customer_id: Option<Uuid>,
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<Visit>>, ApiError> {
    let today = state.app.today();
    let from = query.from.unwrap_or(today);
    let to = query.to.unwrap_or(from);
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::BadRequest(format!(
            "from ({from}) must not be after to ({to}), and one request covers at most {MAX_DAYS} days."
        )));
    }
    let mut visits = state.app.store.visits_between(from, to).await?;
    visits.retain(|v| {
        query
            .technician_id
            .is_none_or(|t| v.technician_id == Some(t))
            && query.customer_id.is_none_or(|c| v.customer_id == c)
    });
    Ok(Json(visits))
}

#[tracing::instrument(skip_all, fields(user = %user.id, visit = %id))]
pub async fn one(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Visit>,
) -> Result<Json<Visit>, ApiError> {
    state
        .app
        .store
        .get_visit(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("There is no visit with that id.".into()))
}
