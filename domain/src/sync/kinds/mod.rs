//! What a technician can do offline: one module per kind of change, each with its payload
//! (the fields on the wire), its validation and its one-line description.
//!
//! Adding a kind: a module here with its payload and `impl Kind`, and one line in `kinds!`
//! below. The compiler then points at every place that must handle it (the phone's local
//! apply in `client`, the server's apply and audit in `store`), and the tests that keep the
//! lists honest (`Change::KINDS`) name what else to add: the fuzz dictionary and seeds, the
//! fault test's generator, a saved phone state.

mod acknowledge_priorities;
mod add_priority;
mod add_promise;
mod add_visit_note;
mod advance_visit;
mod edit_customer;
mod keep_promise;

pub use acknowledge_priorities::AcknowledgePriorities;
pub use add_priority::AddPriority;
pub use add_promise::AddPromise;
pub use add_visit_note::AddVisitNote;
pub use advance_visit::{AdvanceVisit, MAX_SKIP_REASON};
pub use edit_customer::{CustomerField, EditCustomer};
pub use keep_promise::KeepPromise;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What every kind of change says about itself.
pub trait Kind {
    /// Its name on the wire, the `"kind"` of the change's JSON.
    const KIND: &'static str;

    /// Checks what can be checked without the database, so bad input is refused with a
    /// reason. The phone runs this too before it records a write.
    fn validate(&self) -> Result<(), String>;

    /// One line for the technician: what this change was (the list of refused changes).
    fn describe(&self) -> String;
}

/// Declares [`Change`] from the list of kinds, with everything derived from that list, so
/// the list of names ([`Change::KINDS`]) cannot miss a variant.
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// What a technician can do offline: one variant per kind, named as its payload.
        /// Travels as the payload's fields with `"kind"` beside them (internally tagged).
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum Change {
            $($(#[$doc])* $kind($kind),)*
        }

        impl Change {
            /// Every kind's wire name, in declaration order.
            pub const KINDS: &'static [&'static str] = &[$(<$kind as Kind>::KIND,)*];

            pub fn kind(&self) -> &'static str {
                match self {
                    $(Change::$kind(_) => <$kind as Kind>::KIND,)*
                }
            }

            /// See [`Kind::validate`].
            pub fn validate(&self) -> Result<(), String> {
                match self {
                    $(Change::$kind(change) => change.validate(),)*
                }
            }

            /// See [`Kind::describe`].
            pub fn describe(&self) -> String {
                match self {
                    $(Change::$kind(change) => change.describe(),)*
                }
            }
        }

        $(
            impl From<$kind> for Change {
                fn from(change: $kind) -> Change {
                    Change::$kind(change)
                }
            }
        )*
    };
}

kinds! {
    /// Append-only: a correction is another note.
    AddVisitNote,
    /// Moves a visit forward (en route, on site, done, skipped); never backward.
    AdvanceVisit,
    /// A priority the customer mentioned, heard by the technician.
    AddPriority,
    /// A commitment with a date.
    AddPromise,
    KeepPromise,
    /// The technician read the customer's priorities before starting the visit.
    AcknowledgePriorities,
    /// A new value for one of the customer's single-valued fields.
    EditCustomer,
}

/// A time before 2000 (or after 2200) is a phone whose clock was reset or a broken client; one
/// in the future is believed only up to the server's clock (see the store), since the write
/// itself is real.
pub(crate) fn time_ok(what: &str, at: DateTime<Utc>) -> Result<(), String> {
    if crate::plausible_date(at.date_naive()) {
        Ok(())
    } else {
        Err(format!(
            "The time {at} ({what}) is not plausible; check the phone's date and time."
        ))
    }
}

/// A person's text: not empty, not too long, no control characters (see [`crate::text`]).
fn text_ok(what: &str, text: &str, max: usize) -> Result<(), String> {
    let len = text.trim().chars().count();
    if len == 0 {
        Err(format!("The {what} is empty."))
    } else if len > max {
        Err(format!(
            "The {what} is {len} characters long; the limit is {max}."
        ))
    } else {
        crate::text::check_text(&format!("The {what}"), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VisitStatus;
    use chrono::NaiveDate;
    use uuid::Uuid;

    /// What the phone's list of refused changes shows for each kind (a note, its first 60
    /// characters).
    #[test]
    fn each_kind_describes_itself_in_one_line() {
        let id = Uuid::nil();
        let at = "2026-11-23T08:00:00Z".parse().unwrap();
        let cases: Vec<(Change, &str)> = vec![
            (
                AddVisitNote {
                    note_id: id,
                    visit_id: id,
                    body: format!("Checked all stations {}", "x".repeat(60)),
                }
                .into(),
                "Note: Checked all stations xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            ),
            (
                AdvanceVisit {
                    visit_id: id,
                    status: VisitStatus::OnSite,
                    at,
                    skip_reason: None,
                }
                .into(),
                "Visit marked on site",
            ),
            (
                AddPriority {
                    priority_id: id,
                    customer_id: id,
                    text: "Call first".into(),
                    pinned: false,
                }
                .into(),
                "Priority: Call first",
            ),
            (
                AddPromise {
                    promise_id: id,
                    customer_id: id,
                    visit_id: None,
                    text: "Bring a ladder".into(),
                    due_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                }
                .into(),
                "Promise: Bring a ladder",
            ),
            (KeepPromise { promise_id: id, at }.into(), "Promise kept"),
            (
                AcknowledgePriorities { visit_id: id, at }.into(),
                "Priorities read",
            ),
            (
                EditCustomer {
                    customer_id: id,
                    field: CustomerField::AccessNotes,
                    value: "Side gate".into(),
                    base_version: 1,
                }
                .into(),
                "access notes: Side gate",
            ),
        ];
        for (change, expected) in cases {
            assert_eq!(change.describe(), expected, "{change:?}");
        }
    }
}
