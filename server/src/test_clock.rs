//! A clock tests can move forward (`--test-clock`), so a browser test can watch a promise
//! become overdue without waiting a day. Never mounted unless the flag is given.

use crate::state::ServerState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use std::sync::atomic::Ordering;

#[derive(Deserialize)]
pub struct Advance {
    /// Hours to move the clock forward (negative moves it back).
    pub hours: i64,
}

/// `POST /api/test/clock {"hours": 48}`: moves "now" and answers the new time.
pub async fn advance(
    State(state): State<ServerState>,
    Json(advance): Json<Advance>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    let offset = state.clock_offset.as_ref().ok_or(StatusCode::NOT_FOUND)?;
    // Within ten years either way: enough for any test, far from chrono's limits.
    let hours = advance.hours.clamp(-87_600, 87_600);
    offset.fetch_add(hours * 3600, Ordering::SeqCst);
    Ok(Json(serde_json::json!({ "now": state.app.clock.now() })))
}
