//! Server side of logging in: throttling, password checks, sessions and cookies.

use super::cookie;
use crate::error::AppError;
use crate::state::{app_state, current_user, with_status, AppState};
use chrono::Duration;
use domain::{Role, UserSummary};
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::{redirect, ResponseOptions};
use std::sync::OnceLock;
use store::password::{check_new_password, hash_password, new_session_token, token_hash};
use store::{NewSession, NewUser};

/// Failures within this window count towards slowing down and locking an account's logins.
const FAILURE_WINDOW_MINUTES: i64 = 15;
const LOCK_AFTER_FAILURES: i64 = 10;

pub async fn login(email: String, password: String, next: String) -> Result<(), AppError> {
    let state = app_state()?;
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(with_status(AppError::Invalid(
            "Enter your email and password.".into(),
        )));
    }
    let now = state.clock.now();
    let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let failures = state.store.login_failures_since(&email, since).await?;
    if failures >= LOCK_AFTER_FAILURES {
        return Err(with_status(AppError::TooManyAttempts(format!(
            "Too many failed attempts. Wait {FAILURE_WINDOW_MINUTES} minutes and try again, \
             or ask an admin to reset your password."
        ))));
    }
    // Each recent failure makes the next attempt wait longer, so guessing is slow.
    if failures > 0 {
        let wait = (250u64 << (failures - 1).min(4)).min(4000);
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
    let Some(user) = check_password(&state, &email, password).await? else {
        state.store.record_login_failure(&email, now).await?;
        // The same words whether the email or the password was wrong.
        return Err(with_status(AppError::Invalid(
            "That email and password do not match an account.".into(),
        )));
    };
    state.store.clear_login_failures(&email).await?;
    start_session(&state, &user).await?;
    let target = cookie::safe_next(&next).unwrap_or(user.role.home_path());
    redirect(target);
    Ok(())
}

/// Verifies the password off the async threads. An unknown email is checked against a dummy
/// hash so that it takes as long as a wrong password and does not reveal which it was.
async fn check_password(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<Option<UserSummary>, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let found = state.store.find_login(email).await?;
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
    Ok(found.filter(|_| ok).map(|(user, _)| user))
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
    if state.store.user_count().await? > 0 || current_user().is_some() {
        return Err(with_status(AppError::Forbidden(
            "This Rapport already has an admin. Log in instead.".into(),
        )));
    }
    let name = name.trim().to_string();
    let email = email.trim().to_lowercase();
    if name.is_empty() || !email.contains('@') {
        return Err(with_status(AppError::Invalid(
            "Enter your name and a valid email.".into(),
        )));
    }
    check_new_password(&password).map_err(|m| with_status(AppError::Invalid(m)))?;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AppError::Internal)?;
    let new = NewUser {
        email,
        name,
        role: Role::Admin,
        password_hash,
    };
    let user = state.store.create_user(new, state.clock.now()).await?;
    start_session(&state, &user).await?;
    redirect(user.role.home_path());
    Ok(())
}
