use super::{
    load_ledger, AddPromise, ClosePromise, CustomerLedger, LogCall, PromiseRow, SetCallbackCutoff,
};
use crate::error::AppError;
use crate::layout::{ErrorMessage, LoadError};
use domain::PromiseStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// "Promises (2 overdue)" in the navigation, for everyone. The count is loaded by the layout:
/// a resource created inside a `Suspense`'s children can leave the server's streamed page
/// unfinished for ever (leptos-rs/leptos#4866), so no component rendered inside one makes its
/// own.
#[component]
pub fn OverdueBadge(count: Resource<Result<usize, AppError>>) -> impl IntoView {
    view! {
        "Promises"
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match count.await {
                    Ok(n) if n > 0 => Some(view! { " " <span class="badge overdue-count">{format!("{n} overdue")}</span> }),
                    _ => None,
                }
            })}
        </Suspense>
    }
    .into_any()
}

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
fn PromiseLine(
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

/// What can be done to a customer's promises from their page.
#[derive(Clone, Copy)]
pub struct PromiseActions {
    pub close: ServerAction<ClosePromise>,
    pub add: ServerAction<AddPromise>,
}

impl PromiseActions {
    pub fn new() -> PromiseActions {
        PromiseActions {
            close: ServerAction::new(),
            add: ServerAction::new(),
        }
    }

    /// Changes whenever one of the actions completes, so the ledger reloads.
    pub fn versions(&self) -> (usize, usize) {
        (self.close.version().get(), self.add.version().get())
    }
}

impl Default for PromiseActions {
    fn default() -> Self {
        PromiseActions::new()
    }
}

/// The customer page's promises: open ones first, how reliably they were kept, a form to
/// make one. The page loads the ledger (see `OverdueBadge` for why not here).
#[component]
pub fn CustomerPromises(
    customer_id: Uuid,
    ledger: Resource<Result<CustomerLedger, AppError>>,
    actions: PromiseActions,
) -> impl IntoView {
    let PromiseActions { close, add } = actions;
    let data = ledger;
    let form = crate::layout::reset_on_success(add);
    view! {
        <section class="card" aria-labelledby="promises-heading">
            <h2 id="promises-heading">"Promises"</h2>
            <ErrorMessage result=close.value() />
            <Transition fallback=|| view! { <p>"Loading promises…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <LoadError error /> }.into_any(),
                        Ok(l) => {
                            let (open, closed): (Vec<_>, Vec<_>) = l.rows.into_iter()
                                .partition(|r| r.promise.status == PromiseStatus::Open);
                            let today = l.today.to_string();
                            view! {
                                <p class="muted">{l.rate.label()}</p>
                                {if open.is_empty() {
                                    view! { <p>"No open promises."</p> }.into_any()
                                } else {
                                    view! { <ul class="promise-list">
                                        {open.into_iter().map(|row| view! { <PromiseLine row close show_customer=false /> }).collect_view()}
                                    </ul> }.into_any()
                                }}
                                {(!closed.is_empty()).then(|| view! {
                                    <details>
                                        <summary>{format!("Closed promises ({})", closed.len())}</summary>
                                        <ul class="promise-list">
                                            {closed.into_iter().map(|row| view! { <PromiseLine row close show_customer=false /> }).collect_view()}
                                        </ul>
                                    </details>
                                })}
                                <details class="add-promise">
                                    <summary>"Make a promise"</summary>
                                    <ActionForm action=add node_ref=form attr:class="form">
                                        <input type="hidden" name="customer_id" value=customer_id.to_string() />
                                        <label for="promise-text">"What was promised"</label>
                                        <input id="promise-text" name="text" required maxlength="500" />
                                        <label for="promise-due">"Due on"</label>
                                        <input id="promise-due" type="date" name="due_on" min=today.clone() value=today required />
                                        <label for="promise-time">"By (time, optional)"</label>
                                        <input id="promise-time" type="time" name="due_time" />
                                        <label for="promise-owner">"Owner"</label>
                                        <select id="promise-owner" name="owner">
                                            {l.owners.into_iter().map(|u| view! {
                                                <option value=u.id.to_string()>{u.name}</option>
                                            }).collect_view()}
                                        </select>
                                        <ErrorMessage result=add.value() />
                                        <button type="submit">"Save promise"</button>
                                    </ActionForm>
                                </details>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// Logs a call; ticking "call back" makes a promise due by the end of the business day.
#[component]
pub fn LogCallForm(customer_id: Uuid, action: ServerAction<LogCall>) -> impl IntoView {
    let form = crate::layout::reset_on_success(action);
    view! {
        <section class="card" aria-labelledby="call-heading">
            <h2 id="call-heading">"Log a call"</h2>
            <ActionForm action node_ref=form attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id.to_string() />
                <label for="call-summary">"What the customer called about"</label>
                <textarea id="call-summary" name="summary" rows="2" maxlength="2000" required></textarea>
                <label class="check" for="call-back">
                    <input id="call-back" type="checkbox" name="callback" value="yes" />
                    "They asked for a call back"
                </label>
                <ErrorMessage result=action.value() />
                <button type="submit">"Log call"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
