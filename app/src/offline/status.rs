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
