use super::today_route;
use crate::layout::LoadError;
use crate::priorities::PrioritiesCard;
use domain::links::{maps_url, tel_url};
use domain::Stop;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TodayPage() -> impl IntoView {
    let route = Resource::new(|| (), |_| today_route());
    view! {
        <Title text="Today" />
        <Suspense fallback=|| view! { <h1>"Today"</h1><p>"Loading your route…"</p> }>
            {move || Suspend::new(async move {
                match route.await {
                    Ok(route) => view! {
                        <h1>"Today" <span class="muted date">{route.date.format(" · %A %-d %B").to_string()}</span></h1>
                        {if route.stops.is_empty() {
                            view! { <p>"No stops today."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="route" aria-label="Today's stops">
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

/// One stop: who, when, where, and what matters to them, before knocking.
#[component]
fn StopCard(number: usize, stop: Stop) -> impl IntoView {
    let Stop {
        visit,
        customer,
        priorities,
    } = stop;
    let heading_id = format!("stop-{}", visit.id);
    let labelled_by = heading_id.clone();
    view! {
        <li class="stop card">
            <article aria-labelledby=labelled_by>
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
            </article>
        </li>
    }
}
