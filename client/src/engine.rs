//! The sync engine: record locally, push the outbox, pull what changed.
//!
//! Only a failed request leaves mutations in the outbox: every answer the server gives a
//! mutation (applied, duplicate, rejected) is final, and a rejected one is kept in
//! `problems` for the technician to see. A push whose response was lost is simply sent again;
//! the server answers `duplicate` for what it already applied.

use crate::cache::Cache;
use crate::storage::{Storage, StorageError};
use chrono::{DateTime, Duration, Utc};
use domain::sync::PushResponse;
use domain::sync::{Change, Mutation, Outcome, PullRequest, PullResponse, PushRequest};
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

/// How long to wait before retrying after `failures` failed syncs in a row: 2 s, doubling, at
/// most a minute, so a flaky network is retried quickly and a dead one is not hammered.
pub fn retry_delay(failures: u32) -> std::time::Duration {
    let seconds = 2u64.saturating_pow(failures.clamp(1, 6)).min(60);
    std::time::Duration::from_secs(seconds)
}

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
    /// `GET /api/v1/sync/pull?{request.query()}`.
    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError>;
}

/// What a failed answer means for the person: the server's own words when it sent its JSON
/// error (`{"error": "..."}`), else the start of whatever came back (a proxy's HTML page, a
/// crashed server's garbage), so the sync status can say what is wrong.
pub fn server_error(status: u16, body: &str) -> TransportError {
    #[derive(Deserialize)]
    struct ApiError {
        error: String,
    }
    if status == 401 {
        return TransportError::SignedOut;
    }
    let message = match serde_json::from_str::<ApiError>(body) {
        Ok(e) => e.error,
        Err(_) => {
            let text: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
            match text.chars().count() {
                0 => "no explanation came with it".to_string(),
                n if n > 120 => format!("{}…", text.chars().take(120).collect::<String>()),
                _ => text,
            }
        }
    };
    TransportError::Server { status, message }
}

/// A mutation the server refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub mutation: Mutation,
    pub reason: String,
}

/// Everything the device keeps, saved whole under [`STORAGE_KEY`].
///
/// The next release must read what this one saved, or the phone's unsent work is lost when
/// the app updates. So a field added to this or to anything it holds (`Cache`, `Problem`,
/// `Mutation` and the `Change` payloads, the cached entities of `domain`) gets
/// `#[serde(default)]` (an `Option` needs none), and no field is renamed or removed;
/// `client/tests/phone_state.rs` loads a state saved by the previous release and fails on a
/// forgotten default.
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
    /// "All synced", "3 changes waiting", or "Not synced yet" on a device that never synced.
    pub fn summary(&self) -> String {
        match self.waiting {
            0 if self.last_sync_at.is_none() => "Not synced yet".into(),
            0 => "All synced".into(),
            1 => "1 change waiting".into(),
            n => format!("{n} changes waiting"),
        }
    }
}

/// The device's sync state and the storage it lives in. The network is passed to each
/// [`Engine::sync`]; the browser, which must not hold the engine across an await, drives the
/// same steps itself ([`Engine::next_push`], [`Engine::settle`], [`Engine::apply_page`],
/// [`Engine::finish`]).
pub struct Engine<S> {
    storage: S,
    state: LocalState,
}

impl<S: Storage> Engine<S> {
    /// Opens the device's saved state, or starts a new device for this user. A different
    /// user on the same browser starts afresh (their data is not mixed with the last user's),
    /// unless the previous user still has unsynced changes, which are never thrown away.
    pub fn open(storage: S, user: UserSummary) -> Result<Self, StorageError> {
        let saved = Self::load(&storage)?;
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
        let engine = Engine { storage, state };
        // Saved at once, so the device is known even before its first change or sync.
        engine.save(&engine.state)?;
        Ok(engine)
    }

    /// Opens what this device saved, whoever it belongs to: an offline cold start, when the
    /// server cannot say who is signed in. `None` if the device never synced.
    pub fn open_saved(storage: S) -> Result<Option<Self>, StorageError> {
        Ok(Self::load(&storage)?.map(|state| Engine { storage, state }))
    }

    fn load(storage: &S) -> Result<Option<LocalState>, StorageError> {
        match storage.load(STORAGE_KEY)? {
            Some(json) => serde_json::from_str::<LocalState>(&json)
                .map(Some)
                .map_err(|e| StorageError::Corrupt(e.to_string())),
            None => Ok(None),
        }
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
    pub async fn sync<T: Transport>(
        &mut self,
        transport: &T,
        now: DateTime<Utc>,
    ) -> Result<(), TransportError> {
        let result = self.exchange(transport).await;
        self.finish(now, result.as_ref().err());
        result
    }

    async fn exchange<T: Transport>(&mut self, transport: &T) -> Result<(), TransportError> {
        while let Some(request) = self.next_push() {
            let response = transport.push(&request).await?;
            self.settle(&response);
        }
        loop {
            let page = transport.pull(&self.pull_request()).await?;
            if !self.apply_page(&page) {
                return Ok(());
            }
        }
    }

    /// The next batch to push, if anything is waiting.
    pub fn next_push(&self) -> Option<PushRequest> {
        if self.state.outbox.is_empty() {
            return None;
        }
        let batch = self.state.outbox.iter().take(PUSH_BATCH).cloned().collect();
        Some(PushRequest {
            device_id: self.state.device_id,
            mutations: batch,
        })
    }

    /// Takes answered mutations out of the outbox (rejected ones become problems) and saves.
    /// What a refused change showed on the device is taken back: the rows it made go, and
    /// the next pull starts from the beginning so the server's values replace the rest.
    pub fn settle(&mut self, response: &PushResponse) {
        let mut refused = false;
        for result in &response.results {
            let Some(pos) = self.state.outbox.iter().position(|m| m.id == result.id) else {
                continue;
            };
            let mutation = self.state.outbox.remove(pos);
            let reason = match &result.outcome {
                Outcome::Rejected { reason } => reason.clone(),
                Outcome::Conflict {
                    field,
                    server_value,
                    your_value,
                } => format!(
                    "The {} was changed in the office to \"{server_value}\" before yours \
                     (\"{your_value}\") arrived; both are kept for the office to settle.",
                    field.replace('_', " ")
                ),
                Outcome::Applied | Outcome::Duplicate => continue,
            };
            self.state.cache.forget_local(&mutation.change);
            refused = true;
            self.state.problems.push(Problem { mutation, reason });
        }
        if refused {
            self.state.cursor = 0;
        }
        // A failed save loses nothing: what was acknowledged but not forgotten is answered
        // `duplicate` next time.
        let _ = self.save(&self.state);
    }

    /// The last day of the window this device holds; the server sends visits dated after it
    /// (they came into the window as the days passed) whatever their version.
    pub fn known_to(&self) -> Option<chrono::NaiveDate> {
        self.state.cache.window.map(|(_, to)| to)
    }

    /// The cursor to pull from.
    pub fn cursor(&self) -> i64 {
        self.state.cursor
    }

    /// The next pull: from the cursor, saying which days the device holds and who it is.
    pub fn pull_request(&self) -> PullRequest {
        PullRequest {
            cursor: self.state.cursor,
            limit: None,
            known_to: self.known_to(),
            device_id: Some(self.state.device_id),
        }
    }

    /// Lands a pulled page; returns whether more pages are waiting.
    pub fn apply_page(&mut self, page: &PullResponse) -> bool {
        self.state.cache.apply_pull(page);
        // Changes still waiting stay visible on top of what the server sent.
        let (user, outbox) = (self.state.user.clone(), self.state.outbox.clone());
        for m in &outbox {
            self.state.cache.apply_local(&user, &m.change, m.made_at);
        }
        self.state.cursor = page.cursor;
        let _ = self.save(&self.state);
        page.more
    }

    /// Records how a sync ended.
    pub fn finish(&mut self, now: DateTime<Utc>, error: Option<&TransportError>) {
        match error {
            None => {
                self.state.last_sync_at = Some(now);
                self.state.last_error = None;
            }
            Some(e) => self.state.last_error = Some(e.to_string()),
        }
        let _ = self.save(&self.state);
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

#[cfg(test)]
mod tests {
    use super::{retry_delay, server_error, TransportError};

    #[test]
    fn a_failed_answer_says_what_the_server_said_or_what_came_back() {
        let server = |status, message: &str| TransportError::Server {
            status,
            message: message.into(),
        };
        let long = "x".repeat(300);
        let cases = [
            (
                500,
                r#"{"error":"The server could not finish this request; it will be retried."}"#,
                server(
                    500,
                    "The server could not finish this request; it will be retried.",
                ),
            ),
            (
                502,
                "<html>\n  <h1>Bad   Gateway</h1>\n</html>",
                server(502, "<html> <h1>Bad Gateway</h1> </html>"),
            ),
            (500, "", server(500, "no explanation came with it")),
            (200, "{\"results\": [", server(200, "{\"results\": [")),
            (
                500,
                long.as_str(),
                server(500, &format!("{}…", "x".repeat(120))),
            ),
            (401, "", TransportError::SignedOut),
        ];
        for (status, body, expected) in cases {
            assert_eq!(server_error(status, body), expected, "{body}");
        }
    }

    #[test]
    fn retries_back_off_from_two_seconds_to_a_minute() {
        let table = [
            (0, 2),
            (1, 2),
            (2, 4),
            (3, 8),
            (4, 16),
            (5, 32),
            (6, 60),
            (20, 60),
        ];
        for (failures, seconds) in table {
            assert_eq!(
                retry_delay(failures).as_secs(),
                seconds,
                "after {failures} failures"
            );
        }
    }
}
