//! Reading a push from the wire, one mutation at a time.
//!
//! The envelope (device id, each mutation's id, sequence number and time) must be well formed:
//! without them the server cannot answer. A mutation whose *change* cannot be read — a kind
//! this server does not know (a newer app), a wrong type, a missing field — is answered on its
//! own with a rejection, so it never holds up the rest of the device's queue.

use super::{Change, Mutation};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

/// A push as read: the device and each mutation, its change read or refused with a reason.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedPush {
    pub device_id: Uuid,
    pub mutations: Vec<Decoded>,
}

/// One mutation of a push.
#[derive(Clone, Debug, PartialEq)]
pub enum Decoded {
    Readable(Mutation),
    /// The envelope was fine but the change was not; the reason is for a person.
    Unreadable {
        id: Uuid,
        seq: i64,
        reason: String,
    },
}

impl Decoded {
    pub fn id(&self) -> Uuid {
        match self {
            Decoded::Readable(m) => m.id,
            Decoded::Unreadable { id, .. } => *id,
        }
    }
}

#[derive(Deserialize)]
#[serde(expecting = "a push: an object with device_id and mutations")]
struct Envelope {
    device_id: Uuid,
    mutations: Vec<RawMutation>,
}

#[derive(Deserialize)]
struct RawMutation {
    id: Uuid,
    seq: i64,
    made_at: DateTime<Utc>,
    change: serde_json::Value,
}

/// Reads a push body. `Err` says what is wrong with the envelope, for a 400 answer.
pub fn decode_push(body: &[u8]) -> Result<DecodedPush, String> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
        format!("The request body is not valid sync JSON: {e}. Expected {{\"device_id\": UUID, \"mutations\": [...]}}.")
    })?;
    let mutations = envelope
        .mutations
        .into_iter()
        .map(|raw| {
            let kind = raw
                .change
                .get("kind")
                .and_then(|k| k.as_str())
                .map(str::to_owned);
            match serde_json::from_value::<Change>(raw.change) {
                Ok(change) => Decoded::Readable(Mutation {
                    id: raw.id,
                    seq: raw.seq,
                    made_at: raw.made_at,
                    change,
                }),
                Err(e) => Decoded::Unreadable {
                    id: raw.id,
                    seq: raw.seq,
                    reason: unreadable_reason(kind.as_deref(), &e.to_string()),
                },
            }
        })
        .collect();
    Ok(DecodedPush {
        device_id: envelope.device_id,
        mutations,
    })
}

fn unreadable_reason(kind: Option<&str>, error: &str) -> String {
    match kind {
        Some(kind) if error.starts_with("unknown variant") => format!(
            "This server does not know the change \"{kind}\"; it may be newer than the server."
        ),
        Some(kind) => format!("The change \"{kind}\" could not be read: {error}."),
        None => format!("The change has no kind and could not be read: {error}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEVICE: &str = "0190a0b0-0000-7000-8000-000000000001";
    const ID: &str = "0190a0b0-0000-7000-8000-000000000002";

    fn push_of(change: &str) -> String {
        format!(
            r#"{{"device_id":"{DEVICE}","mutations":[{{"id":"{ID}","seq":1,"made_at":"2026-01-01T08:00:00Z","change":{change}}}]}}"#
        )
    }

    #[test]
    fn a_bad_envelope_is_refused_and_a_bad_change_is_refused_alone() {
        let envelope_errors = [
            ("{not json", "not valid sync JSON"),
            (r#"{"device_id":"nope","mutations":[]}"#, "UUID"),
            (
                r#"{"device_id":"0190a0b0-0000-7000-8000-000000000001"}"#,
                "missing field `mutations`",
            ),
            (
                "[]",
                "expected a push: an object with device_id and mutations",
            ),
        ];
        for (body, expected) in envelope_errors {
            let e = decode_push(body.as_bytes()).unwrap_err();
            assert!(e.contains(expected), "{body}: {e}");
        }
        let change_errors = [
            (
                r#"{"kind":"delete_everything"}"#,
                "does not know the change \"delete_everything\"",
            ),
            (
                r#"{"kind":"add_visit_note","note_id":"x","visit_id":"y","body":"hi"}"#,
                "The change \"add_visit_note\" could not be read",
            ),
            (
                r#"{"kind":"keep_promise","promise_id":7}"#,
                "could not be read",
            ),
            (r#"{"body":"no kind"}"#, "has no kind"),
            ("42", "has no kind"),
        ];
        for (change, expected) in change_errors {
            let push = decode_push(push_of(change).as_bytes()).unwrap();
            match &push.mutations[..] {
                [Decoded::Unreadable { id, seq: 1, reason }] => {
                    assert_eq!(id.to_string(), ID);
                    assert!(reason.contains(expected), "{change}: {reason}");
                }
                other => panic!("{change}: {other:?}"),
            }
        }
        let good = push_of(&format!(
            r#"{{"kind":"keep_promise","promise_id":"{ID}","at":"2026-01-01T08:00:00Z"}}"#
        ));
        let push = decode_push(good.as_bytes()).unwrap();
        assert!(
            matches!(&push.mutations[..], [Decoded::Readable(m)] if m.change.kind() == "keep_promise")
        );
    }
}
