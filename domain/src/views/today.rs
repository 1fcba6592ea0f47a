//! A technician's day as the server renders it.

use crate::Stop;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A technician's route for one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayRoute {
    pub date: NaiveDate,
    pub stops: Vec<Stop>,
}
