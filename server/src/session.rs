//! The session gate: every request except logging in needs a live session.

use crate::state::ServerState;
use app::auth::{cookie, ClientAddr, SESSION_COOKIE};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use service::CurrentUser;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
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
        "/api/v1/openapi.json",
    ];
    // A calendar feed's secret link is its own credential: calendar apps send no cookies.
    let calendar_feed = path
        .strip_prefix(app::calendar::FEED_PREFIX)
        .is_some_and(|file| file.ends_with(".ics") && !file.contains('/'));
    EXACT.contains(&path) || is_static(path) || calendar_feed
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

/// The hash of the session cookie a request came with, for handlers that record which
/// session a device uses (so that signing the device out revokes it).
#[derive(Clone, Debug)]
pub struct SessionHash(pub String);

/// The gate sets it beside a session's user; a caller with an API token has none (empty).
impl<S: Send + Sync> FromRequestParts<S> for SessionHash {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<SessionHash>()
            .cloned()
            .unwrap_or(SessionHash(String::new())))
    }
}

pub async fn gate(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    // Every page load fetches the wasm, js, css and icons: no database round trip for those.
    if is_static(req.uri().path()) {
        return next.run(req).await;
    }
    let trusted_proxy = state.app.trusted_proxy;
    if let Some(refusal) = cross_site_write(&req, trusted_proxy) {
        return refusal;
    }
    if let Some(client) = client_addr(&req, trusted_proxy) {
        req.extensions_mut().insert(ClientAddr(client));
    }
    if let Some(token) = bearer_token(&req) {
        return match state
            .app
            .store
            .api_token_user(&token_hash(token), state.app.clock.now())
            .await
        {
            Ok(Some(user)) => {
                signed_in(&user);
                req.extensions_mut().insert(CurrentUser(user));
                next.run(req).await
            }
            Ok(None) => {
                let body = serde_json::json!({
                    "error": "This API token does not work: it was revoked or is mistyped. An admin can make a new one on the API tokens page."
                });
                (StatusCode::UNAUTHORIZED, Json(body)).into_response()
            }
            Err(e) => {
                tracing::error!(error = %e, "API token lookup failed");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            }
        };
    }
    let hash = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| cookie::find(h, SESSION_COOKIE))
        .map(|token| token_hash(&token));
    let now = state.app.clock.now();
    let user = match &hash {
        Some(hash) => match state.app.store.session_user(hash, now).await {
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
    if let (Some(user), Some(hash)) = (user, hash) {
        signed_in(&user);
        req.extensions_mut().insert(CurrentUser(user));
        req.extensions_mut().insert(SessionHash(hash));
        return next.run(req).await;
    }
    if is_public(&path) {
        return next.run(req).await;
    }
    let is_page = req.method() == Method::GET && !path.starts_with("/api/");
    let next = req.uri().path_and_query().map(|p| p.as_str().to_string());
    refuse(&state, is_page, next.as_deref().unwrap_or("/")).await
}

/// Records who is calling on the request's span (`startup::request_span`), so every line
/// logged for the request names them.
fn signed_in(user: &domain::UserSummary) {
    tracing::Span::current().record("user", tracing::field::display(user.id));
}

/// The REST API's token (`Authorization: Bearer …`). Only the REST routes take one: pages,
/// server functions and the phones' sync stay with sessions.
fn bearer_token(req: &Request) -> Option<&str> {
    let path = req.uri().path();
    if !crate::rest::takes_tokens(path) {
        return None;
    }
    req.headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A request that would change data, sent by another site's page: refused before anything
/// else. The session cookie is SameSite=Lax, so browsers do not send it with such requests
/// anyway; this also covers browsers that ignore SameSite and forms posted to the login.
fn cross_site_write(req: &Request, trusted_proxy: bool) -> Option<Response> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let sent = SentFrom {
        fetch_site: header("sec-fetch-site"),
        origin: header(header::ORIGIN.as_str()),
        // Behind a proxy the Host header may be the proxy's; it passes the original on (the
        // first entry when proxies are chained). Only a configured proxy is believed: any
        // client can send this header, and a forged one matching its own Origin would
        // otherwise pass another site's page off as Rapport's.
        host: header("x-forwarded-host")
            .filter(|_| trusted_proxy)
            .and_then(|h| h.split(',').next())
            .or(header(header::HOST.as_str()))
            .map(str::trim),
    };
    sent.is_cross_site().then(|| {
        let body = serde_json::json!({
            "error": "Another website tried to change data in Rapport; the request was refused. Open Rapport itself and try again."
        });
        (StatusCode::FORBIDDEN, Json(body)).into_response()
    })
}

/// The address of the client: the peer of the connection, or behind a configured proxy the
/// address that proxy appended to `X-Forwarded-For` (the last entry: earlier ones are whatever
/// the client sent, so they are not believed).
fn client_addr(req: &Request, trusted_proxy: bool) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if !trusted_proxy {
        if req.headers().contains_key("x-forwarded-for") && first_time(&FORWARDED_FOR_WARNED) {
            tracing::warn!(
                "a request came with X-Forwarded-For, which is ignored without --trusted-proxy: \
                 behind a reverse proxy, set --trusted-proxy, or every client counts as the \
                 proxy's address for the login throttle (and ten failures lock everyone out)"
            );
        }
        return peer;
    }
    // The last entry of the last header, and only that: if it is not an address, the peer's.
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|entry| entry.trim().parse::<IpAddr>().ok());
    forwarded.or(peer)
}

/// Whether the warning about an ignored `X-Forwarded-For` was given (once per process).
static FORWARDED_FOR_WARNED: AtomicBool = AtomicBool::new(false);

/// True the first time it is called with this flag, false ever after.
fn first_time(flag: &AtomicBool) -> bool {
    !flag.swap(true, Ordering::Relaxed)
}

/// Where a request says it comes from.
struct SentFrom<'a> {
    fetch_site: Option<&'a str>,
    origin: Option<&'a str>,
    host: Option<&'a str>,
}

impl SentFrom<'_> {
    /// Browsers that send `Sec-Fetch-Site` say it outright, whatever proxies did to the Host
    /// header; only `same-origin` (Rapport's own pages) and `none` (typed by the person) may
    /// write. Older browsers are judged by `Origin` against the host; a request with neither
    /// header is not from a browser page (a script or a phone's sync with an old engine).
    fn is_cross_site(&self) -> bool {
        match (self.fetch_site, self.origin) {
            (Some(site), _) => !matches!(site, "same-origin" | "none"),
            // "null" is what a sandboxed frame or a page opened from a file sends.
            (None, Some(origin)) => origin_host(origin) != self.host,
            (None, None) => false,
        }
    }
}

/// `host[:port]` of an Origin header (`scheme://host[:port]`); none for "null" or garbage.
fn origin_host(origin: &str) -> Option<&str> {
    let (_, rest) = origin.split_once("://")?;
    Some(rest.trim_end_matches('/')).filter(|h| !h.is_empty() && !h.contains('/'))
}

/// No session: pages send the person to log in (or, on a new installation, to create the
/// admin account); API calls get a 401 that says what to do.
async fn refuse(state: &ServerState, is_page: bool, next: &str) -> Response {
    if !is_page {
        let message = if crate::rest::takes_tokens(next) {
            "Send an API token (Authorization: Bearer <token>; an admin makes them on the API tokens page), or log in."
        } else {
            "Please log in to continue."
        };
        let body = serde_json::json!({ "error": message });
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let no_users = matches!(state.app.store.user_count().await, Ok(0));
    if no_users {
        return Redirect::to("/setup").into_response();
    }
    // Only a same-site path made of plain characters is passed on; anything else would be
    // refused after the login anyway, so the person simply lands on their home page.
    let target = match cookie::safe_next(next) {
        Some(next) if next != "/" => format!("/login?next={}", encode(next)),
        _ => "/login".to_string(),
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
    fn writes_from_other_sites_are_told_apart_from_rapports_own_pages() {
        let sent = |fetch_site, origin, host| SentFrom {
            fetch_site,
            origin,
            host,
        };
        let proxied = Some("127.0.0.1:3000");
        let cases = [
            (
                "own page",
                sent(Some("same-origin"), Some("https://r.example"), proxied),
                false,
            ),
            (
                "typed by the person",
                sent(Some("none"), None, proxied),
                false,
            ),
            (
                "another site",
                sent(Some("cross-site"), Some("https://evil.example"), proxied),
                true,
            ),
            (
                "a sibling subdomain",
                sent(Some("same-site"), Some("https://x.r.example"), proxied),
                true,
            ),
            (
                "old browser, same host",
                sent(None, Some("http://127.0.0.1:3000"), proxied),
                false,
            ),
            (
                "old browser, other host",
                sent(None, Some("https://evil.example"), proxied),
                true,
            ),
            ("sandboxed frame", sent(None, Some("null"), proxied), true),
            ("no browser at all", sent(None, None, proxied), false),
        ];
        for (what, sent, cross) in cases {
            assert_eq!(sent.is_cross_site(), cross, "{what}");
        }
    }

    #[test]
    fn an_origin_names_the_host_it_came_from() {
        let cases = [
            ("http://127.0.0.1:3000", Some("127.0.0.1:3000")),
            ("https://rapport.example", Some("rapport.example")),
            ("https://rapport.example/", Some("rapport.example")),
            ("null", None),
            ("https://", None),
            ("https://evil.example/path", None),
        ];
        for (origin, host) in cases {
            assert_eq!(origin_host(origin), host, "{origin}");
        }
    }

    #[test]
    fn a_warning_given_once_is_given_once() {
        let flag = AtomicBool::new(false);
        assert!(first_time(&flag));
        assert!(!first_time(&flag));
        assert!(!first_time(&flag));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_configured_proxy() {
        let request = |forwarded: &[&str]| {
            let mut req = Request::new(axum::body::Body::empty());
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 40000))));
            for value in forwarded {
                req.headers_mut()
                    .append("x-forwarded-for", value.parse().unwrap());
            }
            req
        };
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        let spoofed = request(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(client_addr(&spoofed, false), ip("10.0.0.1"));
        // The proxy appends the address it saw: the last entry. Earlier ones are the client's.
        assert_eq!(client_addr(&spoofed, true), ip("203.0.113.9"));
        let two_headers = request(&["6.6.6.6", "203.0.113.9"]);
        assert_eq!(client_addr(&two_headers, true), ip("203.0.113.9"));
        let garbage_last = request(&["6.6.6.6, nonsense"]);
        assert_eq!(client_addr(&garbage_last, true), ip("10.0.0.1"));
        assert_eq!(client_addr(&request(&[]), true), ip("10.0.0.1"));
    }

    #[test]
    fn next_is_percent_encoded() {
        assert_eq!(encode("/customers?q=a b&x"), "/customers%3Fq%3Da%20b%26x");
    }
}
