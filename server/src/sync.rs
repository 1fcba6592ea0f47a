//! The sync API: `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.
//!
//! Plain versioned JSON (not server functions) so that a phone running an older cached bundle
//! keeps syncing after a deploy. Wire types live in `domain::sync`, shared with the client.

use crate::api_error::ApiError;
use crate::extract::{ApiQuery, User};
use crate::routes::Routes;
use crate::session::SessionHash;
use crate::state::ServerState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Json;
use domain::sync::MAX_PUSH_MUTATIONS;
use domain::sync::{decode_push, MutationResult, PullRequest, PullResponse, PushResponse};
use domain::Role;
use store::PullScope;

pub use domain::sync::{WINDOW_DAYS_AHEAD, WINDOW_DAYS_BACK};
const DEFAULT_PAGE: usize = 1000;

/// Technicians' phones and the office's pages both sync: anyone signed in.
pub fn routes() -> Routes {
    Routes::default()
        .at(Method::POST, "/api/v1/sync/push", "send changes", push)
        .at(Method::GET, "/api/v1/sync/pull", "fetch changes", pull)
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn push(
    State(state): State<ServerState>,
    User(user): User,
    SessionHash(session): SessionHash,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(
            "The request body is too large; send fewer mutations per push.".into(),
        ),
        _ => ApiError::BadRequest(format!(
            "The request body could not be read: {}",
            r.body_text()
        )),
    })?;
    let request = decode_push(&body).map_err(ApiError::BadRequest)?;
    if request.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(ApiError::TooLarge(format!(
            "A push may carry at most {MAX_PUSH_MUTATIONS} mutations; this one has {}.",
            request.mutations.len()
        )));
    }
    let store = &state.app.store;
    let now = state.app.clock.now();
    store
        .register_device(request.device_id, user.id, &session, now)
        .await?;
    let outcomes = store
        .apply_push(
            request.device_id,
            &user,
            &request.mutations,
            now,
            state.app.today(),
        )
        .await?;
    let results = request
        .mutations
        .iter()
        .zip(outcomes)
        .map(|(m, outcome)| MutationResult {
            id: m.id(),
            outcome,
        })
        .collect();
    Ok(Json(PushResponse { results }))
}

#[tracing::instrument(skip_all, fields(user = %user.id, cursor = query.cursor))]
pub async fn pull(
    State(state): State<ServerState>,
    User(user): User,
    SessionHash(session): SessionHash,
    ApiQuery(query): ApiQuery<PullRequest>,
) -> Result<Json<PullResponse>, ApiError> {
    if query.cursor < 0 {
        return Err(ApiError::BadRequest(
            "The cursor cannot be negative; start from 0.".into(),
        ));
    }
    if let Some(device) = query.device_id {
        let now = state.app.clock.now();
        state
            .app
            .store
            .register_device(device, user.id, &session, now)
            .await?;
    }
    let (from, to) = domain::sync::window(state.app.today());
    let scope = PullScope {
        technician_id: (user.role == Role::Technician).then_some(user.id),
        from,
        to,
        entered_after: query.known_to,
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    Ok(Json(
        state.app.store.pull(&scope, query.cursor, limit).await?,
    ))
}
