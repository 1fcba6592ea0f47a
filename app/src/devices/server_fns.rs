//! Adapters over `service::devices`, where the rules are.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{parse_id, signed_in};
use domain::views::DeviceRow;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use service::devices;

/// Every device that has synced, most recently seen first (admin).
#[server(endpoint = "devices/list")]
pub async fn list_devices() -> Result<Vec<DeviceRow>, AppError> {
    let (state, user) = signed_in()?;
    Ok(devices::list(&state, &user).await?)
}

/// Signs a device out: its sessions end at once, and it syncs again only after someone logs
/// in on it. What it has not synced yet stays on it (admin).
#[server(endpoint = "devices/revoke")]
pub async fn revoke_device(id: String) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let id = parse_id(&id, "device")?;
    Ok(devices::revoke(&state, &user, id).await?)
}

/// Lets a signed-out device sync again, once its owner logs in on it (admin): for a lost
/// phone that was found. Until then it is refused whatever session it brings.
#[server(endpoint = "devices/allow")]
pub async fn allow_device(id: String) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let id = parse_id(&id, "device")?;
    Ok(devices::allow(&state, &user, id).await?)
}
