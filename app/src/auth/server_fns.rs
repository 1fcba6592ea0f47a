use crate::error::AppError;
use domain::UserSummary;
use leptos::prelude::*;

/// Logs in and redirects to `next` (or the user's home page).
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    super::ssr::login(email, password, next.unwrap_or_default()).await
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    super::ssr::logout().await
}

/// Creates the first admin account; refused once any user exists.
#[server(endpoint = "auth/setup")]
pub async fn create_first_admin(
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    super::ssr::create_first_admin(name, email, password).await
}

/// The signed-in user, if any.
#[server(endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Option<UserSummary>, AppError> {
    Ok(crate::state::current_user())
}
