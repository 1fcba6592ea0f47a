//! Rapport's storage behind one interface.
//!
//! [`Store`] is the whole interface, made of one trait per domain noun so each stays small.
//! [`sqlite::SqliteStore`] is the embedded default; a PostgreSQL implementation will sit beside
//! it and be chosen by the scheme of `DATABASE_URL` in [`connect`].
#![forbid(unsafe_code)]

pub mod demo;
mod error;
pub mod password;
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
        Err(StoreError::Other(
            "PostgreSQL support is not built yet; use a sqlite: URL".into(),
        ))
    } else {
        Err(StoreError::Other(format!(
            "DATABASE_URL must start with sqlite: (got {:?})",
            url.split(':').next().unwrap_or_default()
        )))
    }
}
