//! `/api/v1/visits`: read-only. Scheduling goes through the day board, where the continuity
//! guard stands between a customer and a stranger.

use super::{id, office, Caller};
use crate::api_error::ApiError;
use crate::startup::ServerState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::NaiveDate;
use domain::Visit;
use serde::Deserialize;
use uuid::Uuid;

/// The longest span one request may cover.
const MAX_DAYS: i64 = 92;

#[derive(Deserialize)]
pub struct ListQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    technician_id: Option<Uuid>,
    customer_id: Option<Uuid>,
}

pub async fn list(
    State(state): State<ServerState>,
    user: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Visit>>, ApiError> {
    office(user, "list visits")?;
    let Query(query) = query?;
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

pub async fn one(
    State(state): State<ServerState>,
    user: Caller,
    path: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<Visit>, ApiError> {
    office(user, "read visits")?;
    let id = id(path, "visit")?;
    state
        .app
        .store
        .get_visit(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("There is no visit with that id.".into()))
}
