//! The store's interface, one trait per domain noun.

use crate::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::continuity::{BreakReason, PastVisit};
use domain::plan::ServicePlan;
use domain::sync::{Outcome, PullResponse};
use domain::{
    Customer, CustomerDraft, CustomerSummary, Priority, PriorityDraft, Role, UserSummary,
};
use domain::{Promise, PromiseOrigin, PromiseStatus, Visit, VisitStatus};
use uuid::Uuid;

mod access;
pub use access::*;

/// Everything the server keeps.
pub trait Store:
    Users
    + Sessions
    + Settings
    + Customers
    + Priorities
    + Visits
    + Schedule
    + Promises
    + Plans
    + Audit
    + Devices
    + CalendarFeeds
    + Interop
    + ApiTokens
    + SyncStore
{
}
impl<T> Store for T where
    T: Users
        + Sessions
        + Settings
        + Customers
        + Priorities
        + Visits
        + Schedule
        + Promises
        + Plans
        + Audit
        + Devices
        + CalendarFeeds
        + Interop
        + ApiTokens
        + SyncStore
{
}

#[async_trait]
pub trait Settings: Send + Sync {
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()>;
}

/// Which customers a list shows.
#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    /// Matched against name, contact, address and phone, case-insensitively.
    pub search: String,
    /// Only customers this technician serves on this day (the caller's today): assigned,
    /// backup, or with a visit in their window (`domain::sync::window`).
    pub served_by: Option<(Uuid, NaiveDate)>,
    pub limit: i64,
}

#[async_trait]
pub trait Customers: Send + Sync {
    async fn list_customers(&self, filter: &CustomerFilter) -> StoreResult<Vec<CustomerSummary>>;
    async fn get_customer(&self, id: Uuid) -> StoreResult<Option<Customer>>;
    async fn create_customer(
        &self,
        id: Uuid,
        draft: CustomerDraft,
        assigned_technician_id: Option<Uuid>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    /// `expected_version`: the version the editor started from; if the customer has changed
    /// since, the edit is refused (`Conflict`) rather than overwriting the newer change.
    async fn update_customer(
        &self,
        id: Uuid,
        draft: CustomerDraft,
        expected_version: Option<i64>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    async fn set_technicians(
        &self,
        id: Uuid,
        assigned: Option<Uuid>,
        backup: Option<Uuid>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    /// Conflicting edits of this customer's fields that nobody has settled yet, newest first.
    async fn customer_conflicts(
        &self,
        customer_id: Uuid,
    ) -> StoreResult<Vec<domain::FieldConflict>>;
    /// Settles an unsettled conflict of this customer: keeps the current value, or takes the
    /// value the phone sent (a new version of the field, so phones pick it up).
    async fn settle_conflict(
        &self,
        customer_id: Uuid,
        conflict_id: Uuid,
        take_device_value: bool,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Whether a technician may see this customer today (the caller's day): assigned,
    /// backup, or with a visit there in their window (`domain::sync::window`).
    async fn technician_serves(
        &self,
        technician_id: Uuid,
        customer_id: Uuid,
        today: NaiveDate,
    ) -> StoreResult<bool>;
}

pub struct NewPriority {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub draft: PriorityDraft,
    pub heard_by_id: Uuid,
    pub heard_role: Role,
    pub heard_at: DateTime<Utc>,
}

#[async_trait]
pub trait Priorities: Send + Sync {
    /// All priorities of these customers, retired ones included, in no particular order.
    async fn priorities_of(&self, customer_ids: &[Uuid]) -> StoreResult<Vec<Priority>>;
    async fn get_priority(&self, id: Uuid) -> StoreResult<Option<Priority>>;
    async fn add_priority(&self, priority: NewPriority) -> StoreResult<Priority>;
    async fn edit_priority(
        &self,
        id: Uuid,
        draft: PriorityDraft,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Priority>;
    async fn retire_priority(&self, id: Uuid, by: Uuid, at: DateTime<Utc>)
        -> StoreResult<Priority>;
}

pub struct NewVisit {
    pub id: Uuid,
    /// The plan that made it and which of the plan's dates it is; none for a one-off.
    pub plan: Option<(Uuid, NaiveDate)>,
    /// Who scheduled it, for the audit trail (none for demo data and imports).
    pub created_by: Option<Uuid>,
    pub customer_id: Uuid,
    pub technician_id: Option<Uuid>,
    pub scheduled_on: NaiveDate,
    pub window_start: Option<NaiveTime>,
    pub window_end: Option<NaiveTime>,
    pub position: i64,
    pub status: VisitStatus,
    pub arrived_at: Option<DateTime<Utc>>,
    pub departed_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
}

#[async_trait]
pub trait Visits: Send + Sync {
    async fn create_visit(&self, visit: NewVisit, at: DateTime<Utc>) -> StoreResult<Visit>;
    /// A technician's visits on one day, in route order.
    async fn technician_day(&self, technician_id: Uuid, day: NaiveDate) -> StoreResult<Vec<Visit>>;
    /// A technician's visits between two days (inclusive), by day and route order.
    async fn technician_visits(
        &self,
        technician_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Visit>>;
    /// A customer's most recent visit notes, newest first.
    async fn customer_notes(
        &self,
        customer_id: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<domain::sync::VisitNote>>;
    /// A customer's visits between two days (inclusive), oldest first.
    async fn customer_visits(
        &self,
        customer_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Visit>>;
}

/// Whose pull this is and what it may see.
#[derive(Clone, Debug)]
pub struct PullScope {
    /// `Some` limits the pull to this technician's visits and their customers.
    pub technician_id: Option<Uuid>,
    /// Visits on these days (inclusive) are in the window.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The last day of the window the device already holds. A technician's visits dated
    /// after it (up to `to`) came into the window as the days passed: they are sent whatever
    /// their version, since the cursor went past them while they were still out of the window.
    pub entered_after: Option<NaiveDate>,
}

/// Secret links to a technician's visits for their phone's calendar app.
#[async_trait]
pub trait CalendarFeeds: Send + Sync {
    /// Gives a user a new calendar link (stored as its token's hash); the old one stops working.
    async fn set_calendar_token(
        &self,
        user_id: Uuid,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// When the user's current link was made, if they have one.
    async fn calendar_link_made(&self, user_id: Uuid) -> StoreResult<Option<DateTime<Utc>>>;
    /// The active user a link belongs to.
    async fn calendar_owner(&self, token_hash: &str) -> StoreResult<Option<UserSummary>>;
}

/// The phones and tablets that sync.
/// A REST API token as the admin's list shows it (the token itself is never kept).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait ApiTokens: Send + Sync {
    async fn create_api_token(
        &self,
        id: Uuid,
        name: &str,
        token_hash: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Active tokens first, newest first.
    async fn list_api_tokens(&self) -> StoreResult<Vec<ApiToken>>;
    async fn revoke_api_token(&self, id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// The admin a live token acts for (and notes that it was used).
    async fn api_token_user(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>>;
}

/// What an import wrote.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub priorities: usize,
}

/// Whole-table reads for exports, and the customer import.
#[async_trait]
pub trait Interop: Send + Sync {
    /// Every customer with the texts of their current priorities, by name.
    async fn known_customers(&self) -> StoreResult<Vec<domain::import::Known>>;
    /// The organisation's version now: every write so far has one at most this high.
    async fn current_version(&self) -> StoreResult<i64>;
    /// Every priority, retired ones too, each customer's in the order their card shows.
    async fn all_priorities(&self) -> StoreResult<Vec<Priority>>;
    async fn all_visits(&self) -> StoreResult<Vec<Visit>>;
    /// Visits from `from` to `to` (days, inclusive), in day and route order.
    async fn visits_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Visit>>;
    /// These customers (those that exist), by name.
    async fn customers_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Customer>>;
    /// Writes an import's changes in one transaction: all of them or, on any error, none.
    /// A customer changed since the preview (`expected_version`) fails the import.
    async fn import_customers(
        &self,
        changes: &[domain::import::Change],
        by: Uuid,
        by_role: Role,
        at: DateTime<Utc>,
    ) -> StoreResult<ImportReport>;
}

#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Applies a push's mutations in order, each exactly once (a mutation applied before is
    /// answered as then: `Duplicate`, or the same rejection), all in one transaction with the
    /// records of their ids. A change that could not be read is rejected with its reason, and
    /// so is one whose own data the database refuses (its writes are rolled back to its
    /// savepoint; the rest apply). Only a failure of the database itself fails the push.
    /// `today` is the organisation's day by the caller's clock: a technician's window.
    async fn apply_push(
        &self,
        device_id: Uuid,
        user: &UserSummary,
        mutations: &[domain::sync::Decoded],
        at: DateTime<Utc>,
        today: NaiveDate,
    ) -> StoreResult<Vec<Outcome>>;
    /// The answer recorded for a mutation, if it ever reached the server.
    async fn mutation_outcome(&self, mutation_id: Uuid) -> StoreResult<Option<Outcome>>;
    /// Changes in scope with a version above `cursor`, at most about `limit` of them.
    async fn pull(&self, scope: &PullScope, cursor: i64, limit: usize)
        -> StoreResult<PullResponse>;
}

/// A promise to record.
#[derive(Clone, Debug)]
pub struct NewPromise {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub text: String,
    pub due_on: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub origin: PromiseOrigin,
    pub visit_id: Option<Uuid>,
    pub created_by: Uuid,
}

/// Why a visit goes to someone new, and the promise to tell the customer.
#[derive(Clone, Debug)]
pub struct NewBreak {
    pub reason: BreakReason,
    pub reason_text: String,
    pub promise: NewPromise,
}

/// A dispatcher's move on the day board.
#[derive(Clone, Debug)]
pub struct VisitMove {
    pub visit_id: Uuid,
    pub technician_id: Option<Uuid>,
    pub day: NaiveDate,
    /// Place in that day's order (0 = first); none puts it last.
    pub position: Option<usize>,
    pub by: Uuid,
    /// Present when the move breaks continuity: recorded with the move, in one transaction.
    pub continuity_break: Option<NewBreak>,
}

/// A recorded continuity break.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct ContinuityBreak {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub customer_id: Uuid,
    pub assigned_technician_id: Option<Uuid>,
    pub technician_id: Uuid,
    pub reason: BreakReason,
    pub reason_text: String,
    pub by_user_id: Uuid,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait Schedule: Send + Sync {
    async fn get_visit(&self, id: Uuid) -> StoreResult<Option<Visit>>;
    /// Every visit on a day, each technician's and the unassigned, in route order.
    async fn visits_on(&self, day: NaiveDate) -> StoreResult<Vec<Visit>>;
    /// Moves a visit to a technician (or none) and day, at a place in that day's order.
    /// A visit already under way or finished cannot move. The technician who had it is told
    /// by their next pull to drop it.
    async fn move_visit(&self, mv: VisitMove, at: DateTime<Utc>) -> StoreResult<Visit>;
    async fn continuity_breaks(&self, customer_id: Uuid) -> StoreResult<Vec<ContinuityBreak>>;
    /// Breaks recorded since an instant, per customer.
    async fn break_counts(&self, since: DateTime<Utc>) -> StoreResult<Vec<(Uuid, i64)>>;
    /// Visits on or after `since` and before `until`, per customer, for continuity figures.
    async fn past_visits(
        &self,
        since: NaiveDate,
        until: NaiveDate,
    ) -> StoreResult<Vec<(Uuid, PastVisit)>>;
}

/// Which promises a list shows.
#[derive(Clone, Debug, Default)]
pub struct PromiseFilter {
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub status: Option<PromiseStatus>,
    /// Only promises due on or before this day.
    pub due_by: Option<NaiveDate>,
}

/// A customer's call, as logged by the office.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Call {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub summary: String,
    pub promise_id: Option<Uuid>,
    pub by_user_id: Uuid,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait Promises: Send + Sync {
    async fn create_promise(&self, promise: NewPromise, at: DateTime<Utc>) -> StoreResult<Promise>;
    async fn get_promise(&self, id: Uuid) -> StoreResult<Option<Promise>>;
    /// Marks an open promise kept or dropped (with a reason). Closing a closed one is refused.
    async fn close_promise(
        &self,
        id: Uuid,
        status: PromiseStatus,
        drop_reason: Option<String>,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Promise>;
    /// Matching promises, soonest due first.
    async fn promises(&self, filter: &PromiseFilter) -> StoreResult<Vec<Promise>>;
    /// Logs a call and, when a call back was asked for, its promise, in one transaction.
    async fn log_call(
        &self,
        customer_id: Uuid,
        summary: String,
        callback: Option<NewPromise>,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Call>;
    async fn calls_of(&self, customer_id: Uuid) -> StoreResult<Vec<Call>>;
}

/// What regenerating a plan changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Generated {
    pub created: u32,
    pub updated: u32,
    pub removed: u32,
}

#[async_trait]
pub trait Plans: Send + Sync {
    /// Creates or updates a plan (by id).
    async fn save_plan(
        &self,
        plan: ServicePlan,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<ServicePlan>;
    async fn get_plan(&self, id: Uuid) -> StoreResult<Option<ServicePlan>>;
    async fn plans_of(&self, customer_id: Uuid) -> StoreResult<Vec<ServicePlan>>;
    async fn all_plans(&self) -> StoreResult<Vec<ServicePlan>>;
    /// Brings the plan's visits from `from` to `to` in line with the plan: creates missing
    /// ones, updates the technician and window of unstarted ones, and removes unstarted ones
    /// on dates the plan no longer has. Visits before `from`, under way or finished are never
    /// touched. Running it twice changes nothing the second time.
    async fn generate_visits(
        &self,
        plan_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Generated>;
}

/// One line of a record's change history.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub detail: String,
    pub by_user_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait Audit: Send + Sync {
    /// The change history of one record (e.g. "customer", id), oldest first.
    async fn history(&self, entity: &str, entity_id: Uuid) -> StoreResult<Vec<AuditEntry>>;
    /// Every change about a customer: the customer's own record and its visits, priorities,
    /// promises, plans and calls; newest first.
    async fn customer_history(&self, customer_id: Uuid, limit: i64)
        -> StoreResult<Vec<AuditEntry>>;
}
