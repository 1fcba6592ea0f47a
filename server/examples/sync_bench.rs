//! Sync throughput through the real HTTP endpoints: one device pushes N visit notes (in pushes
//! of 500, the protocol's maximum), then a fresh device pulls the whole window page by page.
//!
//!     cargo run --release -p server --example sync_bench -- sqlite 10000
//!     TEST_DATABASE_URL=postgres://127.0.0.1:5432/test \
//!         cargo run --release -p server --example sync_bench -- postgres 10000
//!
//! `bench/sync-throughput.sh` runs both. The server runs in this process on a fresh database
//! with the demo data; the client is reqwest over loopback, as a phone's requests would be.

#[path = "common/mod.rs"]
mod common;

use chrono::Utc;
use domain::sync::{
    AddVisitNote, Change, Mutation, Outcome, PullResponse, PushRequest, PushResponse,
};
use domain::{new_id, VisitStatus};
use server::{Application, Config};
use service::Clock;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().unwrap_or_else(|| "sqlite".into());
    let notes: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let db = common::fresh_db(&backend).await?;
    let mut config = Config::for_tests(db.url.clone());
    config.demo = true;
    let app = Application::build(config, Clock::system()).await?;
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run_until_stopped());

    let client = common::logged_in(&base, "sam@rapport.example").await?;
    let first: PullResponse = client
        .get(format!("{base}/api/v1/sync/pull?cursor=0&limit=5000"))
        .send()
        .await?
        .json()
        .await?;
    let today = Utc::now().date_naive();
    let visit = first
        .visits
        .iter()
        .find(|v| v.scheduled_on == today && v.status == VisitStatus::Scheduled)
        .ok_or_else(|| anyhow::anyhow!("no visit today"))?
        .id;

    let device = new_id();
    let mutations: Vec<Mutation> = (0..notes)
        .map(|i| Mutation {
            id: new_id(),
            seq: i as i64 + 1,
            made_at: Utc::now(),
            change: Change::AddVisitNote(AddVisitNote {
                note_id: new_id(),
                visit_id: visit,
                body: format!("Bench note {i}: checked stations, replaced bait, all clear."),
            }),
        })
        .collect();
    let started = Instant::now();
    for batch in mutations.chunks(domain::sync::MAX_PUSH_MUTATIONS) {
        let body = PushRequest {
            device_id: device,
            mutations: batch.to_vec(),
        };
        let answer: PushResponse = client
            .post(format!("{base}/api/v1/sync/push"))
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::ensure!(answer.results.iter().all(|r| r.outcome == Outcome::Applied));
    }
    let push = started.elapsed();

    let started = Instant::now();
    let (mut cursor, mut rows, mut pages) = (0, 0usize, 0);
    loop {
        let page: PullResponse = client
            .get(format!("{base}/api/v1/sync/pull?cursor={cursor}&limit=500"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        rows += page.notes.len()
            + page.visits.len()
            + page.customers.len()
            + page.priorities.len()
            + page.promises.len();
        pages += 1;
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    let pull = started.elapsed();
    println!(
        "{backend}: push {notes} notes in {:.2} s = {:.0} notes/s; pull {rows} rows in {pages} pages in {:.2} s = {:.0} rows/s",
        push.as_secs_f64(),
        notes as f64 / push.as_secs_f64(),
        pull.as_secs_f64(),
        rows as f64 / pull.as_secs_f64(),
    );
    drop(db);
    Ok(())
}
