//! A promise kept.

use super::{time_ok, Kind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeepPromise {
    pub promise_id: Uuid,
    pub at: DateTime<Utc>,
}

impl Kind for KeepPromise {
    const KIND: &'static str = "keep_promise";

    fn validate(&self) -> Result<(), String> {
        time_ok("at", self.at)
    }

    fn describe(&self) -> String {
        "Promise kept".into()
    }
}
