//! Rapport's storage behind one interface.
//!
//! [`Store`] is the whole interface, made of one trait per domain noun so each stays small.
//! [`sqlite::SqliteStore`] is the embedded default; [`postgres::PgStore`] serves several
//! instances over one database. Both run the same queries (`src/sql/`); [`connect`] chooses by
//! the scheme of `DATABASE_URL`.
#![forbid(unsafe_code)]
// On purpose: each file in `src/sql/` is compiled once per backend (see `sqlite/mod.rs`).
#![allow(clippy::duplicate_mod)]

pub mod demo;
mod error;
pub mod password;
pub mod postgres;
mod sql_text;
pub mod sqlite;
pub mod test_db;
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
