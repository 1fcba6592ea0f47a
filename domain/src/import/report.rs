//! What the import page sends and what it shows: the preview's counts and rows, and what an
//! import did.

use super::columns::Column;
use super::row::{Action, Known, RowPlan};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

/// How many rows do what, for the preview's summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub reject: usize,
}

impl Counts {
    pub fn of(plans: &[RowPlan]) -> Counts {
        let mut counts = Counts::default();
        for plan in plans {
            *match plan.action {
                Action::Create => &mut counts.create,
                Action::Update => &mut counts.update,
                Action::Unchanged => &mut counts.unchanged,
                Action::Reject => &mut counts.reject,
            } += 1;
        }
        counts
    }
}

/// What the import page sends: the file's text, and the person's choices for its columns
/// (header → a field's key, or `ignore`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub csv: String,
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// For the import: the `based_on` of the preview the person saw.
    #[serde(default)]
    pub based_on: Option<i64>,
}

/// The preview of a file, before anything is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub columns: Vec<Column>,
    /// What must be fixed (in the mapping) before the file can be imported.
    pub problem: Option<String>,
    pub counts: Counts,
    /// The rows that would change something or are rejected, in file order (the first few
    /// hundred); rows already as in the file are only counted.
    pub rows: Vec<RowPlan>,
    pub rows_not_shown: usize,
    /// What Rapport held when the preview was made (its version); the import refuses to go
    /// ahead if a customer in the file has changed since.
    pub based_on: i64,
}

/// The customers a file touches that changed after the preview it was imported from.
pub fn changed_since<'a>(plans: &[RowPlan], known: &'a [Known], based_on: i64) -> Vec<&'a str> {
    let touched: HashSet<Uuid> = plans.iter().filter_map(|p| p.existing).collect();
    known
        .iter()
        .filter(|k| touched.contains(&k.customer.id) && k.latest_version > based_on)
        .map(|k| k.customer.name.as_str())
        .collect()
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// Priorities added to new and existing customers.
    pub priorities: usize,
    pub unchanged: usize,
    pub rejected: usize,
}
