//! When a phone's edit of a single-valued field (a customer's phone number, access notes) may
//! overwrite the server's value, and when it is a conflict that keeps both.

use uuid::Uuid;

/// The last write of a field on the server: its version, and the device mutation that made it
/// (none when the office made it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldStamp {
    pub version: i64,
    /// The device and its sequence number.
    pub device: Option<(Uuid, i64)>,
}

/// An edit as the device made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldWrite<'a> {
    /// The version of the customer the device had when it made the edit.
    pub base_version: i64,
    pub device_id: Uuid,
    pub seq: i64,
    pub value: &'a str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditVerdict {
    Apply,
    /// The field changed after the device's copy, to something else: keep both.
    Conflict,
}

/// The rule. An edit applies when the field has not changed since the device's copy, when it
/// sets the value the server already has, or when the only change since was this device's own
/// earlier edit (two edits made offline in a row build on each other; the second must not
/// conflict with the first).
pub fn judge_edit(
    stamp: Option<FieldStamp>,
    server_value: &str,
    edit: FieldWrite<'_>,
) -> EditVerdict {
    let Some(stamp) = stamp else {
        return EditVerdict::Apply;
    };
    let unchanged_since = stamp.version <= edit.base_version;
    let same_value = server_value == edit.value;
    let own_earlier_edit =
        matches!(stamp.device, Some((device, seq)) if device == edit.device_id && seq < edit.seq);
    if unchanged_since || same_value || own_earlier_edit {
        EditVerdict::Apply
    } else {
        EditVerdict::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_conflicts_only_with_a_change_its_device_did_not_see() {
        let phone = Uuid::from_u128(1);
        let tablet = Uuid::from_u128(2);
        let edit = |base_version, device_id, seq| FieldWrite {
            base_version,
            device_id,
            seq,
            value: "555-0101",
        };
        let stamp = |version, device| Some(FieldStamp { version, device });
        use EditVerdict::*;
        let cases = [
            ("never edited", None, "555-0000", edit(3, phone, 1), Apply),
            (
                "edited before the copy",
                stamp(3, None),
                "555-0000",
                edit(3, phone, 1),
                Apply,
            ),
            (
                "office edited after the copy",
                stamp(9, None),
                "555-0000",
                edit(3, phone, 1),
                Conflict,
            ),
            (
                "office set the same value",
                stamp(9, None),
                "555-0101",
                edit(3, phone, 1),
                Apply,
            ),
            (
                "own earlier offline edit",
                stamp(9, Some((phone, 4))),
                "555-0099",
                edit(3, phone, 5),
                Apply,
            ),
            (
                "own later edit (replayed out of order)",
                stamp(9, Some((phone, 6))),
                "555-0099",
                edit(3, phone, 5),
                Conflict,
            ),
            (
                "another device's edit",
                stamp(9, Some((tablet, 4))),
                "555-0099",
                edit(3, phone, 5),
                Conflict,
            ),
        ];
        for (what, stamp, server_value, edit, expected) in cases {
            assert_eq!(judge_edit(stamp, server_value, edit), expected, "{what}");
        }
    }
}
