//! A priority the customer mentioned, heard by the technician on site.

use super::Kind;
use crate::PriorityDraft;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddPriority {
    pub priority_id: Uuid,
    pub customer_id: Uuid,
    pub text: String,
    pub pinned: bool,
}

impl AddPriority {
    /// What was heard, as the office's form would have it.
    pub fn draft(&self) -> PriorityDraft {
        PriorityDraft {
            text: self.text.clone(),
            pinned: self.pinned,
        }
    }
}

impl Kind for AddPriority {
    const KIND: &'static str = "add_priority";

    /// The same rule, and the same words, as a priority added in the office.
    fn validate(&self) -> Result<(), String> {
        self.draft().validate().map(|_| ())
    }

    fn describe(&self) -> String {
        format!("Priority: {}", self.text)
    }
}
