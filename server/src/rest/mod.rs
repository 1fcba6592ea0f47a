//! The versioned REST API (`/api/v1/…`, JSON) for other systems: customers, priorities,
//! visits and promises. Callers authenticate with an API token an admin made
//! (`Authorization: Bearer …`), or a signed-in office session. A token acts for the admin who
//! made it. `openapi.rs` documents every route, and a test holds the document to the server.

mod customers;
pub mod openapi;
mod promises;
mod visits;

use crate::api_error::ApiError;
use crate::startup::ServerState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Extension, Json, Router};
use domain::{Role, UserSummary};
use serde::de::DeserializeOwned;
use service::CurrentUser;
use uuid::Uuid;

/// Paths that take an API token: the REST resources, the exports and the import. Pages,
/// server functions, the phones' sync and calendar feeds do not.
pub fn takes_tokens(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    [
        "customers",
        "priorities",
        "visits",
        "promises",
        "export/",
        "import/",
    ]
    .iter()
    .any(|resource| rest.starts_with(resource))
}

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route(
            "/api/v1/customers",
            get(customers::list).post(customers::create),
        )
        .route(
            "/api/v1/customers/{id}",
            get(customers::one).patch(customers::edit),
        )
        .route(
            "/api/v1/customers/{id}/priorities",
            get(customers::priorities).post(customers::add_priority),
        )
        .route(
            "/api/v1/priorities/{id}",
            patch(customers::edit_priority).delete(customers::retire_priority),
        )
        .route("/api/v1/visits", get(visits::list))
        .route("/api/v1/visits/{id}", get(visits::one))
        .route(
            "/api/v1/promises",
            get(promises::list).post(promises::create),
        )
        .route("/api/v1/promises/{id}", get(promises::one))
        .route("/api/v1/promises/{id}/close", post(promises::close))
}

pub type Caller = Option<Extension<CurrentUser>>;

/// The caller, when they may use the office's API (a token, or an office session).
pub fn office(user: Caller, what: &str) -> Result<UserSummary, ApiError> {
    let Some(Extension(CurrentUser(user))) = user else {
        return Err(ApiError::Unauthorized);
    };
    match user.role {
        Role::Office | Role::Admin => Ok(user),
        Role::Technician => Err(ApiError::Forbidden(format!(
            "Only the office can {what}; ask someone in the office."
        ))),
    }
}

/// A path's id, with a message that says what was wrong.
pub fn id(path: Result<Path<Uuid>, PathRejection>, what: &str) -> Result<Uuid, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|_| ApiError::BadRequest(format!("That is not a valid {what} id.")))
}

/// A JSON body, or a 400 that says what the server expected.
pub fn body<T: DeserializeOwned>(sent: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    sent.map(|Json(body)| body).map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(
            "The request is larger than the API accepts; send less at once.".into(),
        ),
        _ => ApiError::BadRequest(format!("The JSON body is not valid: {}", r.body_text())),
    })
}

/// A 201 with the new resource and where it lives.
pub fn created<T: serde::Serialize>(location: String, value: T) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(value),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::takes_tokens;

    #[test]
    fn only_the_rest_routes_take_tokens() {
        for path in [
            "/api/v1/customers",
            "/api/v1/customers/1/priorities",
            "/api/v1/promises/2/close",
            "/api/v1/export/customers.csv",
            "/api/v1/import/customers",
        ] {
            assert!(takes_tokens(path), "{path}");
        }
        for path in [
            "/api/v1/sync/push",
            "/api/v1/calendar/x.ics",
            "/api/customers/list",
            "/customers",
        ] {
            assert!(!takes_tokens(path), "{path}");
        }
    }
}
