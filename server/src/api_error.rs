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

impl From<service::ServiceError> for ApiError {
    /// A rule's refusal as the API answers it: what was sent is a 400 here (the office pages
    /// answer 422), the rest keep their status.
    fn from(e: service::ServiceError) -> Self {
        use service::ServiceError as S;
        match e {
            S::Unauthorized => ApiError::Unauthorized,
            S::Forbidden(m) => ApiError::Forbidden(m),
            S::NotFound(m) => ApiError::NotFound(m),
            S::Invalid(m) | S::TooManyAttempts(m) => ApiError::BadRequest(m),
            S::Conflict(m) => ApiError::Conflict(m),
            S::Internal => ApiError::Internal("see the service error logged above".into()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("The query string is not valid: {}", r.body_text()))
    }
}

/// The whole app as one router whose API errors are all JSON (`json_errors`). It wraps the
/// app's router from outside: a layer inside it runs before axum adds a 405's `Allow` header,
/// and the message names the allowed methods.
pub fn with_json_errors(router: axum::Router) -> axum::Router {
    axum::Router::new()
        .fallback_service(router)
        .layer(axum::middleware::from_fn(json_errors))
}

/// Every error answer under `/api/` is `{"error": …}`: the router's own answers (405 for a
/// wrong method, 404 for an unknown address, a rejection's bare status) come without a body,
/// or as the app's HTML error page, which a phone or a script cannot show anyone.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::body::HttpBody;
    use axum::http::header::{ALLOW, CONTENT_TYPE};
    let is_api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let content_type = res.headers().get(CONTENT_TYPE).map(|v| v.as_bytes());
    let empty = res.body().size_hint().exact() == Some(0);
    let html = content_type.is_some_and(|t| t.starts_with(b"text/html"));
    if !empty && !html {
        return res;
    }
    let allow = res
        .headers()
        .get(ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let message = match status {
        StatusCode::METHOD_NOT_ALLOWED => match &allow {
            Some(allowed) if !allowed.is_empty() => format!(
                "This address does not answer {method}; use {}.",
                allowed.split(',').map(str::trim).collect::<Vec<_>>().join(" or ")
            ),
            _ => format!("This address does not answer {method}."),
        },
        StatusCode::NOT_FOUND => {
            "There is no such API address; check the path (the REST API is described at /api/v1/openapi.json).".to_string()
        }
        StatusCode::UNAUTHORIZED => "Please log in to continue.".to_string(),
        StatusCode::FORBIDDEN => "You may not do this.".to_string(),
        s if s.is_server_error() => {
            "The server could not finish this request; try again shortly.".to_string()
        }
        s => format!(
            "The request was refused ({}); check the address, method and body.",
            s.canonical_reason().unwrap_or("error")
        ),
    };
    // The same status and headers (`Allow` among them), with the explanation as the body.
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    let body = json!({ "error": message }).to_string();
    Response::from_parts(parts, axum::body::Body::from(body))
}
