//! Pull latency for one technician while the database grows: 1 000 to 1 000 000 customers
//! (each with a visit for another technician and a priority), and the technician's own route
//! the same at every size. A delta pull should cost what the changes cost, not what the
//! database holds.
//!
//!     cargo run --release -p server --example pull_latency -- sqlite 1000,10000,100000,1000000
//!     TEST_DATABASE_URL=postgres://127.0.0.1:5432/test \
//!         cargo run --release -p server --example pull_latency -- postgres 1000,10000
//!
//! `bench/pull-latency.sh` runs both. The server runs in this process; the client is reqwest
//! over loopback, logged in as Sam (demo data).

#[path = "common/mod.rs"]
mod common;

use chrono::{DateTime, Utc};
use domain::sync::PullResponse;
use domain::{new_id, PriorityDraft, Role};
use server::{Application, Config};
use service::Clock;
use std::time::{Duration, Instant};
use store::NewPriority;
use uuid::Uuid;

/// Requests timed per measurement; the median and the 95th percentile are reported.
const SAMPLES: usize = 30;
/// Changes the office makes for the technician between their pulls.
const CHANGES: usize = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().unwrap_or_else(|| "sqlite".into());
    let sizes: Vec<i64> = args
        .next()
        .unwrap_or_else(|| "1000,10000,100000".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    println!("{backend}: one technician's pull (ms; median / p95 of {SAMPLES})");
    println!(
        "{:>10} {:>8} {:>22} {:>22} {:>22}",
        "customers", "seed s", "whole window", "delta, nothing new", "delta, 10 changes"
    );
    for size in sizes {
        measure(&backend, size).await?;
    }
    Ok(())
}

async fn measure(backend: &str, size: i64) -> anyhow::Result<()> {
    let db = common::fresh_db(backend).await?;
    let mut config = Config::for_tests(db.url.clone());
    config.demo = true;
    let app = Application::build(config, Clock::system()).await?;
    let store = app.state.app.store.clone();
    let base = format!("http://{}", app.address());
    let jake = store
        .find_login("jake@rapport.example")
        .await?
        .unwrap()
        .0
        .id;
    let office = store.find_login("office@rapport.example").await?.unwrap().0;
    let seeding = Instant::now();
    seed(&db.url, size, jake, office.id).await?;
    let seeded = seeding.elapsed();
    tokio::spawn(app.run_until_stopped());

    let sam = common::logged_in(&base, "sam@rapport.example").await?;
    let pull = |cursor: i64| {
        let sam = sam.clone();
        let url = format!("{base}/api/v1/sync/pull?cursor={cursor}&limit=1000");
        async move {
            let started = Instant::now();
            let page: PullResponse = sam
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            anyhow::Ok((started.elapsed(), page))
        }
    };
    let mut whole = Vec::new();
    let mut cursor = 0;
    for _ in 0..SAMPLES {
        let (took, page) = pull(0).await?;
        anyhow::ensure!(!page.more, "the window fits one page");
        whole.push(took);
        cursor = page.cursor;
    }
    let mut nothing = Vec::new();
    for _ in 0..SAMPLES {
        let (took, page) = pull(cursor).await?;
        anyhow::ensure!(page.priorities.is_empty());
        nothing.push(took);
    }
    // The office hears ten new things about Sam's customers.
    let sams = store.find_login("sam@rapport.example").await?.unwrap().0.id;
    let filter = store::CustomerFilter {
        served_by: Some((sams, chrono::Utc::now().date_naive())),
        limit: CHANGES as i64,
        ..Default::default()
    };
    let customers = store.list_customers(&filter).await?;
    for i in 0..CHANGES {
        store
            .add_priority(NewPriority {
                id: new_id(),
                customer_id: customers[i % customers.len()].id,
                draft: PriorityDraft {
                    text: format!("Bench change {i}"),
                    pinned: false,
                },
                heard_by_id: office.id,
                heard_role: Role::Office,
                heard_at: Utc::now(),
            })
            .await?;
    }
    let mut changed = Vec::new();
    for _ in 0..SAMPLES {
        let (took, page) = pull(cursor).await?;
        anyhow::ensure!(
            page.priorities.len() >= CHANGES,
            "the delta has the changes"
        );
        changed.push(took);
    }
    println!(
        "{:>10} {:>8.1} {:>22} {:>22} {:>22}",
        size,
        seeded.as_secs_f64(),
        spread(&mut whole),
        spread(&mut nothing),
        spread(&mut changed)
    );
    drop(db);
    Ok(())
}

/// "12.3 / 15.0": the median and the 95th percentile, in milliseconds.
fn spread(samples: &mut [Duration]) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "{:.1} / {:.1}",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0
    )
}

/// `size` customers of Jake's, each with a visit somewhere in the four months around today
/// and a priority: the bulk the technician's pull must not wade through.
async fn seed(url: &str, size: i64, jake: Uuid, office: Uuid) -> anyhow::Result<()> {
    let now: DateTime<Utc> = Utc::now();
    let today = now.date_naive();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        let (base,): (i64,) = sqlx::query_as("SELECT version FROM org_state WHERE id = 1")
            .fetch_one(&pool)
            .await?;
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO customers (id, name, contact_name, address, phone, email, access_notes,
                assigned_technician_id, created_at, updated_at, version)
             SELECT randomblob(16), 'Bench customer ' || i, '', i || ' Long Road', '', '', '',
                ?2, ?3, ?3, ?4 + i FROM n",
        )
        .bind(size)
        .bind(jake)
        .bind(now)
        .bind(base)
        .execute(&pool)
        .await?;
        sqlx::query(
            "INSERT INTO visits (id, customer_id, technician_id, scheduled_on, position, status,
                created_at, updated_at, version, placed_version)
             SELECT randomblob(16), id, ?1,
                date(?2, printf('%+d days', abs(random()) % 120 - 60)), 0, 'scheduled',
                ?3, ?3, ?4 + rowid, ?4 + rowid
             FROM customers WHERE name LIKE 'Bench customer %'",
        )
        .bind(jake)
        .bind(today)
        .bind(now)
        .bind(base + size)
        .execute(&pool)
        .await?;
        sqlx::query(
            "INSERT INTO priorities (id, customer_id, text, pinned, heard_by_id, heard_role,
                heard_at, version)
             SELECT randomblob(16), id, 'Call before coming', 0, ?1, 'office', ?2, ?3 + rowid
             FROM customers WHERE name LIKE 'Bench customer %'",
        )
        .bind(office)
        .bind(now)
        .bind(base + 3 * size)
        .execute(&pool)
        .await?;
        sqlx::query("UPDATE org_state SET version = ?1 WHERE id = 1")
            .bind(base + 6 * size)
            .execute(&pool)
            .await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        let (base,): (i64,) = sqlx::query_as("SELECT version FROM org_state WHERE id = 1")
            .fetch_one(&pool)
            .await?;
        sqlx::query(
            "INSERT INTO customers (id, name, contact_name, address, phone, email, access_notes,
                assigned_technician_id, created_at, updated_at, version)
             SELECT gen_random_uuid(), 'Bench customer ' || i, '', i || ' Long Road', '', '', '',
                $2, $3, $3, $4 + i FROM generate_series(1, $1) AS i",
        )
        .bind(size)
        .bind(jake)
        .bind(now)
        .bind(base)
        .execute(&pool)
        .await?;
        sqlx::query(
            "INSERT INTO visits (id, customer_id, technician_id, scheduled_on, position, status,
                created_at, updated_at, version, placed_version)
             SELECT gen_random_uuid(), id, $1, $2::date + (floor(random() * 120)::int - 60), 0,
                'scheduled', $3, $3, $4 + row_number() OVER (), $4 + row_number() OVER ()
             FROM customers WHERE name LIKE 'Bench customer %'",
        )
        .bind(jake)
        .bind(today)
        .bind(now)
        .bind(base + size)
        .execute(&pool)
        .await?;
        sqlx::query(
            "INSERT INTO priorities (id, customer_id, text, pinned, heard_by_id, heard_role,
                heard_at, version)
             SELECT gen_random_uuid(), id, 'Call before coming', false, $1, 'office', $2,
                $3 + row_number() OVER ()
             FROM customers WHERE name LIKE 'Bench customer %'",
        )
        .bind(office)
        .bind(now)
        .bind(base + 3 * size)
        .execute(&pool)
        .await?;
        sqlx::query("UPDATE org_state SET version = $1 WHERE id = 1")
            .bind(base + 6 * size)
            .execute(&pool)
            .await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    Ok(())
}
