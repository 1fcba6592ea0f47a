use super::{load_ledger, ClosePromise, PromiseRow, SetCallbackCutoff};
use crate::layout::{ErrorMessage, LoadError};
use domain::PromiseStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn PromisesPage() -> impl IntoView {
    let close = ServerAction::<ClosePromise>::new();
    let cutoff = ServerAction::<SetCallbackCutoff>::new();
    let data = Resource::new(
        move || (close.version().get(), cutoff.version().get()),
        |_| load_ledger(),
    );
    view! {
        <Title text="Promises" />
        <h1>"Promises"</h1>
        <Transition fallback=|| view! { <p>"Loading promises…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(l) => view! {
                        <ErrorMessage result=close.value() />
                        <section class="card overdue" aria-labelledby="overdue-heading">
                            <h2 id="overdue-heading">"Overdue"</h2>
                            <PromiseTable rows=l.overdue close empty="Nothing overdue. Every promise is on time." />
                        </section>
                        <section class="card" aria-labelledby="upcoming-heading">
                            <h2 id="upcoming-heading">"Coming due"</h2>
                            <PromiseTable rows=l.upcoming close empty="No open promises." />
                        </section>
                        <section class="card" aria-labelledby="rates-heading">
                            <h2 id="rates-heading">"Kept on time, by owner"</h2>
                            <ul class="plain">
                                {l.rates.into_iter().map(|(name, rate)| view! {
                                    <li>{format!("{name}: {}", rate.label())}</li>
                                }).collect_view()}
                            </ul>
                        </section>
                        {l.is_admin.then(|| view! {
                            <section class="card" aria-labelledby="cutoff-heading">
                                <h2 id="cutoff-heading">"Callbacks"</h2>
                                <ActionForm action=cutoff attr:class="form">
                                    <label for="cutoff">"Callbacks are due the same business day by"</label>
                                    <input id="cutoff" type="time" name="cutoff" value=l.callback_cutoff.clone() required />
                                    <ErrorMessage result=cutoff.value() />
                                    <button type="submit">"Save callback deadline"</button>
                                </ActionForm>
                            </section>
                        })}
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn PromiseTable(
    rows: Vec<PromiseRow>,
    close: ServerAction<ClosePromise>,
    empty: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="promise-list">
            {rows.into_iter().map(|row| view! { <PromiseLine row close show_customer=true /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub(super) fn PromiseLine(
    row: PromiseRow,
    close: ServerAction<ClosePromise>,
    show_customer: bool,
) -> impl IntoView {
    let p = row.promise.clone();
    let open = p.status == PromiseStatus::Open;
    let what = p.text.clone();
    let state = match p.status {
        PromiseStatus::Open if row.overdue => format!("Overdue — {}", p.due_label()),
        PromiseStatus::Open => p.due_label(),
        PromiseStatus::Kept => format!("Kept ({})", p.due_label()),
        PromiseStatus::Dropped => format!("Dropped: {}", p.drop_reason.clone().unwrap_or_default()),
    };
    view! {
        <li class="promise" class:is-overdue=row.overdue>
            <p class="promise-text">
                {show_customer.then(|| view! {
                    <a href=format!("/customers/{}", p.customer_id)>{row.customer_name.clone()}</a> ": "
                })}
                {what.clone()}
            </p>
            <p class="muted">
                {format!("{} · owner {} · made {}", state, row.owner_name, p.origin.label())}
            </p>
            {open.then(|| view! { <CloseButtons id=p.id what=what.clone() close /> })}
        </li>
    }
    .into_any()
}

#[component]
fn CloseButtons(id: Uuid, what: String, close: ServerAction<ClosePromise>) -> impl IntoView {
    let (reason_id, reason_for) = (format!("drop-{id}"), format!("drop-{id}"));
    let (kept_label, drop_label) = (format!("Kept: {what}"), format!("Drop promise: {what}"));
    view! {
        <div class="inline promise-actions">
            <ActionForm action=close>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="outcome" value="kept" />
                <button type="submit" aria-label=kept_label>"Kept"</button>
            </ActionForm>
            <details>
                <summary>"Drop…"</summary>
                <ActionForm action=close attr:class="form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="outcome" value="dropped" />
                    <label for=reason_for>"Why is it dropped?"</label>
                    <input id=reason_id name="reason" required maxlength="500" />
                    <button type="submit" class="secondary" aria-label=drop_label>"Drop promise"</button>
                </ActionForm>
            </details>
        </div>
    }
    .into_any()
}
