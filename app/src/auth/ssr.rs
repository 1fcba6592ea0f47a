//! The adapter for signing in and out: reads the request's cookies and headers, calls
//! `service::auth` (where the throttle, password checks and sessions are), and sets cookies.

use super::{cookie, ClientAddr, DEVICE_COOKIE, SESSION_COOKIE};
use crate::error::AppError;
use crate::state::{app_state, current_user};
use http::header::{HeaderValue, SET_COOKIE};
use leptos::prelude::*;
use leptos_axum::{redirect, ResponseOptions};
use service::auth::{self, FirstAdmin, LoginAttempt, SignedIn};

fn request() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

fn header(parts: &Option<http::request::Parts>, name: http::header::HeaderName) -> &str {
    parts
        .as_ref()
        .and_then(|p| p.headers.get(name))
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn cookie_value(parts: &Option<http::request::Parts>, name: &str) -> Option<String> {
    cookie::find(header(parts, http::header::COOKIE), name)
}

pub async fn login(email: String, password: String, next: String) -> Result<(), AppError> {
    let state = app_state()?;
    let parts = request();
    let device = cookie_value(&parts, DEVICE_COOKIE);
    let attempt = LoginAttempt {
        email: &email,
        password,
        client: parts
            .as_ref()
            .and_then(|p| p.extensions.get::<ClientAddr>())
            .map(|ClientAddr(ip)| *ip),
        device_cookie: device.as_deref(),
        user_agent: header(&parts, http::header::USER_AGENT),
    };
    let signed_in = auth::login(&state, attempt).await?;
    let target = cookie::safe_next(&next).unwrap_or(signed_in.user.role.home_path());
    set_cookies(&signed_in, state.secure_cookies);
    redirect(target);
    Ok(())
}

fn set_cookies(signed_in: &SignedIn, secure: bool) {
    set_cookie(&cookie::session(&signed_in.session_token, secure));
    if let Some(device) = &signed_in.device {
        set_cookie(&cookie::device(device, secure));
    }
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
    let token = cookie_value(&request(), SESSION_COOKIE);
    auth::logout(&state, token.as_deref()).await?;
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
    let parts = request();
    let form = FirstAdmin {
        name: &name,
        email: &email,
        password,
        user_agent: header(&parts, http::header::USER_AGENT),
    };
    let signed_in = auth::create_first_admin(&state, current_user().is_some(), form).await?;
    set_cookies(&signed_in, state.secure_cookies);
    redirect(signed_in.user.role.home_path());
    Ok(())
}
