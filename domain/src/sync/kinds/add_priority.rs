//! A priority the customer mentioned, heard by the technician on site.

use super::{text_ok, Kind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddPriority {
    pub priority_id: Uuid,
    pub customer_id: Uuid,
    pub text: String,
    pub pinned: bool,
}

impl Kind for AddPriority {
    const KIND: &'static str = "add_priority";

    fn validate(&self) -> Result<(), String> {
        text_ok("priority", &self.text, crate::priority::MAX_PRIORITY_TEXT)
    }

    fn describe(&self) -> String {
        format!("Priority: {}", self.text)
    }
}
