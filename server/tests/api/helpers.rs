use service::Clock;
use reqwest::{redirect, Client, Response};
use serde_json::Value;
use server::{Application, Config};
use store::test_db::TestDb;
use store::DynStore;

pub struct TestApp {
    pub base: String,
    pub store: DynStore,
    /// "sqlite" or "postgres".
    pub backend: &'static str,
    db_url: String,
    /// The first instance owns the database; a second instance over it does not.
    _db: Option<TestDb>,
}

/// The server on every backend this run covers (SQLite, and PostgreSQL when
/// `TEST_DATABASE_URL` is set), each on a free port over a fresh database of its own.
pub async fn spawn_apps(demo: bool) -> Vec<TestApp> {
    let mut apps = vec![];
    for db in TestDb::all().await {
        apps.push(spawn_on(db, demo).await);
    }
    apps
}

/// Starts the server over this database, with or without the demo data.
pub async fn spawn_on(db: TestDb, demo: bool) -> TestApp {
    spawn_configured(db, demo, |_| {}).await
}

/// Starts the server with a setting changed (e.g. `secure_cookies`).
pub async fn spawn_configured(
    db: TestDb,
    demo: bool,
    configure: impl FnOnce(&mut Config),
) -> TestApp {
    let mut config = Config::for_tests(db.url.clone());
    config.demo = demo;
    configure(&mut config);
    let app = Application::build(config, Clock::system())
        .await
        .expect("server builds");
    let base = format!("http://{}", app.address());
    let store = app.state.app.store.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        store,
        backend: db.backend,
        db_url: db.url.clone(),
        _db: Some(db),
    }
}

/// How long a test waits for any answer. A page whose stream never ends (as a Leptos render
/// can, see `promises::OverdueBadge`) fails its test instead of hanging the whole run.
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

/// A browser-like client: keeps cookies, does not follow redirects so tests can see them.
pub fn client() -> Client {
    Client::builder()
        .timeout(ANSWER_WITHIN)
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    /// Another server instance over the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let app = Application::build(Config::for_tests(self.db_url.clone()), Clock::system())
            .await
            .expect("second instance builds");
        let base = format!("http://{}", app.address());
        let store = app.state.app.store.clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            store,
            backend: self.backend,
            db_url: self.db_url.clone(),
            _db: None,
        }
    }

    /// The database this instance runs on, for tests that must write what no endpoint can.
    pub fn db_url(&self) -> &str {
        &self.db_url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Calls a server function the way a form does (URL-encoded POST).
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Logs in with the demo password and returns the client holding the session cookie.
    pub async fn login_as(&self, email: &str) -> Client {
        let c = client();
        let res = self.login(&c, email, store::demo::DEMO_PASSWORD).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "login {}",
            res.status()
        );
        c
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(
            client,
            "auth/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// One page, read as it streams: its status and HTML, or, when the stream stalls for `stall`,
/// where it stopped. Leptos can, rarely, leave a streamed page unfinished (see
/// `customers::every_page_arrives_whole_when_many_load_at_once`).
pub async fn load_page(
    client: &Client,
    url: &str,
    stall: std::time::Duration,
) -> Result<(reqwest::StatusCode, String), String> {
    let mut res = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = res.status();
    let mut body = Vec::new();
    loop {
        match tokio::time::timeout(stall, res.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            Ok(Ok(None)) => return Ok((status, String::from_utf8_lossy(&body).into_owned())),
            stalled => {
                let text = String::from_utf8_lossy(&body);
                let tail: Vec<char> = text.chars().rev().take(400).collect::<Vec<_>>();
                let tail: String = tail.into_iter().rev().collect();
                return Err(format!(
                    "{url} stalled ({stalled:?}) after {} bytes, ending: …{tail}",
                    body.len()
                ));
            }
        }
    }
}

/// The body of a response as JSON, with the status checked first.
pub async fn json(res: Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status");
    res.json().await.unwrap()
}

/// The message of a server-function error body such as `{"Invalid": "..."}`.
pub fn message(body: &Value) -> String {
    body.as_object()
        .and_then(|o| o.values().next())
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

pub const OFFICE: &str = "office@rapport.example";
pub const SAM: &str = "sam@rapport.example";
pub const PRIYA: &str = "priya@rapport.example";

/// What a refused or malformed request must leave alone (customers, priorities, promises,
/// settings, plans, visits and notes), as one comparable value.
pub async fn snapshot(app: &TestApp) -> String {
    let all = store::CustomerFilter {
        limit: 1000,
        ..Default::default()
    };
    let customers = app.store.list_customers(&all).await.unwrap();
    let ids: Vec<uuid::Uuid> = customers.iter().map(|c| c.id).collect();
    let mut details = vec![];
    for id in &ids {
        details.push(format!("{:?}", app.store.get_customer(*id).await.unwrap()));
    }
    let priorities = app.store.priorities_of(&ids).await.unwrap().len();
    let promises = app
        .store
        .promises(&store::PromiseFilter::default())
        .await
        .unwrap();
    let cutoff = app.store.setting("callback_cutoff").await.unwrap();
    let plans = app.store.all_plans().await.unwrap().len();
    let visits = app
        .store
        .past_visits(
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2200, 1, 1).unwrap(),
        )
        .await
        .unwrap()
        .len();
    let mut scheduled = vec![];
    for id in &ids {
        let from = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2200, 1, 1).unwrap();
        scheduled.push(format!(
            "{:?}",
            app.store.customer_visits(*id, from, to).await.unwrap()
        ));
    }
    let mut notes = 0;
    for id in &ids {
        notes += app.store.customer_notes(*id, 100_000).await.unwrap().len();
    }
    format!(
        "{details:?}|{priorities}|{promises:?}|{cutoff:?}|{plans}|{visits}|{scheduled:?}|{notes}"
    )
}
