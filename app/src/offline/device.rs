//! The browser half: localStorage, fetch, and when to sync. Built only with `hydrate`.
//!
//! No engine is kept in memory between steps: each step loads the saved state, changes it and
//! saves it before yielding, so two tabs never overwrite each other's changes, and only one
//! tab at a time (holding a short lease in localStorage) talks to the server.

use super::{OfflineState, StatusView};
use chrono::{DateTime, NaiveDate, Utc};
use client::engine::Engine;
use client::storage::BrowserStorage;
use client::{Storage, TransportError};
use domain::sync::{Change, PullRequest, PullResponse, PushRequest, PushResponse};
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;

const LEASE_KEY: &str = "rapport.sync.lease";
/// Short, and renewed before every request: a tab that dies mid-sync blocks the others only
/// briefly. Two tabs overlapping would still be safe (the server applies each mutation once,
/// and each local step is one load-change-save), just wasteful.
const LEASE_MS: f64 = 5_000.0;
const PERIOD: Duration = Duration::from_secs(45);
const AFTER_WRITE: Duration = Duration::from_millis(1500);

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
    static SYNCING: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static TAB_ID: String = domain::new_id().to_string();
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Defined in the page shell: keeps a copy of a page for opening offline.
    #[wasm_bindgen(js_name = rapportKeepPage)]
    fn keep_page(path: &str);
}

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The phone's own calendar date and clock, from JavaScript's `Date` (which knows the phone's
/// time zone).
pub fn local_today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_else(|| now().date_naive())
}

pub fn local_time(t: DateTime<Utc>) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

fn engine() -> Option<Engine<BrowserStorage>> {
    Engine::open_saved(BrowserStorage).ok().flatten()
}

pub fn with_cache<R>(
    read: impl FnOnce(&client::cache::Cache, &domain::UserSummary) -> R,
) -> Option<R> {
    engine().map(|e| read(e.cache(), &e.state().user))
}

pub fn record(state: OfflineState, change: Change) -> Result<(), String> {
    let mut engine =
        engine().ok_or("This device has no data yet: connect once to load your route.")?;
    engine.record(change, now()).map_err(|e| e.to_string())?;
    publish(state, &engine);
    set_timeout(move || sync_soon(state), AFTER_WRITE);
    Ok(())
}

pub fn start(state: OfflineState) {
    if STARTED.replace(true) {
        return;
    }
    if let Some(engine) = engine() {
        publish(state, &engine);
    }
    leptos::task::spawn_local(async move {
        // Online, the server says who is signed in; offline, the saved data says it.
        if let Ok(Some(user)) = crate::auth::who_am_i().await {
            if let Ok(engine) = Engine::open(BrowserStorage, user) {
                publish(state, &engine);
            }
        }
        sync(state).await;
    });
    let _ = window_event_listener(leptos::ev::online, move |_| sync_soon(state));
    let _ = window_event_listener(leptos::ev::focus, move |_| sync_soon(state));
    // A tab closed mid-sync gives the lease back rather than making the next one wait.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| release_lease());
    let _ = set_interval_with_handle(move || sync_soon(state), PERIOD);
}

fn sync_soon(state: OfflineState) {
    leptos::task::spawn_local(sync(state));
}

/// Shows what the device holds now.
fn publish(state: OfflineState, engine: &Engine<BrowserStorage>) {
    let s = engine.status(now());
    let problems = engine
        .state()
        .problems
        .iter()
        .map(|p| (p.mutation.change.describe(), p.reason.clone()))
        .collect();
    state.status.set(Some(StatusView {
        summary: s.summary(),
        last_sync: s.last_sync_at.map(local_time),
        stale: s.stale && s.last_sync_at.is_some(),
        error: s.last_error,
        problems,
    }));
    state.ready.set(true);
    state.changed();
}

/// Takes the sync lease unless another tab holds it; if one does, says how long until it
/// runs out.
fn take_lease() -> Result<(), f64> {
    let me = TAB_ID.with(|id| id.clone());
    let now_ms = js_sys::Date::now();
    let storage = BrowserStorage;
    if let Ok(Some(lease)) = storage.load(LEASE_KEY) {
        if let Some((holder, until)) = lease.split_once('@') {
            let until: f64 = until.parse().unwrap_or(0.0);
            if holder != me && until > now_ms {
                return Err(until - now_ms);
            }
        }
    }
    let _ = storage.save(LEASE_KEY, &format!("{me}@{}", now_ms + LEASE_MS));
    Ok(())
}

/// Gives the lease back at once, so another tab (or this app reopened) can sync right away;
/// a tab that dies mid-sync leaves a lease that simply runs out.
fn release_lease() {
    let me = TAB_ID.with(|id| id.clone());
    let held = matches!(BrowserStorage.load(LEASE_KEY), Ok(Some(l)) if l.starts_with(&me));
    if held {
        let _ = BrowserStorage.save(LEASE_KEY, &format!("{me}@0"));
    }
}

async fn sync(state: OfflineState) {
    if engine().is_none() || SYNCING.replace(true) {
        return;
    }
    let lease = take_lease();
    if let Err(wait_ms) = lease {
        // Another tab is syncing; look again when its lease runs out.
        set_timeout(
            move || sync_soon(state),
            Duration::from_millis(wait_ms as u64 + 200),
        );
    }
    if lease.is_ok() {
        let result = exchange(state).await;
        if let Some(mut engine) = engine() {
            engine.finish(now(), result.as_ref().err());
            publish(state, &engine);
        }
        release_lease();
        match result {
            Ok(()) => {
                FAILURES.set(0);
                keep_page("/today");
            }
            // Retry with backoff, besides the online/focus/periodic triggers.
            Err(_) => {
                let failures = FAILURES.get() + 1;
                FAILURES.set(failures);
                set_timeout(
                    move || sync_soon(state),
                    client::engine::retry_delay(failures),
                );
            }
        }
    }
    SYNCING.set(false);
}

/// Push everything waiting, then pull until up to date, one saved step at a time.
async fn exchange(state: OfflineState) -> Result<(), TransportError> {
    while let Some(request) = engine().and_then(|e| e.next_push()) {
        let _ = take_lease();
        let response = push(&request).await?;
        if let Some(mut engine) = engine() {
            engine.settle(&response);
            publish(state, &engine);
        }
    }
    loop {
        let Some(request) = engine().map(|e| e.pull_request()) else {
            return Ok(());
        };
        let _ = take_lease();
        let page = pull(&request).await?;
        let Some(mut engine) = engine() else {
            return Ok(());
        };
        let more = engine.apply_page(&page);
        publish(state, &engine);
        if !more {
            return Ok(());
        }
    }
}

async fn push(request: &PushRequest) -> Result<PushResponse, TransportError> {
    let req = gloo_net::http::Request::post("/api/v1/sync/push")
        .json(request)
        .map_err(|e| TransportError::Server {
            status: 0,
            message: e.to_string(),
        })?;
    answer(req.send().await).await
}

async fn pull(request: &PullRequest) -> Result<PullResponse, TransportError> {
    let url = format!("/api/v1/sync/pull?{}", request.query());
    answer(gloo_net::http::Request::get(&url).send().await).await
}

async fn answer<T: serde::de::DeserializeOwned>(
    sent: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, TransportError> {
    let res = sent.map_err(|_| TransportError::Offline)?;
    match res.status() {
        200 => res.json().await.map_err(|e| TransportError::Server {
            status: 200,
            message: format!("the answer could not be read ({e})"),
        }),
        status => Err(client::server_error(
            status,
            &res.text().await.unwrap_or_default(),
        )),
    }
}
