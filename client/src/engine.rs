//! The sync engine: record locally, push the outbox, pull what changed.
//!
//! Only a failed request leaves mutations in the outbox: every answer the server gives a
//! mutation (applied, duplicate, rejected) is final, and a rejected one is kept in
//! `problems` for the technician to see. A push whose response was lost is simply sent again;
//! the server answers `duplicate` for what it already applied.

use crate::cache::Cache;
use crate::storage::{Storage, StorageError};
use chrono::{DateTime, Duration, Utc};
use domain::sync::{Change, Mutation, Outcome, PullResponse, PushRequest, PushResponse};
use domain::{new_id, UserSummary};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

/// The one key everything is stored under; a new format gets a new key.
pub const STORAGE_KEY: &str = "rapport.sync.v1";
/// Mutations per push; a long day offline goes up in several pushes.
pub const PUSH_BATCH: usize = 100;
/// After this long without a successful sync, the status warns that data may be stale.
pub const STALE_AFTER_HOURS: i64 = 4;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TransportError {
    #[error("no connection")]
    Offline,
    #[error("the server answered {status}: {message}")]
    Server { status: u16, message: String },
    #[error("you are signed out; log in again to sync")]
    SignedOut,
}

/// How the engine reaches the server; a browser uses fetch, tests use reqwest.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError>;
    async fn pull(&self, cursor: i64) -> Result<PullResponse, TransportError>;
}

/// A mutation the server refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub mutation: Mutation,
    pub reason: String,
}

/// Everything the device keeps, saved whole under [`STORAGE_KEY`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalState {
    pub device_id: Uuid,
    pub user: UserSummary,
    pub next_seq: i64,
    pub cursor: i64,
    pub outbox: Vec<Mutation>,
    pub problems: Vec<Problem>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub cache: Cache,
}

/// What the sync indicator shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    pub waiting: usize,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub stale: bool,
    pub last_error: Option<String>,
    pub problems: usize,
}

impl SyncStatus {
    /// "All synced" or "3 changes waiting".
    pub fn summary(&self) -> String {
        match self.waiting {
            0 => "All synced".into(),
            1 => "1 change waiting".into(),
            n => format!("{n} changes waiting"),
        }
    }
}

pub struct Engine<S, T> {
    storage: S,
    transport: T,
    state: LocalState,
}

impl<S: Storage, T: Transport> Engine<S, T> {
    /// Opens the device's saved state, or starts a new device for this user. A different
    /// user on the same browser starts afresh (their data is not mixed with the last user's),
    /// unless the previous user still has unsynced changes, which are never thrown away.
    pub fn open(storage: S, transport: T, user: UserSummary) -> Result<Self, StorageError> {
        let saved = match storage.load(STORAGE_KEY)? {
            Some(json) => Some(
                serde_json::from_str::<LocalState>(&json)
                    .map_err(|e| StorageError::Corrupt(e.to_string()))?,
            ),
            None => None,
        };
        let state = match saved {
            Some(s) if s.user.id == user.id || !s.outbox.is_empty() => s,
            _ => LocalState {
                device_id: new_id(),
                user,
                next_seq: 1,
                cursor: 0,
                outbox: vec![],
                problems: vec![],
                last_sync_at: None,
                last_error: None,
                cache: Cache::default(),
            },
        };
        Ok(Engine {
            storage,
            transport,
            state,
        })
    }

    pub fn state(&self) -> &LocalState {
        &self.state
    }

    pub fn cache(&self) -> &Cache {
        &self.state.cache
    }

    pub fn status(&self, now: DateTime<Utc>) -> SyncStatus {
        let stale = match self.state.last_sync_at {
            Some(at) => now - at > Duration::hours(STALE_AFTER_HOURS),
            None => true,
        };
        SyncStatus {
            waiting: self.state.outbox.len(),
            last_sync_at: self.state.last_sync_at,
            stale,
            last_error: self.state.last_error.clone(),
            problems: self.state.problems.len(),
        }
    }

    /// Records a change: shown in the cache and queued in the outbox, saved in one write.
    /// Returns the mutation id. Refuses what the server would refuse anyway.
    pub fn record(&mut self, change: Change, now: DateTime<Utc>) -> Result<Uuid, RecordError> {
        domain::sync::validate(&change).map_err(RecordError::Invalid)?;
        let mutation = Mutation {
            id: new_id(),
            seq: self.state.next_seq,
            made_at: now,
            change,
        };
        let mut next = self.state.clone();
        next.next_seq += 1;
        next.cache.apply_local(&next.user, &mutation.change, now);
        next.outbox.push(mutation.clone());
        self.save(&next)?;
        self.state = next;
        Ok(mutation.id)
    }

    /// Pushes everything waiting, then pulls until up to date. Stops at the first failed
    /// request, keeping whatever was not acknowledged for the next try.
    pub async fn sync(&mut self, now: DateTime<Utc>) -> Result<(), TransportError> {
        let result = self.push_all().await;
        let result = match result {
            Ok(()) => self.pull_all().await,
            Err(e) => Err(e),
        };
        match &result {
            Ok(()) => {
                self.state.last_sync_at = Some(now);
                self.state.last_error = None;
            }
            Err(e) => self.state.last_error = Some(e.to_string()),
        }
        // A failed save here loses nothing: the outbox was saved when each change was made,
        // and anything acknowledged but not forgotten is answered `duplicate` next time.
        let _ = self.save(&self.state);
        result
    }

    async fn push_all(&mut self) -> Result<(), TransportError> {
        while !self.state.outbox.is_empty() {
            let batch: Vec<Mutation> = self.state.outbox.iter().take(PUSH_BATCH).cloned().collect();
            let request = PushRequest {
                device_id: self.state.device_id,
                mutations: batch,
            };
            let response = self.transport.push(&request).await?;
            self.settle(&response);
            let _ = self.save(&self.state);
        }
        Ok(())
    }

    /// Takes answered mutations out of the outbox; rejected ones become problems.
    fn settle(&mut self, response: &PushResponse) {
        for result in &response.results {
            let Some(pos) = self.state.outbox.iter().position(|m| m.id == result.id) else {
                continue;
            };
            let mutation = self.state.outbox.remove(pos);
            if let Outcome::Rejected { reason } = &result.outcome {
                self.state.problems.push(Problem {
                    mutation,
                    reason: reason.clone(),
                });
            }
        }
    }

    async fn pull_all(&mut self) -> Result<(), TransportError> {
        loop {
            let page = self.transport.pull(self.state.cursor).await?;
            self.state.cache.apply_pull(&page);
            // Changes still waiting stay visible on top of what the server sent.
            let (user, outbox) = (self.state.user.clone(), self.state.outbox.clone());
            for m in &outbox {
                self.state.cache.apply_local(&user, &m.change, m.made_at);
            }
            self.state.cursor = page.cursor;
            if !page.more {
                return Ok(());
            }
        }
    }

    fn save(&self, state: &LocalState) -> Result<(), StorageError> {
        let json =
            serde_json::to_string(state).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        self.storage.save(STORAGE_KEY, &json)
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RecordError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}
