//! The taint test: hostile text in every field people can write, then every page, as every
//! role, parsed as HTML — no element or attribute may come from the text.
//!
//! Text gets into Rapport from phones (sync), integrations (REST), CSV imports and forms, and
//! comes out in pages the admin opens. The payloads try every way out of the usual contexts
//! (attribute values, `<textarea>`, `<title>`, `<script>`, `<style>`); one field holds them
//! all, so whichever context a field lands in, its way out is tried.
//!
//! Two lists keep the test honest as the app grows: every text column of the database is
//! either user text (tainted here) or named as not user text, so a new column fails the test
//! until someone decides which it is; and every route of the app is visited, so a new page is
//! rendered with the tainted data as soon as it exists.

use crate::helpers::*;
use domain::sync::PullRequest;
use reqwest::Client;
use scraper::Html;
use std::collections::BTreeSet;

/// The marker that no page of Rapport's own ever uses as an element or attribute name.
const TAG: &str = "tainted-x";
const ATTR: &str = "data-taint";

/// Every way out of a context that HTML has, one after the other. Each breakout, if it works,
/// leaves a `tainted-x` element or a `data-taint` / `on…` attribute in the parsed page.
fn payload() -> String {
    let escapes = [
        ("attribute", "\"'>"),
        ("textarea", "</textarea>"),
        ("title", "</title>"),
        ("script", "</script>"),
        ("style", "</style>"),
        ("noscript", "</noscript>"),
        ("comment", "-->"),
        ("template", "</template>"),
    ];
    let mut text = String::from(" ");
    for (context, escape) in escapes {
        text.push_str(&format!("{escape}<{TAG} {ATTR}=\"{context}\"></{TAG}>"));
    }
    // Handlers and a script of its own, in case the rest is stripped rather than escaped.
    text.push_str(&format!(
        "<img src=x {ATTR}=img onerror=taint()><script>taint()</script>"
    ));
    text
}

/// Text columns that people write (typed, pasted, sent by a phone or an integration, or a
/// header their browser sends), and that some page may show.
const USER_TEXT: &[(&str, &str)] = &[
    ("users", "name"),
    ("users", "email"),
    ("sessions", "user_agent"),
    ("login_failures", "email"),
    ("login_failures", "client"),
    ("customers", "name"),
    ("customers", "contact_name"),
    ("customers", "address"),
    ("customers", "phone"),
    ("customers", "email"),
    ("customers", "access_notes"),
    ("priorities", "text"),
    ("priority_events", "text"),
    ("service_plans", "service_type"),
    ("visits", "skip_reason"),
    ("visit_notes", "body"),
    ("promises", "text"),
    ("promises", "drop_reason"),
    ("devices", "label"),
    ("conflicts", "server_value"),
    ("conflicts", "device_value"),
    ("continuity_breaks", "reason_text"),
    ("calls", "summary"),
    ("audit_log", "detail"),
    ("api_tokens", "name"),
];

/// Text columns that hold no one's words: times and dates (SQLite keeps them as text), ids,
/// hashes, and values from a fixed list that the server checks.
const NOT_USER_TEXT: &[(&str, &str)] = &[
    ("_sqlx_migrations", "description"),
    ("settings", "key"),
    ("settings", "value"),
    ("users", "role"),
    ("users", "password_hash"),
    ("sessions", "token_hash"),
    ("device_sessions", "token_hash"),
    ("priorities", "heard_role"),
    ("priority_events", "kind"),
    ("service_plans", "frequency"),
    ("service_plans", "preferred_days"),
    ("service_plans", "months"),
    ("visits", "status"),
    ("visits", "plan_occurrence"),
    ("promises", "origin"),
    ("promises", "status"),
    ("applied_mutations", "kind"),
    ("applied_mutations", "outcome"),
    ("tombstones", "entity"),
    ("field_versions", "entity"),
    ("field_versions", "field"),
    ("conflicts", "entity"),
    ("conflicts", "field"),
    ("continuity_breaks", "reason"),
    ("audit_log", "entity"),
    ("audit_log", "action"),
    ("calendar_feeds", "token_hash"),
    ("api_tokens", "token_hash"),
];

/// A column of times or dates, which SQLite stores as text.
fn is_time(column: &str) -> bool {
    column.ends_with("_at")
        || column.ends_with("_on")
        || column == "at"
        || column.starts_with("window_")
        || column == "due_time"
}

/// Every text column of the SQLite schema (the one where every column's type is visible
/// as text), as (table, column).
async fn text_columns(pool: &sqlx::SqlitePool) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(_, column, kind)| kind.eq_ignore_ascii_case("TEXT") && !is_time(column))
        .map(|(table, column, _)| (table, column))
        .collect()
}

/// Appends the payload to every user text column of every row (a `NULL` stays `NULL`: an
/// absent skip reason is not text). Appending keeps unique values (emails) unique.
fn taint_statements() -> Vec<String> {
    let literal = payload().replace('\'', "''");
    USER_TEXT
        .iter()
        .map(|(table, column)| format!("UPDATE {table} SET {column} = {column} || '{literal}'"))
        .collect()
}

async fn taint(app: &TestApp) {
    if app.backend == "sqlite" {
        let pool = sqlx::SqlitePool::connect(app.db_url()).await.unwrap();
        let columns = text_columns(&pool).await;
        let known: BTreeSet<(String, String)> = USER_TEXT
            .iter()
            .chain(NOT_USER_TEXT)
            .map(|(t, c)| (t.to_string(), c.to_string()))
            .collect();
        let unknown: Vec<_> = columns.difference(&known).collect();
        assert!(
            unknown.is_empty(),
            "text columns the taint test does not know: {unknown:?}. Add each to USER_TEXT \
             (people can write it, so the pages must show it escaped) or NOT_USER_TEXT."
        );
        for sql in taint_statements() {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    } else {
        let pool = sqlx::PgPool::connect(app.db_url()).await.unwrap();
        for sql in taint_statements() {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    }
}

/// What in one parsed page came from a payload: an element or attribute that only a payload
/// could have made, or an inline handler (Rapport's pages have none).
fn leaks(page: &Html) -> Vec<String> {
    let mut found = vec![];
    for node in page.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if element.name() == TAG {
            found.push(format!("<{TAG}> element ({:?})", element.attr(ATTR)));
        }
        for (name, value) in element.attrs() {
            if name == ATTR || name.starts_with("on") {
                found.push(format!(
                    "attribute {name}={value:?} on <{}>",
                    element.name()
                ));
            }
        }
        // A script the payload opened would hold its own text as code.
        if element.name() == "script" {
            let code: String = scraper::ElementRef::wrap(node)
                .map(|e| e.text().collect())
                .unwrap_or_default();
            if code.trim_start().starts_with("taint()") {
                found.push("a <script> of the payload's own".into());
            }
        }
    }
    found
}

/// Whether the page shows a payload as text, so the test is not passing on pages that show
/// nothing of the tainted data.
fn shows_payload_as_text(page: &Html) -> bool {
    page.root_element()
        .text()
        .any(|t| t.contains(&format!("</textarea><{TAG}")))
}

/// The app's every page path, from its own route list, with the tainted customer's id.
fn pages(customer: uuid::Uuid) -> Vec<String> {
    let mut paths: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    assert!(
        paths.len() >= 14,
        "the route list looks incomplete: {paths:?}"
    );
    paths
        .into_iter()
        .map(|p| p.replace(":id", &customer.to_string()))
        .map(|p| p.replace("{id}", &customer.to_string()))
        .inspect(|p| {
            assert!(
                !p.contains(':') && !p.contains('{'),
                "a route with a parameter the taint test cannot fill: {p}"
            )
        })
        .chain(["/no-such-page".to_string()])
        .collect()
}

/// One page. This test is about markup, so a page whose stream stalls (a rare Leptos race,
/// which `customers::every_page_arrives_whole_when_many_load_at_once` hunts) is loaded once
/// more, and the stall is printed with where it stopped.
async fn load(client: &Client, url: &str) -> Result<(reqwest::StatusCode, String), String> {
    let stall = std::time::Duration::from_secs(20);
    match load_page(client, url, stall).await {
        Ok(page) => Ok(page),
        Err(first) => {
            eprintln!("{first}; loading it again");
            load_page(client, url, stall)
                .await
                .map_err(|second| format!("stalled twice: {first}; {second}"))
        }
    }
}

#[tokio::test]
async fn no_user_text_becomes_markup_on_any_page_for_any_role() {
    for app in spawn_apps(true).await {
        let office = app.login_as(OFFICE).await;
        let admin = app.login_as("admin@rapport.example").await;
        let sam = app.login_as(SAM).await;
        let priya = app.login_as(PRIYA).await;
        // A device (Sam's phone) and an API token, so their names exist to be tainted.
        let pull = PullRequest {
            device_id: Some(domain::new_id()),
            ..Default::default()
        };
        let res = sam
            .get(app.url(&format!("/api/v1/sync/pull?{}", pull.query())))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        json(
            app.call(&admin, "tokens/new", &[("name", "Accounts")])
                .await,
            200,
        )
        .await;

        let dorothy = app
            .store
            .list_customers(&store::CustomerFilter {
                search: "Dorothy".into(),
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        taint(&app).await;

        let anonymous = client();
        let roles: [(&str, &Client); 5] = [
            ("office", &office),
            ("admin", &admin),
            ("technician Sam (serves Dorothy)", &sam),
            ("technician Priya", &priya),
            ("anonymous", &anonymous),
        ];
        let mut shown = BTreeSet::new();
        for path in pages(dorothy) {
            for (role, client) in roles {
                let (status, body) = load(client, &app.url(&path))
                    .await
                    .unwrap_or_else(|e| panic!("{} {path} as {role}: {e}", app.backend));
                assert!(
                    !status.is_server_error(),
                    "{} {path} as {role}: {status}",
                    app.backend
                );
                let page = Html::parse_document(&body);
                let found = leaks(&page);
                assert!(
                    found.is_empty(),
                    "{} {path} as {role}: user text became markup: {found:#?}",
                    app.backend
                );
                if shows_payload_as_text(&page) {
                    shown.insert(path.clone());
                }
            }
        }
        // The tainted data did reach the pages that show it, as text.
        for path in [
            format!("/customers/{dorothy}"),
            format!("/customers/{dorothy}/edit"),
            "/customers".into(),
            "/board".into(),
            "/promises".into(),
            "/at-risk".into(),
            "/devices".into(),
            "/api-tokens".into(),
        ] {
            assert!(
                shown.contains(&path),
                "{}: {path} shows none of the tainted text, so it proves nothing",
                app.backend
            );
        }
    }
}
