//! The versioned REST API (`/api/v1/…`, JSON) for other systems: customers, priorities,
//! visits and promises. Callers authenticate with an API token an admin made
//! (`Authorization: Bearer …`), or a signed-in office session. A token acts for the admin who
//! made it. `openapi.rs` documents every route, and a test holds the document to the server.

mod customers;
pub mod openapi;
mod promises;
mod visits;

use crate::routes::Routes;
use axum::http::{Method, StatusCode};
use axum::Json;

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

/// The REST API: the document, then each resource's own routes.
pub fn routes() -> Routes {
    Routes::default()
        .at(
            Method::GET,
            "/api/v1/openapi.json",
            "read the API's description",
            openapi::document,
        )
        .merge(customers::routes())
        .merge(visits::routes())
        .merge(promises::routes())
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
