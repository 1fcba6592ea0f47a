//! The session gate: every request except logging in needs a live session.

use crate::startup::ServerState;
use app::auth::{cookie, SESSION_COOKIE};
use app::state::CurrentUser;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use store::password::token_hash;

/// Paths anyone may load: the login and setup pages and their server functions, health, and
/// the static files the login page itself needs.
fn is_public(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/login",
        "/setup",
        "/healthz",
        "/api/auth/login",
        "/api/auth/setup",
        "/api/auth/me",
    ];
    EXACT.contains(&path) || is_static(path)
}

/// Built and public files: the same for everyone, so they need no session lookup at all.
fn is_static(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/favicon.svg",
        "/favicon.ico",
        "/robots.txt",
        "/manifest.webmanifest",
        "/sw.js",
    ];
    EXACT.contains(&path) || path.starts_with("/pkg/") || path.starts_with("/icons/")
}

pub async fn gate(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    // Every page load fetches the wasm, js, css and icons: no database round trip for those.
    if is_static(req.uri().path()) {
        return next.run(req).await;
    }
    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| cookie::find(h, SESSION_COOKIE));
    let now = state.app.clock.now();
    let user = match token {
        Some(token) => match state.app.store.session_user(&token_hash(&token), now).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The database is not answering; try again shortly.",
                )
                    .into_response();
            }
        },
        None => None,
    };
    let path = req.uri().path().to_string();
    if let Some(user) = user {
        req.extensions_mut().insert(CurrentUser(user));
        return next.run(req).await;
    }
    if is_public(&path) {
        return next.run(req).await;
    }
    let is_page = req.method() == Method::GET && !path.starts_with("/api/");
    let next = req.uri().path_and_query().map(|p| p.as_str().to_string());
    refuse(&state, is_page, next.as_deref().unwrap_or("/")).await
}

/// No session: pages send the person to log in (or, on a new installation, to create the
/// admin account); API calls get a 401 that says what to do.
async fn refuse(state: &ServerState, is_page: bool, next: &str) -> Response {
    if !is_page {
        let body = serde_json::json!({ "error": "Please log in to continue." });
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let no_users = matches!(state.app.store.user_count().await, Ok(0));
    if no_users {
        return Redirect::to("/setup").into_response();
    }
    let target = if next == "/" {
        "/login".to_string()
    } else {
        format!("/login?next={}", encode(next))
    };
    Redirect::to(&target).into_response()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/` sends each user to their own home: technicians to today's route, office to customers.
pub async fn home(req: Request) -> Redirect {
    match req.extensions().get::<CurrentUser>() {
        Some(CurrentUser(user)) => Redirect::to(user.role.home_path()),
        None => Redirect::to("/login"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_login_and_static_files_are_public() {
        for path in ["/login", "/api/auth/login", "/pkg/rapport.wasm", "/healthz"] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/",
            "/customers",
            "/api/customers/list",
            "/today",
            "/loginx",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }

    #[test]
    fn next_is_percent_encoded() {
        assert_eq!(encode("/customers?q=a b&x"), "/customers%3Fq%3Da%20b%26x");
    }
}
