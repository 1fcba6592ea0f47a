//! The sync API: `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.
//!
//! Plain versioned JSON (not server functions) so that a phone running an older cached bundle
//! keeps syncing after a deploy. Wire types live in `domain::sync`, shared with the client.

use crate::api_error::ApiError;
use crate::startup::ServerState;
use app::state::CurrentUser;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::{Extension, Json};
use chrono::Duration;
use domain::sync::{MutationResult, PullResponse, PushRequest, PushResponse, MAX_PUSH_MUTATIONS};
use domain::Role;
use serde::Deserialize;
use store::PullScope;

/// The technician's window: a week back (late notes) to two weeks ahead.
pub const WINDOW_DAYS_BACK: i64 = 7;
pub const WINDOW_DAYS_AHEAD: i64 = 14;
const DEFAULT_PAGE: usize = 1000;

type Authed = Option<Extension<CurrentUser>>;

pub async fn push(
    State(state): State<ServerState>,
    user: Authed,
    body: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let Some(Extension(CurrentUser(user))) = user else {
        return Err(ApiError::Unauthorized);
    };
    let Json(request) = body?;
    if request.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(ApiError::TooLarge(format!(
            "A push may carry at most {MAX_PUSH_MUTATIONS} mutations; this one has {}.",
            request.mutations.len()
        )));
    }
    let store = &state.app.store;
    let now = state.app.clock.now();
    store
        .register_device(request.device_id, user.id, now)
        .await?;
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        // Each mutation commits on its own: a failure half way leaves the earlier ones
        // applied and recorded, so the retry sees them as duplicates.
        let outcome = store
            .apply_mutation(request.device_id, &user, mutation, now)
            .await?;
        results.push(MutationResult {
            id: mutation.id,
            outcome,
        });
    }
    Ok(Json(PushResponse { results }))
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    cursor: i64,
    limit: Option<usize>,
    /// The last day of the window the device holds (from its previous pull).
    known_to: Option<chrono::NaiveDate>,
}

pub async fn pull(
    State(state): State<ServerState>,
    user: Authed,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Some(Extension(CurrentUser(user))) = user else {
        return Err(ApiError::Unauthorized);
    };
    let Query(query) = query?;
    if query.cursor < 0 {
        return Err(ApiError::BadRequest(
            "The cursor cannot be negative; start from 0.".into(),
        ));
    }
    let today = state.app.today();
    let scope = PullScope {
        technician_id: (user.role == Role::Technician).then_some(user.id),
        from: today - Duration::days(WINDOW_DAYS_BACK),
        to: today + Duration::days(WINDOW_DAYS_AHEAD),
        entered_after: query.known_to,
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    Ok(Json(
        state.app.store.pull(&scope, query.cursor, limit).await?,
    ))
}
