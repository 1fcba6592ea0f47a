//! The security headers: a strict Content-Security-Policy with a fresh nonce on every HTML
//! answer (and on every inline script of the page), `nosniff`, a Referrer-Policy, and
//! `Cache-Control: no-store` on everything authenticated.

use crate::helpers::*;
use domain::sync::PullRequest;
use reqwest::Response;
use scraper::{Html, Selector};

fn header(res: &Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Checks one HTML answer: the policy's directives, and that every script of the page is
/// either from the site or carries the nonce the policy names. Returns the nonce.
async fn check_html(res: Response, what: &str) -> String {
    let policy = header(&res, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(
            policy.contains(directive),
            "{what}: {directive} in {policy:?}"
        );
    }
    assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(&res, "referrer-policy"), "same-origin", "{what}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("{what}: no nonce in {policy}"))
        .to_string();
    assert!(nonce.len() >= 22, "{what}: a nonce of 128 bits: {nonce}");
    let page = Html::parse_document(&res.text().await.unwrap());
    let scripts = Selector::parse("script").unwrap();
    let mut inline = 0;
    for script in page.select(&scripts) {
        if script.attr("src").is_none() {
            inline += 1;
            assert_eq!(
                script.attr("nonce"),
                Some(nonce.as_str()),
                "{what}: an inline script without this answer's nonce: {}",
                script.html().chars().take(120).collect::<String>()
            );
        }
    }
    assert!(
        inline > 0,
        "{what}: the page has its inline scripts (shell, hydration)"
    );
    nonce
}

#[tokio::test]
async fn every_html_answer_has_a_strict_policy_with_a_fresh_nonce() {
    for app in spawn_apps(true).await {
        let anonymous = client();
        let first = check_html(
            anonymous.get(app.url("/login")).send().await.unwrap(),
            "login",
        )
        .await;
        let second = check_html(
            anonymous.get(app.url("/login")).send().await.unwrap(),
            "login",
        )
        .await;
        assert_ne!(first, second, "each answer has its own nonce");

        let office = app.login_as(OFFICE).await;
        for path in ["/customers", "/board", "/promises", "/no-such-page"] {
            let res = office.get(app.url(path)).send().await.unwrap();
            assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
            check_html(res, path).await;
        }
        let sam = app.login_as(SAM).await;
        let res = sam.get(app.url("/today")).send().await.unwrap();
        assert_eq!(header(&res, "cache-control"), "no-store", "/today");
        check_html(res, "/today").await;
    }
}

#[tokio::test]
async fn authenticated_json_is_never_stored_by_a_cache() {
    for app in spawn_apps(true).await {
        let sam = app.login_as(SAM).await;
        let pull = PullRequest::default();
        let res = sam
            .get(app.url(&format!("/api/v1/sync/pull?{}", pull.query())))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "cache-control"), "no-store", "sync pull");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");

        let admin = app.login_as("admin@rapport.example").await;
        let made = json(
            app.call(&admin, "tokens/new", &[("name", "Accounts")])
                .await,
            200,
        )
        .await;
        let token = made.as_str().expect("the new token is shown once");
        let res = client()
            .get(app.url("/api/v1/customers?limit=2"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "cache-control"), "no-store", "REST");

        // A server function's answer too.
        let res = app.call(&admin, "tokens/list", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "cache-control"), "no-store", "server function");
    }
}
