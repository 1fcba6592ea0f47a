//! Sessions and devices: signing a lost phone out, expired sessions, cookie flags, and
//! requests from other sites.

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::new_id;
use domain::sync::{PullRequest, PushRequest};
use reqwest::Client;
use store::NewSession;
use uuid::Uuid;

const PHONE_AGENT: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
const ADMIN: &str = "admin@rapport.example";

/// A browser with its own cookie jar and user agent, logged in.
async fn browser(app: &TestApp, email: &str, agent: &str) -> Client {
    let c = Client::builder()
        .timeout(crate::helpers::ANSWER_WITHIN)
        .cookie_store(true)
        .user_agent(agent)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = app.login(&c, email, demo::DEMO_PASSWORD).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    c
}

async fn pull_status(app: &TestApp, c: &Client, device: Uuid) -> u16 {
    let request = PullRequest {
        device_id: Some(device),
        ..Default::default()
    };
    let url = app.url(&format!("/api/v1/sync/pull?{}", request.query()));
    c.get(url).send().await.unwrap().status().as_u16()
}

async fn push_status(app: &TestApp, c: &Client, device: Uuid) -> u16 {
    let body = PushRequest {
        device_id: device,
        mutations: vec![],
    };
    let url = app.url("/api/v1/sync/push");
    let res = c.post(url).json(&body).send().await.unwrap();
    res.status().as_u16()
}

async fn devices(app: &TestApp, c: &Client) -> serde_json::Value {
    json(app.call(c, "devices/list", &[]).await, 200).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_signs_out_a_lost_phone_which_must_log_in_again_to_sync() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let phone = browser(&app, SAM, PHONE_AGENT).await;
        let laptop = browser(&app, SAM, "reqwest").await;
        let (phone_id, laptop_id) = (new_id(), new_id());
        assert_eq!(pull_status(&app, &phone, phone_id).await, 200);
        assert_eq!(push_status(&app, &laptop, laptop_id).await, 200);

        // Only an admin sees and signs out devices.
        let office = app.login_as(OFFICE).await;
        for someone in [&office, &phone] {
            let res = app.call(someone, "devices/list", &[]).await;
            assert_eq!(res.status().as_u16(), 403);
            let form = [("id", phone_id.to_string())];
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(someone, "devices/revoke", &form).await;
            assert_eq!(res.status().as_u16(), 403);
        }
        assert_eq!(pull_status(&app, &phone, phone_id).await, 200);

        let admin = app.login_as(ADMIN).await;
        let list = devices(&app, &admin).await;
        let row = |list: &serde_json::Value, id: Uuid| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == id.to_string())
                .cloned()
                .unwrap_or_else(|| panic!("device {id} is listed"))
        };
        let listed = row(&list, phone_id);
        assert_eq!(listed["owner"], "Sam Ortiz");
        assert_eq!(listed["label"], "Chrome on Android");
        assert!(listed["signed_out"].is_null());

        let id = phone_id.to_string();
        json(
            app.call(&admin, "devices/revoke", &[("id", &id)]).await,
            200,
        )
        .await;
        // The phone's session is over: sync and pages alike.
        assert_eq!(pull_status(&app, &phone, phone_id).await, 401);
        assert_eq!(push_status(&app, &phone, phone_id).await, 401);
        let page = phone.get(app.url("/today")).send().await.unwrap();
        assert!(page.status().is_redirection(), "to the login page");
        // Sam's other device carries on.
        assert_eq!(pull_status(&app, &laptop, laptop_id).await, 200);
        let list = devices(&app, &admin).await;
        assert!(row(&list, phone_id)["signed_out"].is_string());
        assert!(row(&list, laptop_id)["signed_out"].is_null());

        // Whoever has it cannot bring it back by logging in: it stays out until an admin
        // allows it again.
        let res = app.login(&phone, SAM, demo::DEMO_PASSWORD).await;
        assert!(res.status().is_success() || res.status().is_redirection());
        assert_eq!(push_status(&app, &phone, phone_id).await, 403);
        assert_eq!(pull_status(&app, &phone, phone_id).await, 403);
        // Found again: an admin allows it, and it syncs as before.
        json(app.call(&admin, "devices/allow", &[("id", &id)]).await, 200).await;
        assert_eq!(push_status(&app, &phone, phone_id).await, 200);
        let list = devices(&app, &admin).await;
        assert!(row(&list, phone_id)["signed_out"].is_null());

        let unknown = new_id().to_string();
        let res = app
            .call(&admin, "devices/revoke", &[("id", &unknown)])
            .await;
        assert_eq!(
            message(&json(res, 404).await),
            "That device does not exist."
        );
        let res = app.call(&admin, "devices/revoke", &[("id", "phone")]).await;
        assert_eq!(
            message(&json(res, 422).await),
            "\"phone\" is not a valid device id."
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_is_refused() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.store.find_login(SAM).await.unwrap().unwrap().0;
        let now = Utc::now();
        let mut clients = vec![];
        for (token, expires_at) in [
            ("expired-token", now - Duration::minutes(1)),
            ("live-token", now + Duration::days(1)),
        ] {
            let session = NewSession {
                token_hash: store::password::token_hash(token),
                user_id: sam.id,
                user_agent: "test".into(),
                expires_at,
            };
            app.store
                .create_session(session, now - Duration::days(30))
                .await
                .unwrap();
            let c = Client::builder()
                .timeout(crate::helpers::ANSWER_WITHIN)
                .default_headers(
                    [(
                        reqwest::header::COOKIE,
                        format!("{}={token}", app::auth::SESSION_COOKIE)
                            .parse()
                            .unwrap(),
                    )]
                    .into_iter()
                    .collect(),
                )
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            clients.push(c);
        }
        let (expired, live) = (&clients[0], &clients[1]);
        assert_eq!(pull_status(&app, expired, new_id()).await, 401);
        let page = expired.get(app.url("/today")).send().await.unwrap();
        assert!(page.status().is_redirection());
        assert_eq!(pull_status(&app, live, new_id()).await, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_when_served_over_tls() {
    for db in testdb::TestDb::all().await {
        let app = spawn_configured(db, true, |config| config.secure_cookies = true).await;
        let c = client();
        let res = app.login(&c, SAM, demo::DEMO_PASSWORD).await;
        let cookie = res
            .headers()
            .get(reqwest::header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        for flag in ["HttpOnly", "SameSite=Lax", "Secure"] {
            assert!(cookie.contains(flag), "{}: {flag} in {cookie}", app.backend);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_from_another_site_cannot_change_data() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let form = [
            ("id", ""),
            ("name", "Planted By Evil"),
            ("contact_name", ""),
            ("address", ""),
            ("phone", ""),
            ("email", ""),
            ("access_notes", ""),
        ];
        let post = |headers: Vec<(&'static str, String)>| {
            let mut req = office
                .post(app.url("/api/customers/save"))
                .header("accept", "application/json")
                .form(&form);
            for (name, value) in headers {
                req = req.header(name, value);
            }
            req.send()
        };
        let attacks = [
            vec![("origin", "https://evil.example".to_string())],
            vec![("origin", "null".to_string())],
            vec![("sec-fetch-site", "cross-site".to_string())],
        ];
        for headers in attacks {
            let res = post(headers.clone()).await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "{headers:?}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert!(body["error"]
                .as_str()
                .unwrap()
                .contains("Another website tried to change data"));
        }
        // A GET cannot save either: server functions that change data answer only POST.
        let res = office
            .get(app.url("/api/customers/save?id=&name=Planted+By+Evil"))
            .send()
            .await
            .unwrap();
        assert!(!res.status().is_success(), "{}", res.status());
        let found = json(
            app.call(&office, "customers/list", &[("search", "Planted")])
                .await,
            200,
        )
        .await;
        assert_eq!(found.as_array().unwrap().len(), 0, "nothing was created");

        // The same form from Rapport's own page goes through, also behind a proxy that
        // passes its own address as the Host.
        let own = app.base.trim_start_matches("http://").to_string();
        let res = post(vec![
            ("origin", format!("http://{own}")),
            ("sec-fetch-site", "same-origin".to_string()),
        ])
        .await
        .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        let res = post(vec![
            ("origin", "https://rapport.example".to_string()),
            ("sec-fetch-site", "same-origin".to_string()),
        ])
        .await
        .unwrap();
        assert!(
            res.status().is_success(),
            "behind a proxy: {}",
            res.status()
        );
    }
}

async fn push_answer(
    app: &TestApp,
    c: &Client,
    device: Uuid,
    mutations: Vec<domain::sync::Mutation>,
) -> (u16, serde_json::Value) {
    let body = PushRequest {
        device_id: device,
        mutations,
    };
    let res = c
        .post(app.url("/api/v1/sync/push"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

/// A note for Sam's visit to Dorothy today, as the phone would send it.
fn a_note(visit: Uuid) -> domain::sync::Mutation {
    domain::sync::Mutation {
        id: new_id(),
        seq: 1,
        made_at: Utc::now(),
        change: crate::sync::note(visit, "written on a lost phone"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_out_device_is_refused_whatever_session_it_carries() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = crate::sync::Device::of(&app, SAM).await;
        let visit = crate::sync::dorothys_visit_today(&app, &sam).await;
        let phone = browser(&app, SAM, PHONE_AGENT).await;
        let (a, b) = (new_id(), new_id());
        // One session syncs as device A, then as device B: its link moves to B.
        assert_eq!(pull_status(&app, &phone, a).await, 200);
        assert_eq!(pull_status(&app, &phone, b).await, 200);

        let admin = app.login_as(ADMIN).await;
        let id = a.to_string();
        json(
            app.call(&admin, "devices/revoke", &[("id", &id)]).await,
            200,
        )
        .await;
        // The session that was ever on A is over, whichever device it names now.
        assert_eq!(pull_status(&app, &phone, b).await, 401);
        assert_eq!(push_status(&app, &phone, b).await, 401);

        // A new login on the lost phone does not bring device A back, and its push changes
        // nothing.
        let res = app.login(&phone, SAM, demo::DEMO_PASSWORD).await;
        assert!(res.status().is_success() || res.status().is_redirection());
        let before = snapshot(&app).await;
        let (status, body) = push_answer(&app, &phone, a, vec![a_note(visit)]).await;
        assert_eq!(status, 403, "{body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains("signed this device out") && error.contains("Ask an admin"),
            "{body}"
        );
        assert_eq!(pull_status(&app, &phone, a).await, 403);
        assert_eq!(
            snapshot(&app).await,
            before,
            "the refused push wrote nothing"
        );
        // The same login syncing as another device is not affected.
        assert_eq!(pull_status(&app, &phone, new_id()).await, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_are_believed_only_from_a_configured_proxy() {
    let dbs = testdb::TestDb::all().await;
    for (db, other_db) in dbs.into_iter().zip(testdb::TestDb::all().await) {
        let plain = spawn_configured(db, true, |_| {}).await;
        let proxied = spawn_configured(other_db, true, |c| c.trusted_proxy = true).await;
        for (app, trusted) in [(&plain, false), (&proxied, true)] {
            eprintln!("backend: {}, trusted proxy: {trusted}", app.backend);
            let office = app.login_as(OFFICE).await;
            // An old browser's cross-site form (no Sec-Fetch-Site) with a forged
            // X-Forwarded-Host that matches its own Origin.
            let res = office
                .post(app.url("/api/customers/save"))
                .header("accept", "application/json")
                .header("origin", "https://evil.example")
                .header("x-forwarded-host", "evil.example")
                .form(&[
                    ("id", ""),
                    ("name", "Forged Host Customer"),
                    ("contact_name", ""),
                    ("address", ""),
                    ("phone", ""),
                    ("email", ""),
                    ("access_notes", ""),
                ])
                .send()
                .await
                .unwrap();
            if trusted {
                assert!(res.status().is_success(), "{}", res.status());
            } else {
                let body = json(res, 403).await;
                assert!(body["error"]
                    .as_str()
                    .unwrap()
                    .contains("Another website tried to change data"));
            }

            // The calendar link names this server unless a trusted proxy says otherwise.
            let sam = app.login_as(SAM).await;
            let res = sam
                .post(app.url("/api/calendar/new"))
                .header("accept", "application/json")
                .header("x-forwarded-host", "evil.example")
                .header("x-forwarded-proto", "https")
                .send()
                .await
                .unwrap();
            let link = json(res, 200).await;
            let link = link.as_str().unwrap();
            let expected = if trusted {
                "https://evil.example/".to_string()
            } else {
                format!("{}/", app.base)
            };
            assert!(link.starts_with(&expected), "{link}");
        }
    }
}
