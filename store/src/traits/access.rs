//! Who may get in: users, their sessions and login failures, and the devices that sync.

use crate::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Role, UserSummary};
use uuid::Uuid;

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
    /// Creates the installation's first admin, atomically: of any number of concurrent calls
    /// on a database without users, exactly one creates its user; the others (and every call
    /// once a user exists) get `None` and change nothing.
    async fn create_first_admin(
        &self,
        user: NewUser,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>>;
    /// The active user with this email and their password hash, for logging in.
    async fn find_login(&self, email: &str) -> StoreResult<Option<(UserSummary, String)>>;
    async fn get_user(&self, id: Uuid) -> StoreResult<Option<UserSummary>>;
    async fn list_users(&self, role: Option<Role>) -> StoreResult<Vec<UserSummary>>;
    /// Every user ever, disabled ones included: their names stay on old visits and notes.
    async fn all_users(&self) -> StoreResult<Vec<UserSummary>>;
    /// Disables a user (they can no longer log in) or enables them again.
    async fn set_user_disabled(
        &self,
        id: Uuid,
        disabled_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Replaces a user's password hash (a reset). Every known-device cookie of the user is
    /// signed over the old hash, so none of them passes the login throttle afterwards.
    async fn set_password(&self, id: Uuid, password_hash: &str) -> StoreResult<()>;
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
    /// Records a login attempt from a client address as a failure before its password is
    /// checked, so that attempts still in flight count too, and forgets failures older than
    /// `forget_before` (so the table holds only the last window). The row carries the email
    /// only if it is an active account's; for any other email it holds none (`NULL`): made-up
    /// addresses are not kept, yet count against the client like any other failure. Returns
    /// the row's id, for [`Sessions::forget_login_attempt`].
    async fn record_login_attempt(
        &self,
        email: &str,
        client: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Removes one attempt's row: its password was right, or it was refused unchecked.
    async fn forget_login_attempt(&self, id: i64) -> StoreResult<()>;
    /// Failed logins from this client address (any account) since `since`.
    async fn client_login_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// Forgets the failures of this account made from this client address (after it logged
    /// in there); those from other addresses still count.
    async fn clear_client_login_failures(&self, email: &str, client: &str) -> StoreResult<()>;
    /// The setting `key` (such as the key that signs known-device cookies), stored as `value`
    /// first if it has none. Never overwrites: of several instances making one at once, all
    /// get the one that was stored first.
    async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String>;
}

#[async_trait]
pub trait Devices: Send + Sync {
    /// Records that this device synced with this session (its first sync registers it to the
    /// user). A device registered to another user, or signed out, is refused.
    async fn register_device(
        &self,
        device_id: Uuid,
        user_id: Uuid,
        session_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Every device, most recently seen first.
    async fn list_devices(&self) -> StoreResult<Vec<domain::device::Device>>;
    /// Signs a device out: every session it ever synced with is revoked at once, and it is
    /// refused until an admin allows it again.
    async fn revoke_device(&self, device_id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
    /// Lets a signed-out device sync again (after its owner logs in on it).
    async fn allow_device(&self, device_id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
}
