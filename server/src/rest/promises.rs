//! `/api/v1/promises`: what was promised to customers, by whom, by when.

use super::created;
use crate::api_error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Id, Office};
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::State;
use axum::http::Method;
use axum::Json;
use chrono::{NaiveDate, NaiveTime};
use domain::{Promise, PromiseStatus};
use serde::Deserialize;
use service::promises::{self, Outcome, PromiseInput};
use store::PromiseFilter;
use uuid::Uuid;

pub fn routes() -> Routes {
    const ALL: &str = "/api/v1/promises";
    Routes::default()
        .at(Method::GET, ALL, "list promises", list)
        .at(Method::POST, ALL, "make promises", create)
        .at(Method::GET, "/api/v1/promises/{id}", "read promises", one)
        .at(
            Method::POST,
            "/api/v1/promises/{id}/close",
            "close promises",
            close,
        )
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<PromiseStatus>,
    customer_id: Option<Uuid>,
    owner_id: Option<Uuid>,
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<Promise>>, ApiError> {
    let filter = PromiseFilter {
        customer_id: query.customer_id,
        owner_id: query.owner_id,
        status: query.status,
        due_by: None,
    };
    Ok(Json(state.app.store.promises(&filter).await?))
}

#[tracing::instrument(skip_all, fields(user = %user.id, promise = %id))]
pub async fn one(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Promise>,
) -> Result<Json<Promise>, ApiError> {
    Ok(Json(promise(&state, id).await?))
}

async fn promise(state: &ServerState, id: Uuid) -> Result<Promise, ApiError> {
    state
        .app
        .store
        .get_promise(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no promise with that id.".into()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPromiseBody {
    customer_id: Uuid,
    text: String,
    due_on: NaiveDate,
    due_time: Option<NaiveTime>,
    /// Who keeps it; the caller when absent.
    owner_id: Option<Uuid>,
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiJson(new): ApiJson<NewPromiseBody>,
) -> Result<axum::response::Response, ApiError> {
    let input = PromiseInput {
        customer_id: new.customer_id,
        text: new.text,
        due_on: new.due_on,
        due_time: new.due_time,
        owner: new.owner_id,
    };
    let promise = promises::add(&state.app, &user, input).await?;
    Ok(created(format!("/api/v1/promises/{}", promise.id), promise))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// `kept` or `dropped`.
    status: PromiseStatus,
    /// Why a promise was dropped (required then).
    reason: Option<String>,
}

#[tracing::instrument(skip_all, fields(user = %user.id, promise = %id))]
pub async fn close(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Promise>,
    ApiJson(close): ApiJson<CloseBody>,
) -> Result<Json<Promise>, ApiError> {
    let outcome = match close.status {
        PromiseStatus::Kept => Outcome::Kept,
        PromiseStatus::Dropped => Outcome::Dropped(close.reason.unwrap_or_default()),
        PromiseStatus::Open => {
            return Err(ApiError::BadRequest(
                "status must be kept or dropped.".into(),
            ))
        }
    };
    Ok(Json(promises::close(&state.app, &user, id, outcome).await?))
}
