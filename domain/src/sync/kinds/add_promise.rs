//! A commitment to a customer with a due date, made on site.

use super::{text_ok, Kind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddPromise {
    pub promise_id: Uuid,
    pub customer_id: Uuid,
    /// The visit it was made at, if any.
    #[serde(default)]
    pub visit_id: Option<Uuid>,
    pub text: String,
    pub due_on: NaiveDate,
}

impl Kind for AddPromise {
    const KIND: &'static str = "add_promise";

    fn validate(&self) -> Result<(), String> {
        if !crate::plausible_date(self.due_on) {
            return Err(format!(
                "The due date {} is out of range; give a date between the years 2000 and 2200.",
                self.due_on
            ));
        }
        text_ok("promise", &self.text, crate::promise::MAX_PROMISE_TEXT)
    }

    fn describe(&self) -> String {
        format!("Promise: {}", self.text)
    }
}
