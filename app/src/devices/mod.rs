//! The admin's list of devices that sync, and signing one out (a lost or stolen phone).

use crate::error::AppError;
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One row of the devices page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: Uuid,
    pub owner: String,
    pub label: String,
    pub first_seen: String,
    pub last_seen: String,
    /// When it was signed out, in the organisation's time zone.
    pub signed_out: Option<String>,
}

/// Every device that has synced, most recently seen first (admin).
#[server(endpoint = "devices/list")]
pub async fn list_devices() -> Result<Vec<DeviceRow>, AppError> {
    ssr::list().await
}

/// Signs a device out: its sessions end at once, and it syncs again only after someone logs
/// in on it. What it has not synced yet stays on it (admin).
#[server(endpoint = "devices/revoke")]
pub async fn revoke_device(id: String) -> Result<(), AppError> {
    ssr::revoke(&id).await
}

/// Lets a signed-out device sync again, once its owner logs in on it (admin): for a lost
/// phone that was found. Until then it is refused whatever session it brings.
#[server(endpoint = "devices/allow")]
pub async fn allow_device(id: String) -> Result<(), AppError> {
    ssr::allow(&id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::DeviceRow;
    use crate::error::AppError;
    use crate::state::*;
    use domain::Role;

    const FORMAT: &str = "%Y-%m-%d %H:%M";

    pub async fn list() -> Result<Vec<DeviceRow>, AppError> {
        let state = app_state()?;
        require_role(&[Role::Admin])?;
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

    pub async fn revoke(raw_id: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let admin = require_role(&[Role::Admin])?;
        let id = parse_id(raw_id, "device")?;
        let now = state.clock.now();
        state.store.revoke_device(id, admin.id, now).await?;
        Ok(())
    }

    pub async fn allow(raw_id: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let admin = require_role(&[Role::Admin])?;
        let id = parse_id(raw_id, "device")?;
        let now = state.clock.now();
        state.store.allow_device(id, admin.id, now).await?;
        Ok(())
    }
}

#[component]
pub fn DevicesPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeDevice>::new();
    let allow = ServerAction::<AllowDevice>::new();
    let devices = Resource::new(
        move || (revoke.version().get(), allow.version().get()),
        |_| list_devices(),
    );
    view! {
        <Title text="Devices" />
        <h1>"Devices"</h1>
        <p class="muted">
            "Phones and tablets that sync. Signing one out ends its sessions at once and refuses "
            "its sync until you allow it again; whatever it has not synced stays on it until "
            "then, and its owner logs in on it again."
        </p>
        <ErrorMessage result=revoke.value() />
        <ErrorMessage result=allow.value() />
        <Transition fallback=|| view! { <p>"Loading devices…"</p> }>
            {move || Suspend::new(async move {
                match devices.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p>"No device has synced yet."</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="devices card">
                            {rows.into_iter().map(|row| view! { <DeviceLine row revoke allow /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn DeviceLine(
    row: DeviceRow,
    revoke: ServerAction<RevokeDevice>,
    allow: ServerAction<AllowDevice>,
) -> impl IntoView {
    let button_label = format!("Sign out {}'s {}", row.owner, row.label);
    let allow_label = format!("Allow {}'s {} again", row.owner, row.label);
    let status = match row.signed_out {
        Some(at) => view! {
            <span>{format!("Signed out {at}")}</span>
            <ActionForm action=allow>
                <input type="hidden" name="id" value=row.id.to_string() />
                <button type="submit" class="secondary" aria-label=allow_label>"Allow again"</button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            <ActionForm action=revoke>
                <input type="hidden" name="id" value=row.id.to_string() />
                <button type="submit" class="secondary" aria-label=button_label>"Sign out"</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li>
            <strong>{row.owner}</strong>
            <span class="muted">{format!(" · {}", row.label)}</span>
            <p class="muted">{format!("First synced {} · last synced {}", row.first_seen, row.last_seen)}</p>
            {status}
        </li>
    }
}
