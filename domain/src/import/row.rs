//! What a row of the file is, what Rapport already holds to match it against, and what the
//! row would do.

use crate::{Customer, CustomerDraft, PriorityDraft, UserSummary};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A customer already in Rapport, with the texts of their current priorities.
#[derive(Clone, Debug)]
pub struct Known {
    pub customer: Customer,
    pub priorities: Vec<String>,
    /// The newest version among the customer and their priorities: a preview made before
    /// it no longer shows what an import would do to them.
    pub latest_version: i64,
}

/// What is in Rapport, for matching rows against.
pub struct Existing<'a> {
    pub customers: &'a [Known],
    /// People rows may name as technician; only active technicians can be assigned.
    pub people: &'a [UserSummary],
    /// Everyone, former staff too: a row may keep the technician a customer already has.
    pub everyone: &'a [UserSummary],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Reject,
}

/// What one row of the file would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowPlan {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub action: Action,
    /// For a change, what changes; for a rejection, why and what to do.
    pub detail: String,
    /// The customer already in Rapport the line is about, if any.
    pub existing: Option<Uuid>,
    #[serde(skip)]
    pub change: Option<Change>,
}

/// A write the import makes for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub id: Uuid,
    /// None: a new customer.
    pub expected_version: Option<i64>,
    /// The customer's fields after the import (None: they stay as they are).
    pub draft: Option<CustomerDraft>,
    /// The technicians after the import (None: they stay as they are).
    pub technicians: Option<(Option<Uuid>, Option<Uuid>)>,
    pub new_priorities: Vec<PriorityDraft>,
}

/// One row of the file, as cells in column order, with the line it starts on.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}
