use super::OfflineState;
use leptos::prelude::*;

/// Always visible on technician screens: "All synced" or "N changes waiting", when the last
/// sync happened, a warning when that is long ago, and what the server refused.
#[component]
pub fn SyncStatusBar() -> impl IntoView {
    let state = OfflineState::get();
    move || {
        state.status.get().map(|s| {
            let waiting = s.summary.ends_with("waiting");
            let last = s.last_sync.clone().map(|t| format!("Last sync {t}")).unwrap_or_else(|| "Not synced yet".into());
            let problems = s.problems.clone();
            view! {
                <div class="sync-bar" class:waiting=waiting>
                    <p role="status" aria-live="polite">
                        <strong>{s.summary.clone()}</strong> " · " {last}
                    </p>
                    {s.stale.then(|| view! {
                        <p class="warning">"Your data may be out of date: the last sync was hours ago."</p>
                    })}
                    {s.error.clone().filter(|_| waiting).map(|e| view! { <p class="muted">"Will retry: " {e}</p> })}
                    {(!problems.is_empty()).then(|| view! {
                        <details class="problems">
                            <summary>{format!("{} change(s) the server refused", problems.len())}</summary>
                            <ul>
                                {problems.into_iter().map(|(what, why)| view! { <li>{what} " — " {why}</li> }).collect_view()}
                            </ul>
                        </details>
                    })}
                </div>
            }
        })
    }
}

/// "A new version is ready": shown when a new service worker waits behind the open page. The
/// page keeps working until the person chooses; nothing typed is lost either way, because
/// every change is already saved on the phone.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let waiting = js_sys::Reflect::get(&window(), &"rapportWaitingWorker".into())
            .map(|w| !w.is_undefined() && !w.is_null())
            .unwrap_or(false);
        if waiting {
            ready.set(true);
        }
        let handle = window_event_listener_untyped("rapport-update", move |_| ready.set(true));
        on_cleanup(move || handle.remove());
    });
    let apply = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Ok(f) = js_sys::Reflect::get(&window(), &"rapportApplyUpdate".into()) {
                if let Ok(f) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f) {
                    let _ = f.call0(&wasm_bindgen::JsValue::NULL);
                }
            }
        }
    };
    move || {
        ready.get().then(|| {
            view! {
                <aside class="update-banner" aria-label="New version">
                    <span>"A new version of Rapport is ready."</span>
                    <button type="button" on:click=apply>"Reload to update"</button>
                </aside>
            }
        })
    }
}
