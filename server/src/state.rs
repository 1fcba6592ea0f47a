//! What every handler can reach. Its own module so that handlers and `startup` (which builds
//! the router out of the handlers) both import it without importing each other.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use service::AppState;
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub leptos: LeptosOptions,
    /// `/sw.js`, generated once from the build output at start-up.
    pub service_worker: Arc<String>,
    /// Seconds the test clock is ahead of the system clock (`--test-clock` only).
    pub clock_offset: Option<Arc<AtomicI64>>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}
