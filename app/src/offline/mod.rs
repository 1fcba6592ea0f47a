//! The technician's offline app: what the phone holds, how the page learns it changed, and
//! the sync indicator.
//!
//! The data lives in the sync engine (`client` crate) in localStorage. Pages never render it
//! on the server: they start from what the server rendered, and once the wasm runs and the
//! device has data, they switch to the device's copy (`OfflineState::ready`). That keeps the
//! first client render identical to the server's, so hydration never mismatches.

#[cfg(feature = "hydrate")]
mod device;
mod status;
mod stop;

pub use status::{SyncStatusBar, UpdateBanner};
pub use stop::StopDetail;

use leptos::prelude::*;

/// The sync indicator's words, computed on the device.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatusView {
    pub summary: String,
    pub last_sync: Option<String>,
    pub stale: bool,
    pub error: Option<String>,
    /// Changes the server refused: what was attempted and why.
    pub problems: Vec<(String, String)>,
}

/// Shared by every technician screen.
#[derive(Clone, Copy)]
pub struct OfflineState {
    /// The device holds data for this user; screens can read it.
    pub ready: RwSignal<bool>,
    /// Bumped whenever the device's data changed (a local write or a sync).
    pub revision: RwSignal<u64>,
    pub status: RwSignal<Option<StatusView>>,
}

impl OfflineState {
    pub fn provide() {
        provide_context(OfflineState {
            ready: RwSignal::new(false),
            revision: RwSignal::new(0),
            status: RwSignal::new(None),
        });
    }

    pub fn get() -> OfflineState {
        expect_context::<OfflineState>()
    }

    pub fn changed(&self) {
        self.revision.update(|r| *r += 1);
    }
}

/// Starts the device's sync (once per page load): on start, when the network returns, when
/// the app comes back to the foreground, and every 45 seconds. Does nothing on the server.
pub fn start() {
    #[cfg(feature = "hydrate")]
    device::start(OfflineState::get());
}

/// Records a change on the device (cache + outbox in one write) and syncs soon after.
pub fn record(change: domain::sync::Change) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        device::record(OfflineState::get(), change)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = change;
        Err("Changes can only be recorded in the browser.".into())
    }
}

/// Reads the device's data (in the browser, once `ready`); `None` on the server.
pub fn with_cache<R>(
    read: impl FnOnce(&client::cache::Cache, &domain::UserSummary) -> R,
) -> Option<R> {
    #[cfg(feature = "hydrate")]
    {
        device::with_cache(read)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = read;
        None
    }
}

/// Now, by the phone's clock (`Utc::now` is not available in the browser's wasm).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    #[cfg(feature = "hydrate")]
    {
        device::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now()
    }
}

/// A time of day as the phone's clock shows it ("14:05").
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    #[cfg(feature = "hydrate")]
    {
        device::local_time(t)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        t.format("%H:%M UTC").to_string()
    }
}

/// Today's date on the phone (the technician is where the work is).
pub fn local_today() -> chrono::NaiveDate {
    #[cfg(feature = "hydrate")]
    {
        device::local_today()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().date_naive()
    }
}
