//! The embedded SQLite store: one file, WAL mode, migrated at open.
//!
//! The queries live in `../sql/`, shared with the PostgreSQL store: each file there is
//! compiled once per backend, against the `Backend` and `Db` named here.

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

/// The store the shared query files implement the traits for.
type Backend = SqliteStore;
/// The database driver the shared query files run on.
type Db = Sqlite;

/// SQLite takes the shared queries as written (`?` and `?N` placeholders).
fn q(sql: &str) -> &str {
    sql
}

use crate::sql_text::like_pattern;
use crate::StoreResult;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    /// Opens the database file named by a `sqlite:` URL, creating it and its folder if needed.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let file = options.get_filename();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::StoreError::Other(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }
}

/// A read-only view of one moment: every statement in it sees the same commits.
async fn read_snapshot(pool: &sqlx::Pool<Sqlite>) -> StoreResult<Transaction<'static, Sqlite>> {
    // A deferred transaction: its first read fixes the snapshot (WAL), and writers go on.
    Ok(pool.begin().await?)
}

/// Takes `n` versions at once (for bulk writes) and returns them in order; the same
/// invariant as `next_version`: every row written gets one of its own.
async fn next_versions(
    tx: &mut Transaction<'_, Sqlite>,
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
/// Doing this first also takes SQLite's write lock at the start of the transaction, so two
/// writers queue instead of failing to upgrade a read lock.
///
/// Invariant the pull relies on: each synced row written gets a version of its own (call
/// this once per row), so versions are unique and a page can be cut at any version.
async fn next_version(tx: &mut Transaction<'_, Sqlite>) -> StoreResult<i64> {
    let (version,): (i64,) =
        sqlx::query_as("UPDATE org_state SET version = version + 1 WHERE id = 1 RETURNING version")
            .fetch_one(&mut **tx)
            .await?;
    crate::fault::after_version_taken(version).await;
    Ok(version)
}
