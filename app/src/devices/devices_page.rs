use super::{list_devices, AllowDevice, DeviceRow, RevokeDevice};
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

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
