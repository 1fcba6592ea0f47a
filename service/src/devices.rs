//! The devices that sync, and signing one out (a lost or stolen phone): the admin's.

use crate::access::admin;
use crate::error::ServiceResult;
use crate::state::AppState;
use domain::views::DeviceRow;
use domain::UserSummary;
use uuid::Uuid;

const FORMAT: &str = "%Y-%m-%d %H:%M";

/// Every device that has synced, most recently seen first, with times in the organisation's
/// zone (admin).
pub async fn list(state: &AppState, user: &UserSummary) -> ServiceResult<Vec<DeviceRow>> {
    admin(user)?;
    let local = |t| state.to_local(t).format(FORMAT).to_string();
    Ok(state
        .store
        .list_devices()
        .await?
        .into_iter()
        .map(|d| DeviceRow {
            id: d.id,
            label: d.label(),
            owner: d.user_name,
            first_seen: local(d.first_seen_at),
            last_seen: local(d.last_seen_at),
            signed_out: d.revoked_at.map(local),
        })
        .collect())
}

/// Signs a device out: its sessions end at once, and it syncs again only after it is allowed
/// again and someone logs in on it. What it has not synced yet stays on it (admin).
pub async fn revoke(state: &AppState, user: &UserSummary, id: Uuid) -> ServiceResult<()> {
    let admin = admin(user)?;
    let now = state.clock.now();
    state.store.revoke_device(id, admin.id, now).await?;
    Ok(())
}

/// Lets a signed-out device sync again once its owner logs in on it (admin): for a lost
/// phone that was found.
pub async fn allow(state: &AppState, user: &UserSummary, id: Uuid) -> ServiceResult<()> {
    let admin = admin(user)?;
    let now = state.clock.now();
    state.store.allow_device(id, admin.id, now).await?;
    Ok(())
}
