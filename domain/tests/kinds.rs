//! The lists that must name every kind of change, checked against [`Change::KINDS`] (made from
//! the enum itself, so it cannot miss a variant), and the wire format kept as it was.

use domain::sync::{decode_push, Change, Decoded, PushRequest};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A push as the release before the kinds had their own modules wrote it (its engine's own
/// serialization, from `client/tests/fixtures/phone_state_v1.json`): every kind, optional
/// fields both absent (`null`) and present, non-ASCII text and escaped line breaks.
const PUSH_V1: &[&str] = &[
    r#"{"id":"01a23411-5218-7016-a343-c468e8d28faf","seq":2,"made_at":"2026-11-23T07:58:00Z","change":{"kind":"acknowledge_priorities","visit_id":"0193a1c2-9000-7c30-8000-00000000d001","at":"2026-11-23T07:58:00Z"}}"#,
    r#"{"id":"01a23411-5218-7016-a343-c469b8948af4","seq":3,"made_at":"2026-11-23T08:02:00Z","change":{"kind":"advance_visit","visit_id":"0193a1c2-9000-7c30-8000-00000000d001","status":"on_site","at":"2026-11-23T08:02:00Z","skip_reason":null}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-bade9aaac7f2","seq":4,"made_at":"2026-11-23T08:40:00Z","change":{"kind":"add_visit_note","note_id":"0193a1c3-0000-7000-8000-000000002001","visit_id":"0193a1c2-9000-7c30-8000-00000000d001","body":"Gap sealed with steel wool and caulk.\r\nAll 14 stations checked."}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-badfdea74454","seq":5,"made_at":"2026-11-23T08:41:00Z","change":{"kind":"keep_promise","promise_id":"0193a1c2-b000-7e50-8000-00000000f001","at":"2026-11-23T08:41:00Z"}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-bae0ed3f71bb","seq":6,"made_at":"2026-11-23T08:43:00Z","change":{"kind":"add_priority","priority_id":"0193a1c3-0000-7000-8000-000000002002","customer_id":"0193a1c2-8000-7b20-8000-00000000c001","text":"Call Maria before arriving — the shop opens at 6","pinned":false}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-bae10f098dbf","seq":7,"made_at":"2026-11-23T08:44:00Z","change":{"kind":"add_promise","promise_id":"0193a1c3-0000-7000-8000-000000002003","customer_id":"0193a1c2-8000-7b20-8000-00000000c001","visit_id":"0193a1c2-9000-7c30-8000-00000000d001","text":"Bring a bait box for the cellar","due_on":"2026-12-01"}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-bae2e8f2d4a2","seq":8,"made_at":"2026-11-23T08:45:00Z","change":{"kind":"edit_customer","customer_id":"0193a1c2-8000-7b20-8000-00000000c001","field":"phone","value":"555-0199","base_version":41}}"#,
    r#"{"id":"01a23411-5219-729e-90c3-bae3e6201339","seq":9,"made_at":"2026-11-23T08:45:30Z","change":{"kind":"edit_customer","customer_id":"0193a1c2-8000-7b20-8000-00000000c001","field":"access_notes","value":"Side gate; code 4471","base_version":41}}"#,
    r#"{"id":"01a23411-521a-7394-b493-3afe60bf8dad","seq":10,"made_at":"2026-11-23T08:50:00Z","change":{"kind":"advance_visit","visit_id":"0193a1c2-9000-7c30-8000-00000000d001","status":"done","at":"2026-11-23T08:50:00Z","skip_reason":null}}"#,
    r#"{"id":"01a23411-521a-7394-b493-3aff38399c78","seq":11,"made_at":"2026-11-23T09:30:00Z","change":{"kind":"advance_visit","visit_id":"0193a1c2-9000-7c30-8000-00000000d002","status":"skipped","at":"2026-11-23T09:30:00Z","skip_reason":"Closed for a staff day"}}"#,
    r#"{"id":"01a23411-521a-7394-b493-3b0077d77e6b","seq":12,"made_at":"2026-11-23T09:31:00Z","change":{"kind":"add_promise","promise_id":"0193a1c3-0000-7000-8000-000000002004","customer_id":"0193a1c2-8000-7b20-8000-00000000c002","visit_id":null,"text":"Call back to rebook","due_on":"2026-11-24"}}"#,
];

fn push_v1() -> String {
    format!(
        r#"{{"device_id":"0190a0b0-0000-7000-8000-000000000001","mutations":[{}]}}"#,
        PUSH_V1.join(",")
    )
}

#[test]
fn a_push_in_the_previous_format_is_read_and_written_back_byte_for_byte() {
    let body = push_v1();
    let push: PushRequest = serde_json::from_str(&body).expect("reads");
    let kinds: BTreeSet<&str> = push.mutations.iter().map(|m| m.change.kind()).collect();
    assert_eq!(
        kinds.len(),
        Change::KINDS.len(),
        "every kind is in the sample"
    );
    assert_eq!(serde_json::to_string(&push).unwrap(), body);
    // The server's own decoding reads every mutation as well.
    let decoded = decode_push(body.as_bytes()).unwrap();
    assert!(decoded
        .mutations
        .iter()
        .all(|m| matches!(m, Decoded::Readable(_))));
}

fn fuzz_file(path: &str) -> (PathBuf, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz")
        .join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, text)
}

/// The changes of the fuzz seed that holds one mutation of every kind, each with its JSON as
/// this release writes it.
fn seeded_changes() -> Vec<(Change, serde_json::Map<String, Value>)> {
    let (path, text) = fuzz_file("seeds/push_decode/every_kind.json");
    let push = decode_push(text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    push.mutations
        .into_iter()
        .map(|m| match m {
            Decoded::Readable(m) => {
                let Value::Object(json) = serde_json::to_value(&m.change).unwrap() else {
                    panic!("a change is a JSON object")
                };
                (m.change, json)
            }
            Decoded::Unreadable { reason, .. } => panic!("{}: {reason}", path.display()),
        })
        .collect()
}

#[test]
fn every_kind_is_listed_once_under_its_wire_name() {
    let unique: BTreeSet<&str> = Change::KINDS.iter().copied().collect();
    assert_eq!(unique.len(), Change::KINDS.len(), "{:?}", Change::KINDS);
    for (change, json) in seeded_changes() {
        assert_eq!(
            json["kind"],
            change.kind(),
            "the Kind::KIND of {change:?} is not the name serde puts on the wire"
        );
    }
}

#[test]
fn the_fuzz_seeds_hold_a_mutation_of_every_kind() {
    let seeded: BTreeSet<&str> = seeded_changes().iter().map(|(c, _)| c.kind()).collect();
    let missing: Vec<_> = Change::KINDS
        .iter()
        .filter(|k| !seeded.contains(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "fuzz/seeds/push_decode/every_kind.json has no mutation of {missing:?}: add one \
         (every field set) so the fuzzer starts from each kind"
    );
}

#[test]
fn the_fuzz_dictionary_names_every_kind_and_field() {
    let (_, dict) = fuzz_file("push_decode.dict");
    // Entries are quoted JSON strings: "\"word\"".
    let words: BTreeSet<String> = dict
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"\\\"")?.strip_suffix("\\\"\""))
        .map(str::to_owned)
        .collect();
    let mut needed: BTreeSet<String> = Change::KINDS.iter().map(|k| k.to_string()).collect();
    for (_, json) in seeded_changes() {
        needed.extend(json.keys().cloned());
    }
    let missing: Vec<_> = needed.difference(&words).collect();
    assert!(
        missing.is_empty(),
        "fuzz/push_decode.dict lacks {missing:?}: add a line \"\\\"<word>\\\"\" for each, \
         so the fuzzer finds the kind and its fields"
    );
}
