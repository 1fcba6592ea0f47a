//! The security headers on every answer: a strict Content-Security-Policy on HTML, `nosniff`,
//! a Referrer-Policy, and `Cache-Control: no-store` on everything that is not a built file.
//!
//! The CSP is the second wall behind escaping: if user text ever did become markup, the
//! browser would still refuse to run any script that the server did not put there itself.
//! Leptos's hydration and streamed-resource scripts are inline, so each HTML answer gets a
//! fresh nonce that the page's own `<script>` tags carry (see [`provide_nonce`]).

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rand_core::{OsRng, RngCore};

/// This request's CSP nonce, made before the page renders so the header and the page agree.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, hex (hex digits are valid base64, which is what CSP asks for).
    fn new() -> Self {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        CspNonce(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Scripts only from this site or carrying this answer's nonce; the wasm may compile
    /// (`wasm-unsafe-eval`, which allows WebAssembly and nothing like `eval`); no plugins, no
    /// `<base>` tricks, no framing (clickjacking), forms post only here.
    pub fn policy(&self) -> String {
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
             font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            self.0
        )
    }
}

/// Inside a Leptos render: hands this request's nonce to Leptos, which puts it on the
/// hydration scripts, its streamed-resource scripts and the shell's own script.
pub fn provide_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// Built files are content-hashed or public and the same for everyone: the browser may keep
/// them. Everything else may hold someone's data and must not be stored by any cache.
fn is_built_file(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/favicon.svg",
        "/favicon.ico",
        "/robots.txt",
        "/manifest.webmanifest",
    ];
    EXACT.contains(&path) || path.starts_with("/pkg/") || path.starts_with("/icons/")
}

pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let built_file = is_built_file(req.uri().path());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let headers = res.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Same-site requests keep their referrer; no other site learns which page (and which
    // customer's id) someone came from.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if is_html {
        let policy = HeaderValue::from_str(&nonce.policy()).expect("hex nonce is a valid header");
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    // A handler that chose its own caching (the calendar feed, the service worker) keeps it.
    if !built_file && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_gets_its_own_nonce() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 32);
    }

    #[test]
    fn the_policy_allows_no_inline_script_without_the_nonce() {
        let policy = CspNonce("abc".into()).policy();
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline"));
        for directive in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
        ] {
            assert!(policy.contains(directive), "{directive}");
        }
    }
}
