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
use domain::promise::validate_text;
use domain::{new_id, Promise, PromiseOrigin, PromiseStatus};
use serde::Deserialize;
use store::{NewPromise, PromiseFilter};
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
    let store = &state.app.store;
    let text = validate_text(&new.text).map_err(ApiError::BadRequest)?;
    if new.due_on < state.app.today() || !domain::plausible_date(new.due_on) {
        return Err(ApiError::BadRequest(
            "due_on must be today or a day to come (before 2200).".into(),
        ));
    }
    if store.get_customer(new.customer_id).await?.is_none() {
        return Err(ApiError::BadRequest(
            "customer_id: there is no customer with that id.".into(),
        ));
    }
    let owner_id = new.owner_id.unwrap_or(user.id);
    if !store
        .list_users(None)
        .await?
        .iter()
        .any(|u| u.id == owner_id)
    {
        return Err(ApiError::BadRequest(
            "owner_id: the owner must be someone who works here now.".into(),
        ));
    }
    let promise = store
        .create_promise(
            NewPromise {
                id: new_id(),
                customer_id: new.customer_id,
                owner_id,
                text,
                due_on: new.due_on,
                due_time: new.due_time,
                origin: PromiseOrigin::Office,
                visit_id: None,
                created_by: user.id,
            },
            state.app.clock.now(),
        )
        .await?;
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
    let before = promise(&state, id).await?;
    if before.status != PromiseStatus::Open {
        return Err(ApiError::Conflict("This promise is already closed.".into()));
    }
    let reason = close
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    match (close.status, &reason) {
        (PromiseStatus::Kept, _) => {}
        (PromiseStatus::Dropped, Some(reason)) => {
            domain::text::check_text("The reason", reason).map_err(ApiError::BadRequest)?
        }
        (PromiseStatus::Dropped, None) => {
            return Err(ApiError::BadRequest(
                "Say why the promise was dropped (reason).".into(),
            ))
        }
        (PromiseStatus::Open, _) => {
            return Err(ApiError::BadRequest(
                "status must be kept or dropped.".into(),
            ))
        }
    }
    let reason = (close.status == PromiseStatus::Dropped)
        .then_some(reason)
        .flatten();
    Ok(Json(
        state
            .app
            .store
            .close_promise(id, close.status, reason, user.id, state.app.clock.now())
            .await?,
    ))
}
