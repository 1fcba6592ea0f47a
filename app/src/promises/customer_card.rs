use super::promises_page::PromiseLine;
use super::{AddPromise, ClosePromise, CustomerLedger, LogCall};
use crate::error::AppError;
use crate::layout::{ErrorMessage, LoadError};
use domain::PromiseStatus;
use leptos::prelude::*;
use uuid::Uuid;

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
