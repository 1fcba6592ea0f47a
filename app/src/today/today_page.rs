use super::today_route;
use crate::layout::LoadError;
use crate::offline::{self, with_cache, OfflineState, StopDetail, SyncStatusBar};
use crate::priorities::PrioritiesCard;
use chrono::{Duration, NaiveDate};
use domain::links::{maps_url, tel_url};
use domain::Stop;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// Days before and after today the phone holds (the sync window).
const DAYS_BACK: i64 = 7;
const DAYS_AHEAD: i64 = 14;

/// One day of the route as the phone holds it.
#[derive(Clone, Debug, PartialEq)]
struct LocalDay {
    date: NaiveDate,
    stops: Vec<(usize, Uuid)>,
}

/// Today's stops. The server renders them from its data; once the phone holds the route
/// (after the first sync, or opened offline), the page shows and works from the phone's copy,
/// and the technician can step through any day of the window.
#[component]
pub fn TodayPage() -> impl IntoView {
    let state = OfflineState::get();
    Effect::new(|_| offline::start());
    let day = RwSignal::new(None::<NaiveDate>);
    // A memo, so the route is rebuilt only when its stops change, not on every note (which
    // would close the stop being worked).
    let local = Memo::new(move |_| -> Option<LocalDay> {
        state.revision.get();
        if !state.ready.get() {
            return None;
        }
        let date = day.get().unwrap_or_else(offline::local_today);
        with_cache(|cache, me| {
            (!cache.visits.is_empty()).then(|| {
                let stops = cache
                    .day(me.id, date)
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (i + 1, s.visit.id))
                    .collect();
                LocalDay { date, stops }
            })
        })
        .flatten()
    });
    view! {
        <Title text="Today" />
        <SyncStatusBar />
        {move || match local.get() {
            Some(local) => view! { <LocalRoute local day /> }.into_any(),
            None => view! { <ServerRoute /> }.into_any(),
        }}
    }
}

#[component]
fn LocalRoute(local: LocalDay, day: RwSignal<Option<NaiveDate>>) -> impl IntoView {
    let today = offline::local_today();
    let LocalDay { date, stops } = local;
    let title = if date == today {
        "Today".to_string()
    } else {
        date.format("%A").to_string()
    };
    let go = move |offset: i64| day.set(Some(date + Duration::days(offset)));
    let first_day = date <= today - Duration::days(DAYS_BACK);
    let last_day = date >= today + Duration::days(DAYS_AHEAD);
    let count = stops.len();
    let as_of = OfflineState::get()
        .status
        .get_untracked()
        .and_then(|s| s.last_sync)
        .map(|t| format!(", as of the sync at {t}"))
        .unwrap_or_default();
    let plural = if count == 1 { "" } else { "s" };
    let ready = format!(
        "Ready for the day: {count} stop{plural} and their customers on this phone{as_of}."
    );
    view! {
        <h1>{title} <span class="muted date">{date.format(" · %A %-d %B").to_string()}</span></h1>
        <nav class="day-nav inline" aria-label="Days">
            <button type="button" class="secondary" on:click=move |_| go(-1)
                disabled=first_day>"Previous day"</button>
            {(date != today).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| day.set(None)>"Back to today"</button>
            })}
            <button type="button" class="secondary" on:click=move |_| go(1)
                disabled=last_day>"Next day"</button>
        </nav>
        {(date == today).then(|| view! { <p class="ready muted">{ready}</p> })}
        {if stops.is_empty() {
            view! { <p>"No stops this day."</p> }.into_any()
        } else {
            view! {
                <ol class="route" aria-label="Stops">
                    <For each=move || stops.clone() key=|(_, id)| *id let:stop>
                        <LocalStopCard number=stop.0 visit_id=stop.1 />
                    </For>
                </ol>
            }.into_any()
        }}
    }
}

/// A stop from the phone's data: re-reads it whenever the phone's data changes, while the
/// "work this stop" panel stays open.
#[component]
fn LocalStopCard(number: usize, visit_id: Uuid) -> impl IntoView {
    let state = OfflineState::get();
    let stop = move || {
        state.revision.get();
        with_cache(|cache, me| {
            let visit = cache.visits.get(&visit_id)?;
            cache
                .day(me.id, visit.scheduled_on)
                .into_iter()
                .find(|s| s.visit.id == visit_id)
        })
        .flatten()
    };
    let customer_id = untrack(|| stop().map(|s| s.customer.id).unwrap_or_default());
    let heading_id = format!("stop-{visit_id}");
    view! {
        <li class="stop card">
            <article aria-labelledby=heading_id>
                {move || stop().map(|s| view! { <StopSummary number stop=s /> })}
                <p class="muted on-phone">
                    {move || match state.status.get().and_then(|s| s.last_sync) {
                        Some(t) => format!("On this phone, as of the sync at {t}"),
                        None => "On this phone, not synced yet".to_string(),
                    }}
                </p>
                <details class="work">
                    <summary>"Work this stop"</summary>
                    <StopDetail visit_id customer_id />
                </details>
            </article>
        </li>
    }
}

#[component]
fn ServerRoute() -> impl IntoView {
    let route = Resource::new(|| (), |_| today_route());
    view! {
        <Suspense fallback=|| view! { <h1>"Today"</h1><p>"Loading your route…"</p> }>
            {move || Suspend::new(async move {
                match route.await {
                    Ok(route) => view! {
                        <h1>"Today" <span class="muted date">{route.date.format(" · %A %-d %B").to_string()}</span></h1>
                        {if route.stops.is_empty() {
                            view! { <p>"No stops today."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="route" aria-label="Stops">
                                    {route.stops.into_iter().enumerate()
                                        .map(|(i, stop)| view! { <StopCard number=i + 1 stop /> })
                                        .collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(error) => view! { <h1>"Today"</h1><LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One stop as the server rendered it.
#[component]
fn StopCard(number: usize, stop: Stop) -> impl IntoView {
    let labelled_by = format!("stop-{}", stop.visit.id);
    view! {
        <li class="stop card">
            <article aria-labelledby=labelled_by>
                <StopSummary number stop />
            </article>
        </li>
    }
}

/// Who, when, where, and what matters to them, before knocking.
#[component]
fn StopSummary(number: usize, stop: Stop) -> impl IntoView {
    let Stop {
        visit,
        customer,
        priorities,
    } = stop;
    let heading_id = format!("stop-{}", visit.id);
    view! {
        <header class="stop-head">
            <h2 id=heading_id>
                <span class="stop-number">{number}". "</span>
                <a href=format!("/customers/{}", customer.id)>{customer.name.clone()}</a>
            </h2>
            <p class="muted">
                {visit.window_label()} " · "
                <span class="status">{visit.status.label()}</span>
            </p>
        </header>
        <PrioritiesCard
            title=format!("What matters to {}", customer.name)
            priorities
            level=3
        />
        <p class="address">{customer.address.clone()}</p>
        {(!customer.access_notes.is_empty()).then(|| view! {
            <p class="access"><strong>"Access: "</strong>{customer.access_notes.clone()}</p>
        })}
        <p class="stop-links">
            <a class="button secondary" href=maps_url(&customer.address) target="_blank" rel="noopener"
                aria-label=format!("Directions to {}", customer.name)>"Directions"</a>
            {(!customer.phone.is_empty()).then(|| view! {
                <a class="button secondary" href=tel_url(&customer.phone)
                    aria-label=format!("Call {}", customer.name)>"Call"</a>
            })}
        </p>
    }
}
