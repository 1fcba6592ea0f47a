//! The PostgreSQL store, for deployments that run several server instances over one database.
//!
//! It runs the same queries as the SQLite store (`../sql/`), with placeholders rewritten for
//! PostgreSQL (see `sql_text::to_postgres`), over its own schema (`migrations/postgres`).
//!
//! The pull cursor stays gap-free with concurrent writers on several instances because every
//! writing transaction first bumps the single `org_state` row (`next_version`): that row lock
//! is held until commit, so writers take versions one after another and commit in version
//! order. A reader can never see version N+1 committed while N is still pending, which is how a
//! plain sequence or timestamp cursor skips changes.

#[path = "../sql/api_tokens.rs"]
mod api_tokens;
#[path = "../sql/audit.rs"]
mod audit;
#[path = "../sql/calendar.rs"]
mod calendar;
#[path = "../sql/customers.rs"]
mod customers;
#[path = "../sql/devices.rs"]
mod devices;
#[path = "../sql/interop.rs"]
mod interop;
#[path = "../sql/plans.rs"]
mod plans;
#[path = "../sql/priorities.rs"]
mod priorities;
#[path = "../sql/promises.rs"]
mod promises;
#[path = "../sql/pull.rs"]
mod pull;
#[path = "../sql/schedule.rs"]
mod schedule;
#[path = "../sql/sessions.rs"]
mod sessions;
#[path = "../sql/settings.rs"]
mod settings;
#[path = "../sql/sync.rs"]
mod sync;
#[path = "../sql/users.rs"]
mod users;
#[path = "../sql/visits.rs"]
mod visits;

use crate::sql_text::{like_pattern, postgres_cached};
use crate::StoreResult;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};
use std::time::Duration;

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// The store the shared query files implement the traits for.
type Backend = PgStore;
/// The database driver the shared query files run on.
type Db = Postgres;

/// The shared queries with PostgreSQL placeholders.
fn q(sql: &str) -> &'static str {
    postgres_cached(sql)
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PgStore {
    /// Connects to a `postgres://` URL and applies any migration not yet applied. Several
    /// instances starting at once are safe: sqlx takes an advisory lock while migrating.
    pub async fn open(url: &str) -> StoreResult<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore { pool })
    }

    /// Closes the pool (tests drop their database afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A read-only view of one moment: every statement in it sees the same commits.
async fn read_snapshot(pool: &sqlx::Pool<Postgres>) -> StoreResult<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    // Read committed (the default) would let each statement see newer commits.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Takes `n` versions at once (for bulk writes) and returns them in order; the same
/// invariant as `next_version`: every row written gets one of its own.
async fn next_versions(
    tx: &mut Transaction<'_, Postgres>,
    n: i64,
) -> StoreResult<std::ops::RangeInclusive<i64>> {
    let (last,): (i64,) = sqlx::query_as(q(
        "UPDATE org_state SET version = version + ? WHERE id = 1 RETURNING version",
    ))
    .bind(n)
    .fetch_one(&mut **tx)
    .await?;
    crate::fault::after_version_taken(last).await;
    Ok(last - n + 1..=last)
}

/// Bumps the organisation's version counter inside the caller's transaction and returns it.
/// The row lock it takes is held to commit: see the module comment for why that keeps pulls
/// gap-free. Each synced row written gets a version of its own (call this once per row).
async fn next_version(tx: &mut Transaction<'_, Postgres>) -> StoreResult<i64> {
    let (version,): (i64,) =
        sqlx::query_as("UPDATE org_state SET version = version + 1 WHERE id = 1 RETURNING version")
            .fetch_one(&mut **tx)
            .await?;
    crate::fault::after_version_taken(version).await;
    Ok(version)
}
