//! A note written at a visit. Append-only: a correction is another note.

use super::{text_ok, Kind};
use crate::sync::MAX_NOTE_CHARS;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddVisitNote {
    pub note_id: Uuid,
    pub visit_id: Uuid,
    pub body: String,
}

impl Kind for AddVisitNote {
    const KIND: &'static str = "add_visit_note";

    fn validate(&self) -> Result<(), String> {
        text_ok("note", &self.body, MAX_NOTE_CHARS)
    }

    fn describe(&self) -> String {
        format!("Note: {}", self.body.chars().take(60).collect::<String>())
    }
}
