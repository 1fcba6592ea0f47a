//! The store's interface, one trait per domain noun.

use crate::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::sync::{Mutation, Outcome, PullResponse};
use domain::{
    Customer, CustomerDraft, CustomerSummary, Priority, PriorityDraft, Role, UserSummary,
};
use domain::{Visit, VisitStatus};
use uuid::Uuid;

/// Everything the server keeps.
pub trait Store: Users + Sessions + Settings + Customers + Priorities + Visits + SyncStore {}
impl<T> Store for T where
    T: Users + Sessions + Settings + Customers + Priorities + Visits + SyncStore
{
}

pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

#[async_trait]
pub trait Users: Send + Sync {
    async fn create_user(&self, user: NewUser, at: DateTime<Utc>) -> StoreResult<UserSummary>;
    async fn user_count(&self) -> StoreResult<i64>;
    /// The active user with this email and their password hash, for logging in.
    async fn find_login(&self, email: &str) -> StoreResult<Option<(UserSummary, String)>>;
    async fn get_user(&self, id: Uuid) -> StoreResult<Option<UserSummary>>;
    async fn list_users(&self, role: Option<Role>) -> StoreResult<Vec<UserSummary>>;
}

pub struct NewSession {
    pub token_hash: String,
    pub user_id: Uuid,
    pub user_agent: String,
    pub expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait Sessions: Send + Sync {
    async fn create_session(&self, session: NewSession, at: DateTime<Utc>) -> StoreResult<()>;
    /// The user behind a live session: not revoked, not expired, user not disabled.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>>;
    async fn revoke_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn record_login_failure(&self, email: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn login_failures_since(&self, email: &str, since: DateTime<Utc>) -> StoreResult<i64>;
    async fn clear_login_failures(&self, email: &str) -> StoreResult<()>;
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
    /// Only customers this technician serves (assigned, backup, or with a visit).
    pub served_by: Option<Uuid>,
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
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    async fn update_customer(
        &self,
        id: Uuid,
        draft: CustomerDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    async fn set_technicians(
        &self,
        id: Uuid,
        assigned: Option<Uuid>,
        backup: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer>;
    /// Conflicting edits of this customer's fields that nobody has settled yet, newest first.
    async fn customer_conflicts(
        &self,
        customer_id: Uuid,
    ) -> StoreResult<Vec<domain::FieldConflict>>;
    /// Whether a technician may see this customer: assigned, backup, or has a visit there.
    async fn technician_serves(&self, technician_id: Uuid, customer_id: Uuid) -> StoreResult<bool>;
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
}

#[async_trait]
pub trait SyncStore: Send + Sync {
    /// Records a device of this user (first push), refusing a device that was revoked or
    /// belongs to someone else.
    async fn register_device(
        &self,
        device_id: Uuid,
        user_id: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Applies one mutation exactly once, in one transaction with the record of its id.
    async fn apply_mutation(
        &self,
        device_id: Uuid,
        user: &UserSummary,
        mutation: &Mutation,
        at: DateTime<Utc>,
    ) -> StoreResult<Outcome>;
    /// Changes in scope with a version above `cursor`, at most about `limit` of them.
    async fn pull(&self, scope: &PullScope, cursor: i64, limit: usize)
        -> StoreResult<PullResponse>;
}
