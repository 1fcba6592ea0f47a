//! N technicians syncing at once: each pulls their day, pushes five notes and pulls again,
//! all N starting together. Reports p50/p99 latency per request and the errors.
//!
//!     cargo run --release -p server --example load_bench -- sqlite 100,500,1000
//!     TEST_DATABASE_URL=postgres://127.0.0.1:5432/test \
//!         cargo run --release -p server --example load_bench -- postgres 100,500,1000
//!
//! `bench/load.sh` runs both. The server and the N clients share this process (and this
//! machine's cores), as a load generator on the same box would; each technician has a
//! session, a customer and a visit today, made straight in the store.

#[path = "common/mod.rs"]
mod common;

use chrono::{Duration as Days, Utc};
use domain::sync::{
    AddVisitNote, Change, Mutation, Outcome, PullResponse, PushRequest, PushResponse,
};
use domain::{new_id, CustomerDraft, Role, VisitStatus};
use server::{Application, Config};
use service::Clock;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::password::{hash_password, new_session_token, token_hash};
use store::{NewSession, NewUser, NewVisit, Store};
use tokio::sync::Barrier;

const NOTES: usize = 5;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().unwrap_or_else(|| "sqlite".into());
    let sizes: Vec<usize> = args
        .next()
        .unwrap_or_else(|| "100,500,1000".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    println!("{backend}: N technicians sync at once (pull, push {NOTES} notes, pull)");
    println!(
        "{:>6} {:>9} {:>9} {:>9} {:>9} {:>7} {:>10}",
        "N", "requests", "p50 ms", "p99 ms", "max ms", "errors", "wall s"
    );
    for n in sizes {
        run(&backend, n).await?;
    }
    Ok(())
}

async fn run(backend: &str, n: usize) -> anyhow::Result<()> {
    let db = common::fresh_db(backend).await?;
    let app = Application::build(Config::for_tests(db.url.clone()), Clock::system()).await?;
    let store = app.state.app.store.clone();
    let base = format!("http://{}", app.address());
    let tokens = technicians(&*store, n).await?;
    tokio::spawn(app.run_until_stopped());

    let start = Arc::new(Barrier::new(n));
    let began = Instant::now();
    let mut runs = tokio::task::JoinSet::new();
    for token in tokens {
        let (base, start) = (base.clone(), start.clone());
        runs.spawn(async move { technician(&base, &token, &start).await });
    }
    let (mut latencies, mut errors) = (Vec::new(), 0);
    while let Some(done) = runs.join_next().await {
        let (times, failed) = done?;
        latencies.extend(times);
        errors += failed;
    }
    let wall = began.elapsed();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len().max(1) - 1) as f64 * q).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{:>6} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>7} {:>10.2}",
        n,
        latencies.len() + errors,
        at(0.5),
        at(0.99),
        at(1.0),
        errors,
        wall.as_secs_f64()
    );
    drop(db);
    Ok(())
}

/// `n` technicians, each with a session, a customer and a visit today; their session tokens.
async fn technicians(store: &dyn Store, n: usize) -> anyhow::Result<Vec<String>> {
    let now = Utc::now();
    // One hash for everyone: hashing is deliberately slow, and nobody logs in here.
    let password_hash = hash_password("load-bench-password");
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let user = store
            .create_user(
                NewUser {
                    email: format!("tech{i}@load.example"),
                    name: format!("Technician {i}"),
                    role: Role::Technician,
                    password_hash: password_hash.clone(),
                },
                now,
            )
            .await?;
        let customer = store
            .create_customer(
                new_id(),
                CustomerDraft {
                    name: format!("Load customer {i}"),
                    address: format!("{i} Load Street"),
                    ..Default::default()
                },
                Some(user.id),
                None,
                now,
            )
            .await?;
        store
            .create_visit(
                NewVisit {
                    id: new_id(),
                    plan: None,
                    created_by: None,
                    customer_id: customer.id,
                    technician_id: Some(user.id),
                    scheduled_on: now.date_naive(),
                    window_start: None,
                    window_end: None,
                    position: 0,
                    status: VisitStatus::Scheduled,
                    arrived_at: None,
                    departed_at: None,
                    skip_reason: None,
                },
                now,
            )
            .await?;
        let token = new_session_token();
        store
            .create_session(
                NewSession {
                    token_hash: token_hash(&token),
                    user_id: user.id,
                    user_agent: "load bench".into(),
                    expires_at: now + Days::days(1),
                },
                now,
            )
            .await?;
        tokens.push(token);
    }
    Ok(tokens)
}

/// One technician's sync; the latency of each request, and how many failed.
async fn technician(base: &str, token: &str, start: &Barrier) -> (Vec<Duration>, usize) {
    let mut headers = reqwest::header::HeaderMap::new();
    let cookie = format!("{}={token}", app::auth::SESSION_COOKIE);
    headers.insert(reqwest::header::COOKIE, cookie.parse().expect("a cookie"));
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("a client");
    let (mut times, mut errors) = (Vec::new(), 0);
    start.wait().await;
    let mut timed = |took: Result<Duration, ()>| match took {
        Ok(took) => times.push(took),
        Err(()) => errors += 1,
    };
    let pulled = pull(&client, base, 0).await;
    let (visit, cursor) = match &pulled {
        Ok((_, page)) => (page.visits.first().map(|v| v.id), page.cursor),
        Err(()) => (None, 0),
    };
    timed(pulled.map(|(took, _)| took));
    let Some(visit) = visit else {
        return (times, errors + 2);
    };
    let device = new_id();
    let push = PushRequest {
        device_id: device,
        mutations: (0..NOTES)
            .map(|i| Mutation {
                id: new_id(),
                seq: i as i64 + 1,
                made_at: Utc::now(),
                change: Change::AddVisitNote(AddVisitNote {
                    note_id: new_id(),
                    visit_id: visit,
                    body: format!("Load note {i}: all stations checked."),
                }),
            })
            .collect(),
    };
    let started = Instant::now();
    let pushed = async {
        let answer: PushResponse = client
            .post(format!("{base}/api/v1/sync/push"))
            .json(&push)
            .send()
            .await
            .map_err(|_| ())?
            .error_for_status()
            .map_err(|_| ())?
            .json()
            .await
            .map_err(|_| ())?;
        if answer.results.iter().all(|r| r.outcome == Outcome::Applied) {
            Ok(started.elapsed())
        } else {
            Err(())
        }
    }
    .await;
    timed(pushed);
    timed(pull(&client, base, cursor).await.map(|(took, _)| took));
    (times, errors)
}

async fn pull(
    client: &reqwest::Client,
    base: &str,
    cursor: i64,
) -> Result<(Duration, PullResponse), ()> {
    let started = Instant::now();
    let page: PullResponse = client
        .get(format!(
            "{base}/api/v1/sync/pull?cursor={cursor}&limit=1000"
        ))
        .send()
        .await
        .map_err(|_| ())?
        .error_for_status()
        .map_err(|_| ())?
        .json()
        .await
        .map_err(|_| ())?;
    Ok((started.elapsed(), page))
}
