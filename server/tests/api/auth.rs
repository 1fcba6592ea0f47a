use crate::helpers::*;
use chrono::{Duration, Utc};
use reqwest::Client;
use std::net::IpAddr;
use std::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers_ok() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        let res = client().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(json(res, 200).await["status"], "ok");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_without_a_session_redirect_to_login_and_api_calls_get_401() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let c = client();
        let res = c.get(app.url("/customers?q=gift")).send().await.unwrap();
        assert!(res.status().is_redirection());
        assert_eq!(
            res.headers()["location"],
            "/login?next=/customers%3Fq%3Dgift"
        );
        let res = app.call(&c, "customers/list", &[("search", "")]).await;
        assert_eq!(res.status().as_u16(), 401);
        let res = c.get(app.url("/login")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_visitor_of_a_new_installation_creates_the_admin_and_only_once() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        let c = client();
        let res = c.get(app.url("/customers")).send().await.unwrap();
        assert_eq!(res.headers()["location"], "/setup");

        let form = [
            ("name", "Ada Owner"),
            ("email", "ada@example.com"),
            ("password", "short"),
        ];
        let res = app.call(&c, "auth/setup", &form).await;
        assert!(message(&json(res, 422).await).contains("at least 10 characters"));

        let form = [
            ("name", "Ada Owner"),
            ("email", "ada@example.com"),
            ("password", "a long passphrase"),
        ];
        let res = app.call(&c, "auth/setup", &form).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{}",
            res.status()
        );
        // Signed in straight away, as admin.
        let me = json(app.call(&c, "auth/me", &[]).await, 200).await;
        assert_eq!(me["role"], "admin");

        let other = client();
        let form = [
            ("name", "Mallory"),
            ("email", "m@example.com"),
            ("password", "another long one"),
        ];
        let res = app.call(&other, "auth/setup", &form).await;
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(app.store.user_count().await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_email_get_the_same_clear_message() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let c = client();
        let wrong_pw = json(app.login(&c, OFFICE, "not the password").await, 422).await;
        let unknown = json(
            app.login(&c, "nobody@example.com", "not the password")
                .await,
            422,
        )
        .await;
        assert_eq!(
            message(&wrong_pw),
            "That email and password do not match an account."
        );
        assert_eq!(wrong_pw, unknown);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_failed_logins_lock_the_account_for_a_while() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        // Failures from this client's address (the tests connect from 127.0.0.1).
        for _ in 0..10 {
            let now = Utc::now();
            app.store
                .record_login_attempt(OFFICE, "127.0.0.1", now, now - Duration::hours(1))
                .await
                .unwrap();
        }
        let c = client();
        let res = app.login(&c, OFFICE, demo::DEMO_PASSWORD).await;
        let body = json(res, 429).await;
        assert!(
            message(&body).contains("Too many failed attempts"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_http_only_same_site_cookie_and_logout_revokes_it() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let c = client();
        let res = app.login(&c, OFFICE, demo::DEMO_PASSWORD).await;
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("rapport_session="));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie.split(';').next().unwrap().to_string();

        let res = app.call(&c, "auth/logout", &[]).await;
        assert!(res.status().is_success() || res.status().is_redirection());

        // The old token no longer opens anything, even if a copy of it was kept.
        let stale = client();
        let res = stale
            .post(app.url("/api/customers/list"))
            .header("cookie", token)
            .form(&[("search", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_requests_are_refused_with_a_413_the_sender_receives() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let c = app.login_as(OFFICE).await;
        let huge = "x".repeat(2 * 1024 * 1024);
        let res = app
            .call(&c, "customers/list", &[("search", huge.as_str())])
            .await;
        let body = json(res, 413).await;
        assert_eq!(
            body["error"],
            "The request is larger than 1 MB, the most Rapport accepts. Send less at once."
        );
        // Refused while the sender is still sending, the answer used to be lost to a reset
        // connection now and then ("broken pipe"); each of these must arrive as a 413.
        for (path, size, says) in [
            ("/api/v1/sync/push", 4, "larger than 1 MB"),
            ("/api/v1/import/customers/preview", 17, "larger than 16 MB"),
        ] {
            let body = vec![b'x'; size * 1024 * 1024];
            for round in 0..10 {
                let res = c
                    .post(app.url(path))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{path}, round {round}: {e:?}"));
                let text = json(res, 413).await["error"].to_string();
                assert!(text.contains(says), "{path}: {text}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_create_admin_command_makes_an_admin_who_can_log_in() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        let weak =
            server::setup::create_admin(app.store.as_ref(), "ada@example.com", "Ada", "short")
                .await;
        assert!(weak
            .unwrap_err()
            .to_string()
            .contains("at least 10 characters"));
        server::setup::create_admin(
            app.store.as_ref(),
            "ada@example.com",
            "Ada",
            "a long passphrase",
        )
        .await
        .unwrap();
        let c = client();
        let res = app.login(&c, "ada@example.com", "a long passphrase").await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{}",
            res.status()
        );
        let me = json(app.call(&c, "auth/me", &[]).await, 200).await;
        assert_eq!(me["role"], "admin");
    }
}

/// A browser-like client connecting from another local address (all of 127.0.0.0/8 is this
/// machine), as a person elsewhere would.
fn client_from(addr: &str) -> Client {
    Client::builder()
        .timeout(ANSWER_WITHIN)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(addr.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn login_with_next(app: &TestApp, c: &Client, next: &str) -> reqwest::Response {
    let form = [
        ("email", OFFICE),
        ("password", demo::DEMO_PASSWORD),
        ("next", next),
    ];
    app.call(c, "auth/login", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_login_next_never_leads_off_the_site_or_breaks_the_answer() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        // What `/login?next=…` hands the form, already decoded: a tab (browsers drop it, and
        // `//evil.example` is another site), a DEL (cannot go into a Location header), and
        // the plain ways out.
        let payloads = [
            "/\t/evil.example/x",
            "/\r\n/evil.example/x",
            "/customers\u{7f}",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
        ];
        for next in payloads {
            let res = login_with_next(&app, &client(), next).await;
            assert!(
                res.status().is_success() || res.status().is_redirection(),
                "{next:?}: {}",
                res.status()
            );
            assert_eq!(res.headers()["location"], "/customers", "{next:?}");
        }
        let res = login_with_next(&app, &client(), "/customers?q=gift").await;
        assert_eq!(res.headers()["location"], "/customers?q=gift");

        // The gate sends a person to log in with only a safe `next`.
        let res = client()
            .get(app.url("/customers?q=gift"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["location"],
            "/login?next=/customers%3Fq%3Dgift"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_from_one_address_lock_that_address_and_not_the_account() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        // A browser the office manager logged in on before the attack.
        let known = client();
        let res = app.login(&known, OFFICE, demo::DEMO_PASSWORD).await;
        assert!(res.status().is_success() || res.status().is_redirection());

        let attacker = client_from("127.0.0.1");
        for _ in 0..10 {
            let res = app.login(&attacker, OFFICE, "a guess").await;
            assert_eq!(res.status().as_u16(), 422);
        }
        // That address is locked, even with the right password.
        let res = app.login(&attacker, OFFICE, demo::DEMO_PASSWORD).await;
        let body = json(res, 429).await;
        assert!(
            message(&body).contains("Too many failed attempts"),
            "{body}"
        );
        let res = app.login(&attacker, SAM, demo::DEMO_PASSWORD).await;
        assert_eq!(res.status().as_u16(), 429, "for every account");

        // The real user elsewhere still logs in, and so does their known browser on the
        // attacker's own network.
        let elsewhere = client_from("127.0.0.2");
        let res = app.login(&elsewhere, OFFICE, demo::DEMO_PASSWORD).await;
        assert!(
            res.status().is_redirection() || res.status().is_success(),
            "{}",
            res.status()
        );
        let res = app.login(&known, OFFICE, demo::DEMO_PASSWORD).await;
        assert!(
            res.status().is_redirection() || res.status().is_success(),
            "{}",
            res.status()
        );

        // Failures from many addresses lock the account for browsers it never used, but not
        // for one its owner logged in on before.
        let sams_phone = client_from("127.0.0.4");
        let res = app.login(&sams_phone, SAM, demo::DEMO_PASSWORD).await;
        assert!(res.status().is_redirection() || res.status().is_success());
        let now = Utc::now();
        for i in 0..20 {
            let from = format!("192.0.2.{i}");
            app.store
                .record_login_attempt(SAM, &from, now, now - Duration::hours(1))
                .await
                .unwrap();
        }
        let stranger = client_from("127.0.0.3");
        let res = app.login(&stranger, SAM, demo::DEMO_PASSWORD).await;
        assert_eq!(res.status().as_u16(), 429);
        let res = app.login(&sams_phone, SAM, demo::DEMO_PASSWORD).await;
        let status = res.status();
        assert!(status.is_redirection() || status.is_success(), "{status}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_keep_no_email_that_is_no_account_and_old_ones_go() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let long_ago = Utc::now() - Duration::days(2);
        app.store
            .record_login_failure(OFFICE, long_ago)
            .await
            .unwrap();
        let c = client();
        for email in ["nobody@example.com", "x@y", "NOBODY@example.com"] {
            let res = app.login(&c, email, "a guess").await;
            assert_eq!(res.status().as_u16(), 422);
        }
        let since = long_ago - Duration::days(1);
        for email in ["nobody@example.com", "x@y"] {
            assert_eq!(
                app.store.login_failures_since(email, since).await.unwrap(),
                0
            );
        }
        // A real account's failure is kept, and the one from two days ago is gone.
        let res = app.login(&c, OFFICE, "a guess").await;
        assert_eq!(res.status().as_u16(), 422);
        assert_eq!(
            app.store.login_failures_since(OFFICE, since).await.unwrap(),
            1
        );
        // The made-up emails' failures count for the address, but carry no email.
        assert_eq!(
            failure_emails(&app).await,
            [None, None, None, Some(OFFICE.to_string())]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_visitors_make_exactly_one_admin() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        let mut attempts = tokio::task::JoinSet::new();
        for i in 0..8 {
            let url = app.url("/api/auth/setup");
            attempts.spawn(async move {
                let email = format!("first{i}@example.com");
                let form = [
                    ("name", "First Visitor"),
                    ("email", email.as_str()),
                    ("password", "a long passphrase"),
                ];
                let res = client()
                    .post(url)
                    .header("accept", "application/json")
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                (status, res.text().await.unwrap())
            });
        }
        let answers = attempts.join_all().await;
        let made = answers
            .iter()
            .filter(|(s, _)| s.is_success() || s.is_redirection())
            .count();
        assert_eq!(made, 1, "{answers:?}");
        for (status, body) in answers.iter().filter(|(s, _)| s.is_client_error()) {
            assert_eq!(status.as_u16(), 403);
            assert!(body.contains("already has an admin"), "{body}");
        }
        assert_eq!(app.store.user_count().await.unwrap(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_are_json_also_for_a_wrong_method_or_address() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let res = sam.get(app.url("/api/v1/sync/push")).send().await.unwrap();
        assert_eq!(res.headers()["allow"], "POST");
        let body = json(res, 405).await;
        let error = body["error"].as_str().unwrap();
        assert!(error.contains("GET") && error.contains("POST"), "{error}");

        let res = sam.get(app.url("/api/v1/nope")).send().await.unwrap();
        let body = json(res, 404).await;
        assert!(body["error"]
            .as_str()
            .unwrap()
            .contains("no such API address"));
    }
}

/// The email of every stored login failure, oldest first, read straight from the database.
async fn failure_emails(app: &TestApp) -> Vec<Option<String>> {
    let sql = "SELECT email FROM login_failures ORDER BY id";
    if app.backend == "sqlite" {
        let pool = sqlx::SqlitePool::connect(app.db_url()).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    } else {
        let pool = sqlx::PgPool::connect(app.db_url()).await.unwrap();
        sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_and_made_up_emails_are_slowed_and_locked_alike() {
    const FAKE: &str = "nobody@example.com";
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let since = Utc::now() - Duration::hours(1);
        // From a fresh address each, the fourth wrong try waits as long for a made-up email
        // as for a real one (three failures before it: 400 ms), with the same answer.
        let mut answers = vec![];
        for (email, from) in [(OFFICE, "127.0.0.21"), (FAKE, "127.0.0.22")] {
            let c = client_from(from);
            for _ in 0..3 {
                let res = app.login(&c, email, "a guess").await;
                assert_eq!(res.status().as_u16(), 422, "{email}");
            }
            let started = Instant::now();
            let res = app.login(&c, email, "a guess").await;
            let took = started.elapsed();
            answers.push(json(res, 422).await);
            assert!(
                took >= std::time::Duration::from_millis(400),
                "{email}: {took:?}"
            );
            let failures = app.store.client_login_failures_since(from, since).await;
            assert_eq!(failures.unwrap(), 4, "{email}");
        }
        assert_eq!(answers[0], answers[1]);

        // Ten failures from one address, spread over both: both are then refused alike.
        let c = client_from("127.0.0.23");
        for i in 0..10 {
            let email = if i % 2 == 0 { OFFICE } else { FAKE };
            let res = app.login(&c, email, "a guess").await;
            assert_eq!(res.status().as_u16(), 422, "try {i}, {email}");
        }
        let real = json(app.login(&c, OFFICE, demo::DEMO_PASSWORD).await, 429).await;
        let made_up = json(app.login(&c, FAKE, "a guess").await, 429).await;
        assert_eq!(real, made_up);

        // No row holds the made-up email: 4 + 5 of them carry none, the rest the account's.
        let emails = failure_emails(&app).await;
        assert_eq!(
            emails.iter().filter(|e| e.is_none()).count(),
            9,
            "{emails:?}"
        );
        assert!(emails.iter().flatten().all(|e| e == OFFICE), "{emails:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_sent_at_once_count_before_any_is_answered() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..15 {
            let url = app.url("/api/auth/login");
            guesses.spawn(async move {
                let password = format!("guess number {i}");
                let form = [("email", OFFICE), ("password", password.as_str())];
                let res = client()
                    .post(url)
                    .header("accept", "application/json")
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                (status, res.text().await.unwrap())
            });
        }
        let answers = guesses.join_all().await;
        let checked = answers.iter().filter(|(s, _)| *s == 422).count();
        let refused: Vec<_> = answers.iter().filter(|(s, _)| *s == 429).collect();
        assert!(checked <= 10, "{answers:?}");
        assert_eq!(checked + refused.len(), 15, "{answers:?}");
        for (_, body) in refused {
            assert!(body.contains("Too many failed attempts"), "{body}");
        }
        // Only the checked guesses stay counted as failures.
        let since = Utc::now() - Duration::hours(1);
        let failures = app.store.client_login_failures_since("127.0.0.1", since);
        assert_eq!(failures.await.unwrap(), checked as i64);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_makes_every_known_device_a_stranger_again() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let known = client_from("127.0.0.5");
        let res = app.login(&known, OFFICE, demo::DEMO_PASSWORD).await;
        assert!(res.status().is_success() || res.status().is_redirection());
        // Failures from many addresses lock the account for every browser but this one.
        let now = Utc::now();
        for i in 0..20 {
            let from = format!("192.0.2.{i}");
            app.store
                .record_login_attempt(OFFICE, &from, now, now - Duration::hours(1))
                .await
                .unwrap();
        }
        let stranger = client_from("127.0.0.6");
        let res = app.login(&stranger, OFFICE, demo::DEMO_PASSWORD).await;
        assert_eq!(res.status().as_u16(), 429);
        let res = app.login(&known, OFFICE, demo::DEMO_PASSWORD).await;
        let status = res.status();
        assert!(status.is_success() || status.is_redirection(), "{status}");

        // The password is reset: the browser's cookie no longer makes it known.
        let (user, _) = app.store.find_login(OFFICE).await.unwrap().unwrap();
        let new_password = "a brand new passphrase";
        let hash = store::password::hash_password(new_password);
        app.store.set_password(user.id, &hash).await.unwrap();
        let res = app.login(&known, OFFICE, new_password).await;
        let body = json(res, 429).await;
        assert!(
            message(&body).contains("Too many failed attempts"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_device_key_is_stored_once_and_never_replaced() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        // Instances making the key at once all end up signing with the same one.
        let mut makers = tokio::task::JoinSet::new();
        for i in 0..8 {
            let store = app.store.clone();
            makers.spawn(async move {
                let candidate = format!("key {i}");
                store
                    .setting_or_insert("login_device_key", &candidate)
                    .await
                    .unwrap()
            });
        }
        let keys = makers.join_all().await;
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        let later = app.store.setting_or_insert("login_device_key", "another");
        assert_eq!(later.await.unwrap(), keys[0]);
        let stored = app.store.setting("login_device_key").await.unwrap();
        assert_eq!(stored.as_ref(), Some(&keys[0]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_name_and_email_must_be_plain_text() {
    for app in spawn_apps(false).await {
        eprintln!("backend: {}", app.backend);
        let c = client();
        let long_email = format!("{}@example.com", "a".repeat(200));
        for (name, email, says) in [
            (
                "Ada\0Owner",
                "ada@example.com",
                "The name contains an invisible control",
            ),
            (
                "Ada",
                "ada\0@example.com",
                "The email contains an invisible control",
            ),
            ("Ada", long_email.as_str(), "longer than 200 characters"),
        ] {
            let form = [
                ("name", name),
                ("email", email),
                ("password", "a long passphrase"),
            ];
            let res = app.call(&c, "auth/setup", &form).await;
            let body = json(res, 422).await;
            assert!(message(&body).contains(says), "{name:?} {email:?}: {body}");

            let cli =
                server::setup::create_admin(app.store.as_ref(), email, name, "a long passphrase")
                    .await;
            let error = cli.unwrap_err().to_string();
            assert!(error.contains(says), "{name:?} {email:?}: {error}");
        }
        assert_eq!(app.store.user_count().await.unwrap(), 0);
    }
}
