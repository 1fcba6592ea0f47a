//! The sync protocol's wire types, shared by the server and the wasm client so they cannot
//! drift apart.
//!
//! A device records every local write as a [`Mutation`] in its outbox and pushes them with
//! [`PushRequest`]. The server applies each one at most once (it remembers mutation ids) and
//! answers each with an [`Outcome`]: a re-sent mutation is a `Duplicate`, never applied twice.
//! Devices pull what changed in their scope with a cursor ([`PullResponse`]).

mod decode;
mod field_edit;
mod kinds;

pub use crate::promise::{Promise, PromiseStatus};
use crate::{Customer, Priority, Visit};
use chrono::{DateTime, NaiveDate, Utc};
pub use decode::{decode_push, Decoded, DecodedPush};
pub use field_edit::{judge_edit, EditVerdict, FieldStamp, FieldWrite};
pub use kinds::{
    AcknowledgePriorities, AddPriority, AddPromise, AddVisitNote, AdvanceVisit, Change,
    CustomerField, EditCustomer, KeepPromise, Kind, MAX_SKIP_REASON,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most mutations one push may carry; a device with more sends them in several pushes.
pub const MAX_PUSH_MUTATIONS: usize = 500;
/// The longest note a technician can write (about ten pages of text).
pub const MAX_NOTE_CHARS: usize = 20_000;

/// A technician's window: a week back (late notes) to two weeks ahead.
pub const WINDOW_DAYS_BACK: i64 = 7;
pub const WINDOW_DAYS_AHEAD: i64 = 14;

/// The days (inclusive) of a technician's window around `today` (the organisation's day, by
/// the caller's clock): what their phone pulls, and the visits that let them serve a customer.
pub fn window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today - chrono::Duration::days(WINDOW_DAYS_BACK),
        today + chrono::Duration::days(WINDOW_DAYS_AHEAD),
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub mutations: Vec<Mutation>,
}

/// One write made on a device, as kept in its outbox until the server acknowledges it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    /// Made on the device (UUIDv7); the server remembers it to apply the mutation only once.
    pub id: Uuid,
    /// The device's own counter: 1, 2, 3… in the order the writes were made.
    pub seq: i64,
    /// When the device made it, by the device's clock (which may be wrong).
    pub made_at: DateTime<Utc>,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per mutation, in the order they were sent.
    pub results: Vec<MutationResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of a mutation. Only a failed request (network, 5xx) leaves it in the outbox:
/// every outcome here is final for the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Applied before (a retry after a lost response); nothing changed now.
    Duplicate,
    /// Refused for a reason a person can read; kept on the server for the office to see.
    Rejected {
        reason: String,
    },
    /// The field changed on the server after the device's copy: nothing was overwritten, and
    /// both values are kept for the office to settle.
    Conflict {
        field: String,
        server_value: String,
        your_value: String,
    },
}

/// What a device asks `GET /api/v1/sync/pull` for, as its query string.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The cursor of the last page applied; 0 for everything.
    #[serde(default)]
    pub cursor: i64,
    /// Rows per page; the server picks when absent.
    #[serde(default)]
    pub limit: Option<usize>,
    /// The last day of the window the device already holds (from its previous pull).
    #[serde(default)]
    pub known_to: Option<NaiveDate>,
    /// Which device is pulling, so the office sees when it last synced (and can sign it out).
    #[serde(default)]
    pub device_id: Option<Uuid>,
}

impl PullRequest {
    /// The query string, without the leading `?`. Every value is a number, a date or a UUID,
    /// so nothing needs escaping.
    pub fn query(&self) -> String {
        let mut q = format!("cursor={}", self.cursor);
        if let Some(limit) = self.limit {
            q.push_str(&format!("&limit={limit}"));
        }
        if let Some(day) = self.known_to {
            q.push_str(&format!("&known_to={day}"));
        }
        if let Some(device) = self.device_id {
            q.push_str(&format!("&device_id={device}"));
        }
        q
    }
}

/// A page of changes in the device's scope since its cursor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Pass this back as `cursor` on the next pull.
    pub cursor: i64,
    /// More changes are waiting: pull again straight away.
    pub more: bool,
    pub customers: Vec<Customer>,
    pub priorities: Vec<Priority>,
    pub visits: Vec<Visit>,
    pub notes: Vec<VisitNote>,
    pub promises: Vec<Promise>,
    /// Visits that left this device's scope since the cursor (given to someone else, moved
    /// out of the window, or removed): drop them, and any customer left with no visit.
    #[serde(default)]
    pub removed_visits: Vec<Uuid>,
    /// The days this device keeps (inclusive); visits outside it fall out of the cache.
    #[serde(default)]
    pub window: Option<(NaiveDate, NaiveDate)>,
}

/// What a technician wrote at a visit. Never edited, never deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct VisitNote {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub customer_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub written_at: DateTime<Utc>,
    pub version: i64,
}

/// Checks a whole mutation as it arrives: the time it was made and its change.
pub fn validate_mutation(mutation: &Mutation) -> Result<(), String> {
    kinds::time_ok("made_at", mutation.made_at)?;
    validate(&mutation.change)
}

/// Checks what can be checked without the database (see [`Kind::validate`]).
pub fn validate(change: &Change) -> Result<(), String> {
    change.validate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VisitStatus;

    #[test]
    fn mutations_travel_as_tagged_json() {
        let m = Mutation {
            id: Uuid::nil(),
            seq: 1,
            made_at: DateTime::<Utc>::MIN_UTC,
            change: Change::KeepPromise(KeepPromise {
                promise_id: Uuid::nil(),
                at: DateTime::<Utc>::MIN_UTC,
            }),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["change"]["kind"], "keep_promise");
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), m);
        let r = MutationResult {
            id: Uuid::nil(),
            outcome: Outcome::Rejected { reason: "x".into() },
        };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["outcome"], "rejected");
        assert_eq!(json["reason"], "x");
    }

    #[test]
    fn a_mutation_made_before_2000_is_refused_whatever_its_kind() {
        let change = Change::AddVisitNote(AddVisitNote {
            note_id: Uuid::nil(),
            visit_id: Uuid::nil(),
            body: "Checked all stations".into(),
        });
        let at = |t: &str| Mutation {
            id: Uuid::nil(),
            seq: 1,
            made_at: t.parse().unwrap(),
            change: change.clone(),
        };
        assert_eq!(validate_mutation(&at("2026-11-22T08:00:00Z")), Ok(()));
        assert_eq!(
            validate_mutation(&at("1999-12-31T23:59:59Z")),
            Err("The time 1999-12-31 23:59:59 UTC (made_at) is not plausible; check the phone's date and time.".into())
        );
    }

    #[test]
    fn validation_explains_what_is_wrong() {
        let note = |body: &str| {
            Change::AddVisitNote(AddVisitNote {
                note_id: Uuid::nil(),
                visit_id: Uuid::nil(),
                body: body.into(),
            })
        };
        let morning = "2026-11-22T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let arrived_at = |at| {
            Change::AdvanceVisit(AdvanceVisit {
                visit_id: Uuid::nil(),
                status: VisitStatus::OnSite,
                at,
                skip_reason: None,
            })
        };
        let advance = |status, reason: Option<&str>| {
            Change::AdvanceVisit(AdvanceVisit {
                visit_id: Uuid::nil(),
                status,
                at: morning,
                skip_reason: reason.map(Into::into),
            })
        };
        let promise_due = |due_on| {
            Change::AddPromise(AddPromise {
                promise_id: Uuid::nil(),
                customer_id: Uuid::nil(),
                visit_id: None,
                text: "Bring the spare filter".into(),
                due_on,
            })
        };
        let cases: Vec<(Change, Result<(), &str>)> = vec![
            (note("Checked all stations"), Ok(())),
            (note("  "), Err("The note is empty.")),
            (
                note(&"x".repeat(20_001)),
                Err("The note is 20001 characters long; the limit is 20000."),
            ),
            (advance(VisitStatus::OnSite, None), Ok(())),
            (
                advance(VisitStatus::Scheduled, None),
                Err("A visit cannot be moved back to scheduled."),
            ),
            (
                advance(VisitStatus::Skipped, Some(" ")),
                Err("Say why the visit was skipped."),
            ),
            (advance(VisitStatus::Skipped, Some("Gate locked")), Ok(())),
            (
                arrived_at("1970-01-01T00:00:00Z".parse().unwrap()),
                Err("The time 1970-01-01 00:00:00 UTC (at) is not plausible; check the phone's date and time."),
            ),
            (
                promise_due(NaiveDate::from_ymd_opt(1850, 1, 1).unwrap()),
                Err("The due date 1850-01-01 is out of range; give a date between the years 2000 and 2200."),
            ),
            (promise_due(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), Ok(())),
            (note("Line one\r\nLine two\tend"), Ok(())),
            (
                note("Gate\0code"),
                Err("The note contains an invisible control character (NUL, U+0000) at character 5; \
                     delete it (it usually comes from pasting out of another app) and try again."),
            ),
            (
                advance(VisitStatus::Skipped, Some("Dog\u{1b} loose")),
                Err("The reason for skipping contains an invisible control character (escape, U+001B) at character 4; \
                     delete it (it usually comes from pasting out of another app) and try again."),
            ),
        ];
        for (change, expected) in cases {
            let mutation = Mutation {
                id: Uuid::nil(),
                seq: 1,
                made_at: morning,
                change: change.clone(),
            };
            assert_eq!(validate_mutation(&mutation), validate(&change));
            assert_eq!(
                validate(&change),
                expected.map_err(String::from),
                "{change:?}"
            );
        }
    }
}
