//! Who may use each versioned JSON route (REST, sync, calendar, export, import): every route
//! the server serves (`server::routes::endpoints`, the tables its router is built from) is
//! tried as nobody and as a technician, with a body that would change data if the refusal
//! were missing. A route without a row here fails the test, so a new one cannot go untried.

use crate::helpers::*;
use chrono::Utc;
use reqwest::{Client, Method};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use store::{CustomerFilter, PromiseFilter};

/// Who a row lets in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum May {
    /// Office and admin (or an API token, which acts for the admin who made it).
    Office,
    /// Anyone signed in: the phones' sync.
    SignedIn,
    /// Anyone: the API's description, and calendar feeds (whose secret link is the
    /// credential, tried in `calendar`).
    Public,
}

/// A route as the router writes it, the address tried, the body sent, and who may.
struct Row {
    method: Method,
    route: &'static str,
    path: String,
    body: Option<Value>,
    may: May,
}

fn row(method: Method, route: &'static str, path: String, body: Option<Value>, may: May) -> Row {
    Row {
        method,
        route,
        path,
        body,
        may,
    }
}

async fn send(app: &TestApp, client: &Client, row: &Row) -> reqwest::Response {
    let mut req = client.request(row.method.clone(), app.url(&row.path));
    if let Some(body) = &row.body {
        req = req.json(body);
    }
    req.send().await.unwrap()
}

/// The status, and that the answer is the API's JSON error with a message.
async fn refused(res: reqwest::Response, what: &str) -> u16 {
    let status = res.status().as_u16();
    let body: Value = res
        .json()
        .await
        .unwrap_or_else(|e| panic!("{what}: {status} without a JSON body: {e}"));
    let message = body["error"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: {status} {body}");
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_refuses_whoever_may_not_use_it() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let search = CustomerFilter {
            search: "green fork".into(),
            limit: 5,
            ..Default::default()
        };
        let diner = app.store.list_customers(&search).await.unwrap()[0].id;
        let priority = app.store.priorities_of(&[diner]).await.unwrap()[0].id;
        let promise = app
            .store
            .promises(&PromiseFilter {
                customer_id: Some(diner),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        let today = Utc::now().date_naive();
        let visit = app
            .store
            .customer_visits(
                diner,
                today - chrono::Duration::days(14),
                today + chrono::Duration::days(56),
            )
            .await
            .unwrap()[0]
            .id;
        // An import that would add a customer, based on what the database holds now.
        let based_on = app.store.current_version().await.unwrap();
        let file = json!({ "csv": "name\nImported Ltd\n", "mapping": {}, "based_on": based_on });
        let device = domain::new_id();
        let table = vec![
            row(
                Method::GET,
                "/api/v1/openapi.json",
                "/api/v1/openapi.json".into(),
                None,
                May::Public,
            ),
            row(
                Method::GET,
                "/api/v1/customers",
                "/api/v1/customers".into(),
                None,
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/customers",
                "/api/v1/customers".into(),
                Some(json!({ "name": "Injected Ltd" })),
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/customers/{id}",
                format!("/api/v1/customers/{diner}"),
                None,
                May::Office,
            ),
            row(
                Method::PATCH,
                "/api/v1/customers/{id}",
                format!("/api/v1/customers/{diner}"),
                Some(json!({ "access_notes": "Changed by whoever got in" })),
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/customers/{id}/priorities",
                format!("/api/v1/customers/{diner}/priorities"),
                None,
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/customers/{id}/priorities",
                format!("/api/v1/customers/{diner}/priorities"),
                Some(json!({ "text": "Injected" })),
                May::Office,
            ),
            row(
                Method::PATCH,
                "/api/v1/priorities/{id}",
                format!("/api/v1/priorities/{priority}"),
                Some(json!({ "text": "Rewritten" })),
                May::Office,
            ),
            row(
                Method::DELETE,
                "/api/v1/priorities/{id}",
                format!("/api/v1/priorities/{priority}"),
                None,
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/visits",
                "/api/v1/visits".into(),
                None,
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/visits/{id}",
                format!("/api/v1/visits/{visit}"),
                None,
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/promises",
                "/api/v1/promises".into(),
                None,
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/promises",
                "/api/v1/promises".into(),
                Some(json!({ "customer_id": diner, "text": "Injected", "due_on": today })),
                May::Office,
            ),
            row(
                Method::GET,
                "/api/v1/promises/{id}",
                format!("/api/v1/promises/{promise}"),
                None,
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/promises/{id}/close",
                format!("/api/v1/promises/{promise}/close"),
                Some(json!({ "status": "kept" })),
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/sync/push",
                "/api/v1/sync/push".into(),
                Some(json!({ "device_id": device, "mutations": [] })),
                May::SignedIn,
            ),
            row(
                Method::GET,
                "/api/v1/sync/pull",
                "/api/v1/sync/pull?cursor=0".into(),
                None,
                May::SignedIn,
            ),
            row(
                Method::GET,
                "/api/v1/calendar/{file}",
                "/api/v1/calendar/not-a-link.ics".into(),
                None,
                May::Public,
            ),
            row(
                Method::GET,
                "/api/v1/export/{file}",
                "/api/v1/export/customers.csv".into(),
                None,
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/import/customers/preview",
                "/api/v1/import/customers/preview".into(),
                Some(file.clone()),
                May::Office,
            ),
            row(
                Method::POST,
                "/api/v1/import/customers",
                "/api/v1/import/customers".into(),
                Some(file),
                May::Office,
            ),
        ];

        // Every route the server serves has a row, and every row is a route.
        let served: BTreeSet<(String, &str)> = server::routes::endpoints()
            .into_iter()
            .map(|e| (e.method.to_string(), e.path))
            .collect();
        let rows: BTreeSet<(String, &str)> = table
            .iter()
            .map(|r| (r.method.to_string(), r.route))
            .collect();
        let missing: Vec<_> = served.difference(&rows).collect();
        assert!(
            missing.is_empty(),
            "API routes without a row here (say who may call each): {missing:?}"
        );
        let stale: Vec<_> = rows.difference(&served).collect();
        assert!(stale.is_empty(), "rows for no route: {stale:?}");

        let before = snapshot(&app).await;
        let devices = app.store.list_devices().await.unwrap();
        let nobody = client();
        let priya = app.login_as(PRIYA).await;
        for r in &table {
            let what = format!("{} {}", r.method, r.route);
            if r.may == May::Public {
                continue;
            }
            let anonymous = refused(send(&app, &nobody, r).await, &what).await;
            assert_eq!(anonymous, 401, "{what} without a session");
            if r.may == May::Office {
                let technician = refused(send(&app, &priya, r).await, &what).await;
                assert_eq!(technician, 403, "{what} as a technician");
            }
        }
        assert_eq!(snapshot(&app).await, before, "refused calls changed data");
        assert_eq!(
            app.store.list_devices().await.unwrap(),
            devices,
            "a refused push or pull registered a device"
        );

        // Those allowed get through (the bodies above are valid).
        let office = app.login_as(OFFICE).await;
        for r in &table {
            let who = match r.may {
                May::Office => &office,
                May::SignedIn => &priya,
                // Tried in `rest` (the document) and `calendar` (the feeds).
                May::Public => continue,
            };
            let res = send(&app, who, r).await;
            let code = res.status().as_u16();
            assert!(
                (200..300).contains(&code),
                "{} {} as {:?}: {code} {}",
                r.method,
                r.route,
                r.may,
                res.text().await.unwrap_or_default()
            );
        }
    }
}
