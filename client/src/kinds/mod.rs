//! How each kind of change shows on the phone before the server has it, and how it is taken
//! back when the server refuses it: one module per kind (`domain::sync::Change`).

mod acknowledge_priorities;
mod add_priority;
mod add_promise;
mod add_visit_note;
mod advance_visit;
mod edit_customer;
mod keep_promise;

use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::Change;
use domain::UserSummary;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A kind of change as the phone's cache sees it.
pub trait LocalChange {
    /// Shows the change at once. A row it makes has version 0, which marks "not synced".
    /// Applied again on top of every pulled page while the change waits, so it must give the
    /// same result when applied twice.
    fn apply_local(&self, cache: &mut Cache, me: &UserSummary, made_at: DateTime<Utc>);

    /// Takes back a row this change made that the server refused (it never got a version).
    /// What it did to existing rows is undone by re-reading them, so most kinds do nothing.
    fn forget_local(&self, cache: &mut Cache);
}

/// The kind's own handling; the one place that lists the kinds on the phone.
pub fn local(change: &Change) -> &dyn LocalChange {
    match change {
        Change::AddVisitNote(c) => c,
        Change::AdvanceVisit(c) => c,
        Change::AddPriority(c) => c,
        Change::AddPromise(c) => c,
        Change::KeepPromise(c) => c,
        Change::AcknowledgePriorities(c) => c,
        Change::EditCustomer(c) => c,
    }
}

/// Removes a row only this device has (version 0: the server never accepted it).
fn drop_unsynced<T>(rows: &mut BTreeMap<Uuid, T>, id: &Uuid, version: impl Fn(&T) -> i64) {
    if rows.get(id).is_some_and(|r| version(r) == 0) {
        rows.remove(id);
    }
}
