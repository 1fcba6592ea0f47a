//! Server side of logging in: throttling, password checks, sessions and cookies.

use super::{cookie, throttle, ClientAddr};
use crate::error::AppError;
use crate::state::{app_state, current_user, AppState, ServiceError};
use chrono::Duration;
use domain::{Role, UserSummary};
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::{redirect, ResponseOptions};
use std::sync::OnceLock;
use store::password::{check_new_password, hash_password, new_session_token, token_hash};
use store::{NewSession, NewUser};

pub async fn login(email: String, password: String, next: String) -> Result<(), AppError> {
    let state = app_state()?;
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(AppError::from(ServiceError::Invalid(
            "Enter your email and password.".into(),
        )));
    }
    let now = state.clock.now();
    let parts = use_context::<http::request::Parts>();
    let client = throttle::client_key(
        parts
            .as_ref()
            .and_then(|p| p.extensions.get::<ClientAddr>())
            .map(|ClientAddr(ip)| *ip),
    );
    let cookies = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::COOKIE))
        .and_then(|v| v.to_str().ok());
    let found = state.store.find_login(&email).await?;
    let known_device = match &found {
        Some((user, hash)) => throttle::is_known_device(&state, cookies, user.id, hash).await?,
        None => false,
    };
    // Recorded as a failure before the password is checked, so guesses sent at once count.
    let attempt = throttle::begin(&state, &email, &client, known_device, now).await?;
    throttle::back_off(attempt.earlier_client_failures).await;
    let Some((user, hash)) = check_password(found, password).await? else {
        // The attempt stays recorded as a failure. The same words whether the email or the
        // password was wrong.
        return Err(AppError::from(ServiceError::Invalid(
            "That email and password do not match an account.".into(),
        )));
    };
    throttle::succeeded(&state, attempt).await?;
    state
        .store
        .clear_client_login_failures(&email, &client)
        .await?;
    start_session(&state, &user).await?;
    // This browser is now known to be its owner's: strangers' failures will not keep it out
    // (until the password changes).
    let device = throttle::device_value(&state, user.id, &hash).await?;
    set_cookie(&cookie::device(&device, state.secure_cookies));
    let target = cookie::safe_next(&next).unwrap_or(user.role.home_path());
    redirect(target);
    Ok(())
}

/// Verifies the password off the async threads. An unknown email is checked against a dummy
/// hash so that it takes as long as a wrong password and does not reveal which it was. Gives
/// the user and their password hash if the password is right.
async fn check_password(
    found: Option<(UserSummary, String)>,
    password: String,
) -> Result<Option<(UserSummary, String)>, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = match &found {
        Some((_, hash)) => hash.clone(),
        None => DUMMY
            .get_or_init(|| hash_password("not a real password"))
            .clone(),
    };
    let ok =
        tokio::task::spawn_blocking(move || store::password::verify_password(&password, &hash))
            .await
            .map_err(|_| AppError::Internal)?;
    Ok(found.filter(|_| ok))
}

async fn start_session(state: &AppState, user: &UserSummary) -> Result<(), AppError> {
    let token = new_session_token();
    let now = state.clock.now();
    let user_agent = use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::USER_AGENT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.chars().take(200).collect()))
        .unwrap_or_default();
    let session = NewSession {
        token_hash: token_hash(&token),
        user_id: user.id,
        user_agent,
        expires_at: now + Duration::days(super::SESSION_DAYS),
    };
    state.store.create_session(session, now).await?;
    set_cookie(&cookie::session(&token, state.secure_cookies));
    Ok(())
}

fn set_cookie(value: &str) {
    if let (Some(resp), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        resp.append_header(SET_COOKIE, value);
    }
}

pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    let token = use_context::<http::request::Parts>().and_then(|p| {
        let header = p
            .headers
            .get(http::header::COOKIE)?
            .to_str()
            .ok()?
            .to_string();
        cookie::find(&header, super::SESSION_COOKIE)
    });
    if let Some(token) = token {
        state
            .store
            .revoke_session(&token_hash(&token), state.clock.now())
            .await?;
    }
    set_cookie(&cookie::cleared(state.secure_cookies));
    redirect("/login");
    Ok(())
}

pub async fn create_first_admin(
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let already = || {
        AppError::from(ServiceError::Forbidden(
            "This Rapport already has an admin. Log in instead.".into(),
        ))
    };
    // A quick answer for the common case; the store decides for good (below).
    if state.store.user_count().await? > 0 || current_user().is_some() {
        return Err(already());
    }
    let (name, email) =
        super::check_admin(&name, &email).map_err(ServiceError::Invalid)?;
    check_new_password(&password).map_err(ServiceError::Invalid)?;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)?;
    let new = NewUser {
        email,
        name,
        role: Role::Admin,
        password_hash,
    };
    // Atomic: of several first visitors at once, exactly one becomes the admin.
    let Some(user) = state
        .store
        .create_first_admin(new, state.clock.now())
        .await?
    else {
        return Err(already());
    };
    start_session(&state, &user).await?;
    redirect(user.role.home_path());
    Ok(())
}
