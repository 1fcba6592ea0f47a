//! The error of the versioned JSON API: a status and a message a person can act on.

use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    Forbidden(String),
    BadRequest(String),
    NotFound(String),
    /// Something changed meanwhile; the message says what to do again.
    Conflict(String),
    TooLarge(String),
    /// The cause is logged; the client is told to retry.
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "Please log in to continue.".to_string(),
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "API request failed");
                let m = "The server could not finish this request; it will be retried.".to_string();
                (StatusCode::INTERNAL_SERVER_ERROR, m)
            }
        };
        (status, Json(json!({ "error": message }))).into_response()
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        match e {
            store::StoreError::Refused(m) => ApiError::Forbidden(m),
            store::StoreError::Conflict(m) => ApiError::Conflict(m),
            store::StoreError::NotFound(what) => {
                ApiError::BadRequest(format!("That {what} does not exist."))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("The query string is not valid: {}", r.body_text()))
    }
}
