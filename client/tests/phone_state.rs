//! A phone keeps its state (outbox, cache, cursor) in the browser across app updates: the new
//! release must read what the previous one saved, or every phone's unsent work is lost at the
//! next start ("the stored data could not be read").
//!
//! `fixtures/phone_state_v1.json` is a state saved by the release before the sync kinds got
//! their own modules, made with that release's engine (unsent mutations of every kind, a
//! rejected one kept as a problem, cached customers, visits, notes, priorities and promises).
//! The rule it enforces: a field added to anything the phone stores (`LocalState`, `Cache`,
//! `Mutation` and every `Change` payload, `Customer`, `Visit`, `Priority`, `Promise`,
//! `VisitNote`, `UserSummary`) gets `#[serde(default)]` (an `Option` is already optional);
//! a field is never renamed or removed. Keep this file as it is; when a release changes the
//! stored format on purpose, add the state it saves as the next fixture beside this one.

use client::engine::STORAGE_KEY;
use client::{Engine, MemoryStorage, Storage};
use domain::sync::Change;
use serde_json::Value;
use std::collections::BTreeSet;

const SAVED_V1: &str = include_str!("fixtures/phone_state_v1.json");
/// Every saved state kept, oldest first; each must still open.
const SAVED: &[(&str, &str)] = &[("phone_state_v1.json", SAVED_V1)];

fn open_saved(json: &str) -> Engine<MemoryStorage> {
    let storage = MemoryStorage::default();
    storage.save(STORAGE_KEY, json).unwrap();
    match Engine::open_saved(storage) {
        Ok(Some(engine)) => engine,
        Ok(None) => panic!("the saved state was not found under {STORAGE_KEY}"),
        Err(e) => panic!(
            "This release cannot read a phone state saved by the previous one: {e}.\n\
             A field added to a phone-stored type needs #[serde(default)] \
             (see the top of client/tests/phone_state.rs)."
        ),
    }
}

#[test]
fn a_state_saved_by_the_previous_release_opens_with_its_outbox_intact() {
    let engine = open_saved(SAVED_V1);
    let saved: Value = serde_json::from_str(SAVED_V1).unwrap();
    let state = engine.state();
    assert_eq!(state.outbox.len(), 11);
    assert_eq!((state.next_seq, state.cursor), (13, 57));
    assert_eq!(state.problems.len(), 1);
    assert_eq!(state.last_error.as_deref(), Some("no connection"));

    // The next push carries exactly what the previous release queued, byte for byte on the
    // wire: same device, same ids, sequence numbers, times and changes.
    let push = engine.next_push().expect("the outbox is not empty");
    assert_eq!(push.device_id.to_string(), saved["device_id"]);
    assert_eq!(
        serde_json::to_value(&push.mutations).unwrap(),
        saved["outbox"],
        "the saved outbox would not be pushed as it was queued"
    );

    // The cache still shows the day as the phone left it, unsent changes on top.
    let cache = engine.cache();
    let sam = state.user.id;
    let day = engine
        .cache()
        .day(sam, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    assert_eq!(day.len(), 2);
    assert_eq!(day[0].customer.name, "Harbor Bakery");
    assert_eq!(day[0].customer.phone, "555-0199", "the unsent edit shows");
    assert_eq!(day[0].priorities.len(), 2);
    assert_eq!(cache.notes.len(), 2);
    assert_eq!(cache.open_promises(day[0].customer.id).len(), 1);
}

/// Every kind of change is in a saved outbox, so a payload type that can no longer read its
/// old form fails here.
#[test]
fn the_saved_outboxes_hold_every_kind() {
    let mut queued = BTreeSet::new();
    for (_, json) in SAVED {
        let engine = open_saved(json);
        queued.extend(engine.state().outbox.iter().map(|m| m.change.kind()));
    }
    let missing: Vec<_> = Change::KINDS
        .iter()
        .filter(|k| !queued.contains(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "no saved phone state holds a mutation of {missing:?}: with the release that adds a \
         kind, record one of it with Engine::record, save serde_json::to_string_pretty(\
         engine.state()) as client/tests/fixtures/phone_state_v<N>.json and list it in SAVED, \
         so the release after cannot break that kind's stored form"
    );
}

/// Nothing saved is dropped on the way in: written back, the state has every field of the
/// saved one with the same value. A field renamed or removed (whose old value serde would
/// silently ignore) fails here; a new field (with its default) is allowed.
#[test]
fn nothing_a_previous_release_saved_is_lost() {
    for (name, json) in SAVED {
        let engine = open_saved(json);
        let saved: Value = serde_json::from_str(json).unwrap();
        let now = serde_json::to_value(engine.state()).unwrap();
        let mut lost = Vec::new();
        lost_fields(&saved, &now, "state", &mut lost);
        assert!(
            lost.is_empty(),
            "{name}: saved fields this release no longer reads back (a field renamed or \
             removed; keep the old name with #[serde(alias)] or keep the field): {lost:#?}"
        );
    }
}

/// Where `saved` has something `now` lacks or holds differently, by path.
fn lost_fields(saved: &Value, now: &Value, path: &str, lost: &mut Vec<String>) {
    match (saved, now) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => lost_fields(value, other, &format!("{path}.{key}"), lost),
                    None => lost.push(format!("{path}.{key}")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                lost_fields(x, y, &format!("{path}[{i}]"), lost);
            }
        }
        (a, b) if a == b => {}
        (a, b) => lost.push(format!("{path}: saved {a}, now {b}")),
    }
}

/// The test itself: a state missing a field without a default is refused with the rule in
/// the message, and a dropped field is named.
#[test]
fn a_field_without_a_default_is_what_breaks_loading() {
    let mut saved: Value = serde_json::from_str(SAVED_V1).unwrap();
    saved["cache"]["customers"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .for_each(|c| {
            c.as_object_mut().unwrap().remove("phone");
        });
    let storage = MemoryStorage::default();
    storage.save(STORAGE_KEY, &saved.to_string()).unwrap();
    let err = Engine::open_saved(storage).err().expect("refused");
    assert!(err.to_string().contains("missing field `phone`"), "{err}");

    let original: Value = serde_json::from_str(SAVED_V1).unwrap();
    let mut lost = Vec::new();
    lost_fields(&original, &saved, "state", &mut lost);
    assert_eq!(lost.len(), 2, "{lost:?}");
    assert!(lost[0].ends_with(".phone"), "{lost:?}");
}
