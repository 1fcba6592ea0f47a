use super::list_customers;
use crate::layout::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CustomerListPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let customers = Resource::new(search, list_customers);
    view! {
        <Title text="Customers" />
        <div class="page-head">
            <h1>"Customers"</h1>
        </div>
        <Form method="GET" action="" attr:class="search" attr:role="search">
            <label for="customer-search">"Search customers"</label>
            <div class="inline">
                <input id="customer-search" type="search" name="q" value=search />
                <button type="submit">"Search"</button>
            </div>
        </Form>
        <Transition fallback=|| view! { <p>"Loading customers…"</p> }>
            {move || Suspend::new(async move {
                match customers.await {
                    Ok(list) if list.is_empty() => view! { <p>"No customers match."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="customer-list" aria-label="Customers">
                            {list.into_iter().map(|c| view! {
                                <li class="card">
                                    <a class="customer-name" href=format!("/customers/{}", c.id)>{c.name}</a>
                                    <span class="muted">{c.address}</span>
                                    {c.top_priority.map(|p| view! { <q class="top-priority">{p}</q> })}
                                    <span class="muted">
                                        {c.assigned_technician_name.map(|n| format!("Technician: {n}"))
                                            .unwrap_or_else(|| "No technician assigned".into())}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
