//! The promise ledger as people read it: names instead of ids, overdue ones marked.

use crate::promise::OnTimeRate;
use crate::{Promise, UserSummary};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A promise with the names a person reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromiseRow {
    pub promise: Promise,
    pub customer_name: String,
    pub owner_name: String,
    pub overdue: bool,
}

/// The office's view of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub overdue: Vec<PromiseRow>,
    /// Open and not yet due, soonest first.
    pub upcoming: Vec<PromiseRow>,
    /// Kept on time, per owner, best first.
    pub rates: Vec<(String, OnTimeRate)>,
    pub callback_cutoff: String,
    pub is_admin: bool,
}

/// A customer's promises and how reliably they were kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerLedger {
    pub rows: Vec<PromiseRow>,
    pub rate: OnTimeRate,
    /// People a promise can be given to.
    pub owners: Vec<UserSummary>,
    pub today: NaiveDate,
}
