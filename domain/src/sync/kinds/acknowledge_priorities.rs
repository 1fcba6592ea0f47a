//! The technician read the customer's priorities before starting the visit; the earliest
//! time counts.

use super::{time_ok, Kind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AcknowledgePriorities {
    pub visit_id: Uuid,
    pub at: DateTime<Utc>,
}

impl Kind for AcknowledgePriorities {
    const KIND: &'static str = "acknowledge_priorities";

    fn validate(&self) -> Result<(), String> {
        time_ok("at", self.at)
    }

    fn describe(&self) -> String {
        "Priorities read".into()
    }
}
