//! The sync API: `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.
//!
//! Plain versioned JSON (not server functions) so that a phone running an older cached bundle
//! keeps syncing after a deploy. Wire types live in `domain::sync`, shared with the client.

use crate::api_error::ApiError;
use crate::session::SessionHash;
use crate::startup::ServerState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use domain::sync::MAX_PUSH_MUTATIONS;
use domain::sync::{decode_push, MutationResult, PullRequest, PullResponse, PushResponse};
use domain::Role;
use service::CurrentUser;
use store::PullScope;

pub use domain::sync::{WINDOW_DAYS_AHEAD, WINDOW_DAYS_BACK};
const DEFAULT_PAGE: usize = 1000;

type Authed = Option<Extension<CurrentUser>>;
type Session = Option<Extension<SessionHash>>;

/// The session's hash, which the gate always sets beside the user.
fn session_of(session: Session) -> String {
    session
        .map(|Extension(SessionHash(h))| h)
        .unwrap_or_default()
}

pub async fn push(
    State(state): State<ServerState>,
    user: Authed,
    session: Session,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let Some(Extension(CurrentUser(user))) = user else {
        return Err(ApiError::Unauthorized);
    };
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
        .register_device(request.device_id, user.id, &session_of(session), now)
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

pub async fn pull(
    State(state): State<ServerState>,
    user: Authed,
    session: Session,
    query: Result<Query<PullRequest>, QueryRejection>,
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
    if let Some(device) = query.device_id {
        let now = state.app.clock.now();
        let session = session_of(session);
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
