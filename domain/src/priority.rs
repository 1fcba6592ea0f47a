use crate::user::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One thing that matters to a customer, in their own words, and who heard it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Priority {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub text: String,
    pub pinned: bool,
    pub heard_by_id: Uuid,
    pub heard_by_name: String,
    /// The role the hearer had when they heard it: a priority heard by a technician on site
    /// reads differently from one taken by the office on the phone.
    pub heard_role: Role,
    pub heard_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// The fields a person types when adding or editing a priority.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityDraft {
    pub text: String,
    pub pinned: bool,
}

pub const MAX_PRIORITY_TEXT: usize = 500;

impl PriorityDraft {
    pub fn validate(self) -> Result<PriorityDraft, String> {
        let text = self.text.trim().to_string();
        if text.is_empty() {
            return Err("Write the priority in the customer's words.".into());
        }
        crate::text::check_text("The priority", &text)?;
        let len = text.chars().count();
        if len > MAX_PRIORITY_TEXT {
            return Err(format!(
                "The priority is {len} characters long; keep it under {MAX_PRIORITY_TEXT}."
            ));
        }
        Ok(PriorityDraft { text, ..self })
    }
}

/// The order a priorities card shows: pinned first, then the most recently heard.
/// Retired priorities are history, not something to act on, so they are left out.
pub fn for_display(mut priorities: Vec<Priority>) -> Vec<Priority> {
    priorities.retain(|p| p.retired_at.is_none());
    priorities.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(b.heard_at.cmp(&a.heard_at))
            .then(a.id.cmp(&b.id))
    });
    priorities
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn priority(text: &str, pinned: bool, day: u32, retired: bool) -> Priority {
        let at = Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap();
        Priority {
            id: Uuid::now_v7(),
            customer_id: Uuid::nil(),
            text: text.into(),
            pinned,
            heard_by_id: Uuid::nil(),
            heard_by_name: "Sam".into(),
            heard_role: Role::Technician,
            heard_at: at,
            retired_at: retired.then_some(at),
            version: 1,
        }
    }

    #[test]
    fn pinned_come_first_then_newest_and_retired_are_hidden() {
        let shown = for_display(vec![
            priority("old", false, 1, false),
            priority("pinned old", true, 2, false),
            priority("new", false, 9, false),
            priority("retired", true, 10, true),
            priority("pinned new", true, 5, false),
        ]);
        let texts: Vec<_> = shown.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["pinned new", "pinned old", "new", "old"]);
    }

    #[test]
    fn drafts_are_trimmed_and_bounded() {
        let ok = PriorityDraft {
            text: "  Call 30 min before ".into(),
            pinned: true,
        }
        .validate();
        assert_eq!(ok.unwrap().text, "Call 30 min before");
        assert!(PriorityDraft {
            text: "   ".into(),
            pinned: false
        }
        .validate()
        .is_err());
        let long = PriorityDraft {
            text: "x".repeat(501),
            pinned: false,
        };
        assert!(long.validate().unwrap_err().contains("501 characters"));
    }
}
