//! The customer page's read model: the customer, what matters to them, and their history.

use super::PlanLine;
use crate::sync::VisitNote;
use crate::{Customer, FieldConflict, Priority, UserSummary, Visit};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A visit as the office reads it: who went, and when they arrived and left (in the
/// organisation's time zone) or why it was skipped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitLine {
    pub visit: Visit,
    pub technician: Option<String>,
    pub times: String,
}

/// Everything the customer page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerDetail {
    pub customer: Customer,
    /// Active priorities, pinned first.
    pub priorities: Vec<Priority>,
    pub assigned_name: Option<String>,
    pub backup_name: Option<String>,
    /// Technicians to choose from (office and admin only; empty for technicians).
    pub technicians: Vec<UserSummary>,
    /// Visits from a month ago to a month ahead.
    pub visits: Vec<VisitLine>,
    /// Edits from phones that collided with a newer office edit: both values, unsettled.
    pub conflicts: Vec<FieldConflict>,
    /// What technicians wrote at visits, newest first, with the author's name.
    pub notes: Vec<(VisitNote, String)>,
    /// Whether the viewer may edit the customer and assign technicians.
    pub can_manage: bool,
    /// "4 technicians in the last 10 visits · 40% by Sam Ortiz".
    pub continuity: String,
    /// Continuity breaks, newest first, in words.
    pub breaks: Vec<String>,
    pub plans: Vec<PlanLine>,
    /// Everything that happened with this customer, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Every recorded change, for an admin (empty for everyone else).
    pub history: Vec<TimelineEntry>,
    pub today: NaiveDate,
}

/// One line of a customer's timeline or change history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// In the organisation's time: "Tue 3 Mar 09:12".
    pub when: String,
    pub kind: String,
    pub text: String,
    pub who: String,
}
