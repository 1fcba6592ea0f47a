//! A visit's progress: en route, on site, done or skipped. Moves forward only; the server
//! merges reports (see [`crate::visit::merge_progress`]).

use super::{text_ok, time_ok, Kind};
use crate::VisitStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest reason for skipping a visit.
pub const MAX_SKIP_REASON: usize = 500;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdvanceVisit {
    pub visit_id: Uuid,
    pub status: VisitStatus,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub skip_reason: Option<String>,
}

impl Kind for AdvanceVisit {
    const KIND: &'static str = "advance_visit";

    fn validate(&self) -> Result<(), String> {
        time_ok("at", self.at)?;
        match (self.status, &self.skip_reason) {
            (VisitStatus::Scheduled, _) => Err("A visit cannot be moved back to scheduled.".into()),
            (VisitStatus::Skipped, reason) => match reason.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() => text_ok("reason for skipping", r, MAX_SKIP_REASON),
                _ => Err("Say why the visit was skipped.".into()),
            },
            // Kept with the visit even when it was not skipped, so it is checked the same.
            (_, Some(r)) => crate::text::check_text("The reason for skipping", r),
            (_, None) => Ok(()),
        }
    }

    fn describe(&self) -> String {
        format!("Visit marked {}", self.status.label().to_lowercase())
    }
}
