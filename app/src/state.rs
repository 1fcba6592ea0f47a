//! What server functions reach through Leptos's context: the service layer's state and the
//! signed-in user. The rules themselves live in the `service` crate; this is the adapter.
//! Server only.

use crate::error::AppError;
use domain::UserSummary;
use leptos::prelude::*;
pub use service::{
    parse_date, parse_id, parse_optional_id, parse_time, require_customer_access, AppState, Clock,
    CurrentUser, ServiceError, OFFICE_ROLES,
};

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The signed-in user, if there is one.
pub fn current_user() -> Option<UserSummary> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().map(|u| u.0.clone()))
}

pub fn require_user() -> Result<UserSummary, AppError> {
    Ok(service::signed_in(current_user())?)
}

/// What every adapter starts with: the state, and the signed-in user (or `Unauthorized`). What
/// the user may do is the service's to decide.
pub fn signed_in() -> Result<(AppState, UserSummary), AppError> {
    Ok((app_state()?, require_user()?))
}

/// Sets the answer's HTTP status to the error's. Called where an error becomes an `AppError`
/// (`From<ServiceError>`, a form that could not be decoded), so no call site has to.
pub(crate) fn set_status(status: u16) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::BAD_REQUEST),
        );
    }
}
