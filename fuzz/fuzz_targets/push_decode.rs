//! Any bytes as a push body: decoding never panics, every readable mutation survives a round
//! trip through the wire format, and every unreadable one says why.
//!
//! Readable `edit_customer` mutations are also put to `judge_edit` with stamps built from
//! them, whose verdict the rule's documentation fixes.
#![no_main]

use domain::sync::{
    decode_push, judge_edit, validate, Change, Decoded, EditCustomer, EditVerdict, FieldStamp,
    FieldWrite, Mutation, PushRequest,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    // An `Err` is a 400 answer with a reason: fine, as long as it does not panic.
    let Ok(push) = decode_push(body) else {
        return;
    };
    for decoded in &push.mutations {
        match decoded {
            Decoded::Readable(mutation) => {
                // Only its verdict matters to the server; it must simply give one.
                let _ = validate(&mutation.change);
                round_trip(push.device_id, mutation);
                if let Change::EditCustomer(EditCustomer { .. }) = mutation.change {
                    judge_edits(push.device_id, mutation);
                }
            }
            Decoded::Unreadable { reason, .. } => {
                assert!(
                    !reason.trim().is_empty(),
                    "an unreadable mutation without a reason: {decoded:?}"
                );
            }
        }
    }
});

/// What the device would send again (its outbox keeps the `Mutation`) decodes to the same.
fn round_trip(device_id: uuid::Uuid, mutation: &Mutation) {
    let request = PushRequest {
        device_id,
        mutations: vec![mutation.clone()],
    };
    let body = serde_json::to_vec(&request).expect("a mutation always serialises");
    let again = decode_push(&body).unwrap_or_else(|e| {
        panic!(
            "a serialised push does not decode: {e}\n{}",
            String::from_utf8_lossy(&body)
        )
    });
    assert_eq!(again.device_id, device_id);
    assert_eq!(
        again.mutations,
        [Decoded::Readable(mutation.clone())],
        "the round trip changed the mutation; sent {}",
        String::from_utf8_lossy(&body)
    );
}

/// The cases of `judge_edit`'s rule, built around the edit as decoded.
fn judge_edits(device_id: uuid::Uuid, mutation: &Mutation) {
    let Change::EditCustomer(EditCustomer {
        value,
        base_version,
        ..
    }) = &mutation.change
    else {
        return;
    };
    let base_version = *base_version;
    let edit = FieldWrite {
        base_version,
        device_id,
        seq: mutation.seq,
        value,
    };
    let other_value = format!("{value}.");
    let stamp = |version, device| Some(FieldStamp { version, device });
    let judge = |stamp, server_value: &str| judge_edit(stamp, server_value, edit);

    // Never edited on the server, or not since the device's copy: the edit applies.
    assert_eq!(judge(None, &other_value), EditVerdict::Apply);
    assert_eq!(
        judge(stamp(base_version, None), &other_value),
        EditVerdict::Apply
    );
    if let Some(older) = base_version.checked_sub(1) {
        assert_eq!(judge(stamp(older, None), &other_value), EditVerdict::Apply);
    }
    if let Some(newer) = base_version.checked_add(1) {
        // Changed since by the office: a conflict, unless to the very value the edit sets.
        assert_eq!(
            judge(stamp(newer, None), &other_value),
            EditVerdict::Conflict
        );
        assert_eq!(judge(stamp(newer, None), value), EditVerdict::Apply);
        // Changed since by another device: a conflict.
        let other_device = uuid::Uuid::from_u128(device_id.as_u128() ^ 1);
        assert_eq!(
            judge(
                stamp(newer, Some((other_device, mutation.seq.saturating_sub(1)))),
                &other_value
            ),
            EditVerdict::Conflict
        );
        // By this device: its earlier edit applies, a later one (replayed) conflicts.
        if let Some(earlier) = mutation.seq.checked_sub(1) {
            assert_eq!(
                judge(stamp(newer, Some((device_id, earlier))), &other_value),
                EditVerdict::Apply
            );
        }
        assert_eq!(
            judge(stamp(newer, Some((device_id, mutation.seq))), &other_value),
            EditVerdict::Conflict
        );
        if let Some(later) = mutation.seq.checked_add(1) {
            assert_eq!(
                judge(stamp(newer, Some((device_id, later))), &other_value),
                EditVerdict::Conflict
            );
        }
    }
}
