//! Rapport's offline sync client.
//!
//! Everything a technician does is recorded locally first: the change is applied to the local
//! [`cache::Cache`] *and* queued in the outbox in one write of one storage key, so a closed
//! tab or a dead battery loses nothing. [`engine::Engine::sync`] pushes the outbox and pulls
//! what changed, whenever the network allows. Storage and transport are traits, so the same
//! engine runs in the browser (localStorage, fetch) and natively in tests (memory, reqwest).
#![forbid(unsafe_code)]

pub mod cache;
pub mod engine;
pub mod kinds;
pub mod storage;

pub use cache::Cache;
pub use engine::{server_error, Engine, SyncStatus, Transport, TransportError};
pub use storage::{MemoryStorage, Storage, StorageError};
