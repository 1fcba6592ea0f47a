//! Rapport's storage behind one interface.
//!
//! [`Store`] is the whole interface, made of one trait per domain noun so each stays small.
//! [`sqlite::SqliteStore`] is the embedded default; [`postgres::PgStore`] serves several
//! instances over one database. Both run the same queries (`src/sql/`); [`connect`] chooses by
//! the scheme of `DATABASE_URL`.
#![forbid(unsafe_code)]
// On purpose: each file in `src/sql/` is compiled once per backend (see `sqlite/mod.rs`).
#![allow(clippy::duplicate_mod)]

pub mod copy;
mod error;
pub mod password;
pub mod postgres;
mod sql_text;
pub mod sqlite;
mod traits;

pub use error::{StoreError, StoreResult};
pub use traits::*;

use std::sync::Arc;

/// The store as the rest of the server holds it.
pub type DynStore = Arc<dyn Store>;

/// Opens (creating if needed) and migrates the database named by `url`.
pub async fn connect(url: &str) -> StoreResult<DynStore> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else {
        Err(StoreError::Other(format!(
            "DATABASE_URL must start with sqlite: or postgres: (got {:?})",
            url.split(':').next().unwrap_or_default()
        )))
    }
}

/// Fault injection for tests: a pause between taking a version and committing, so concurrent
/// writers' transactions overlap and would commit out of order if versions did not serialise
/// them. Off (zero) unless a test turns it on.
pub mod fault {
    use std::sync::atomic::{AtomicU64, Ordering};

    static COMMIT_DELAY_MS: AtomicU64 = AtomicU64::new(0);

    /// Every write then waits up to `max_ms` (varying by version) before it commits.
    pub fn delay_commits_for_tests(max_ms: u64) {
        COMMIT_DELAY_MS.store(max_ms, Ordering::SeqCst);
    }

    pub(crate) async fn after_version_taken(version: i64) {
        let max = COMMIT_DELAY_MS.load(Ordering::Relaxed);
        if max > 0 {
            let ms = (version.unsigned_abs() * 7919) % (max + 1);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
    }
}
