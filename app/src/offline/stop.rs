//! One stop, worked from the device's data: status, notes, priorities heard, promises.

use super::{record, with_cache, OfflineState};
use chrono::{Duration, NaiveDate};
use domain::sync::{
    AcknowledgePriorities, AddPriority, AddPromise, AddVisitNote, AdvanceVisit, Change,
    CustomerField, EditCustomer, KeepPromise, Promise, VisitNote,
};
use domain::{new_id, Visit, VisitStatus};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use uuid::Uuid;

struct StopData {
    visit: Visit,
    promises: Vec<Promise>,
    notes: Vec<VisitNote>,
}

fn load(visit_id: Uuid) -> Option<StopData> {
    with_cache(|cache, _| {
        let visit = cache.visits.get(&visit_id)?.clone();
        Some(StopData {
            promises: cache.open_promises(visit.customer_id),
            notes: cache.notes_of(visit_id),
            visit,
        })
    })
    .flatten()
}

#[component]
pub fn StopDetail(visit_id: Uuid, customer_id: Uuid) -> impl IntoView {
    let state = OfflineState::get();
    let error = RwSignal::new(None::<String>);
    let act = move |change: Change| match record(change) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e)),
    };
    let data = move || {
        state.revision.get();
        load(visit_id)
    };
    view! {
        <div class="stop-detail">
            {move || data().map(|d| view! {
                <PromiseList promises=d.promises act />
                <StatusButtons visit=d.visit.clone() act />
                <NoteList notes=d.notes />
            })}
            <p class="error" role="alert">{move || error.get()}</p>
            <NoteForm visit_id act />
            <PriorityForm customer_id act />
            <PromiseForm customer_id visit_id act />
            <AccessNotesForm customer_id act />
        </div>
    }
}

#[component]
fn PromiseList(
    promises: Vec<Promise>,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <section aria-label="Open promises" class="promises">
            <h4>"Open promises"</h4>
            {if promises.is_empty() {
                view! { <p class="muted">"None open."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {promises.into_iter().map(|p| {
                            let label = format!("Mark kept: {}", p.text);
                            let id = p.id;
                            view! {
                                <li>
                                    <span>{p.text.clone()} <span class="muted">{format!(" · due {}", p.due_on.format("%-d %b"))}</span></span>
                                    <button type="button" class="secondary" aria-label=label
                                        on:click=move |_| act(Change::KeepPromise(KeepPromise { promise_id: id, at: super::now() }))>
                                        "Kept"
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn StatusButtons(
    visit: Visit,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = visit.id;
    let advance = move |status| {
        act(Change::AdvanceVisit(AdvanceVisit {
            visit_id: id,
            status,
            at: super::now(),
            skip_reason: None,
        }))
    };
    let status = visit.status;
    let next: Vec<(VisitStatus, &str)> = match status {
        VisitStatus::Scheduled => vec![
            (VisitStatus::EnRoute, "On my way"),
            (VisitStatus::OnSite, "Arrived"),
        ],
        VisitStatus::EnRoute => vec![(VisitStatus::OnSite, "Arrived")],
        VisitStatus::OnSite => vec![(VisitStatus::Done, "Done")],
        VisitStatus::Done | VisitStatus::Skipped => vec![],
    };
    let reason = NodeRef::<html::Input>::new();
    let skip = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = reason.get().map(|i| i.value()).unwrap_or_default();
        act(Change::AdvanceVisit(AdvanceVisit {
            visit_id: id,
            status: VisitStatus::Skipped,
            at: super::now(),
            skip_reason: Some(text),
        }));
    };
    let arrived = visit
        .arrived_at
        .map(|t| format!(" · arrived {}", super::local_time(t)));
    let acknowledged = visit.priorities_acknowledged_at.is_some();
    let acknowledge = move |_| {
        act(Change::AcknowledgePriorities(AcknowledgePriorities {
            visit_id: id,
            at: super::now(),
        }))
    };
    view! {
        <section aria-label="Visit status" class="visit-status">
            {if acknowledged {
                view! { <p class="muted">"✓ Priorities read before the visit"</p> }.into_any()
            } else {
                view! {
                    <button type="button" class="secondary" on:click=acknowledge>
                        "I've read the priorities"
                    </button>
                }.into_any()
            }}
            <p><strong>"Status: " {status.label()}</strong> {arrived}</p>
            <div class="inline">
                {next.into_iter().map(|(s, label)| view! {
                    <button type="button" on:click=move |_| advance(s)>{label}</button>
                }).collect_view()}
            </div>
            {(!status.is_final()).then(|| view! {
                <details>
                    <summary>"Skip this visit"</summary>
                    <form class="form" on:submit=skip>
                        <label for=format!("skip-{id}")>"Reason for skipping"</label>
                        <input id=format!("skip-{id}") node_ref=reason required />
                        <button type="submit" class="secondary">"Skip visit"</button>
                    </form>
                </details>
            })}
        </section>
    }
}

#[component]
fn NoteList(notes: Vec<VisitNote>) -> impl IntoView {
    view! {
        <section aria-label="Visit notes" class="notes">
            <h4>"Notes"</h4>
            <ul>
                {notes.into_iter().map(|n| view! {
                    <li>
                        <p>{n.body}</p>
                        <p class="muted">{if n.version == 0 { "Not synced yet" } else { "Synced" }}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A one-field form: records the change built from its text, then clears itself.
#[component]
fn TextChangeForm(
    /// Unique on the page: several stops are open at once.
    field_id: String,
    label: &'static str,
    button: &'static str,
    make: impl Fn(String) -> Change + Send + Sync + 'static,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let field = NodeRef::<html::Textarea>::new();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(input) = field.get() else { return };
        act(make(input.value()));
        input.set_value("");
    };
    view! {
        <form class="form" on:submit=submit>
            <label for=field_id.clone()>{label}</label>
            <textarea id=field_id node_ref=field rows="2" required></textarea>
            <button type="submit">{button}</button>
        </form>
    }
}

#[component]
fn NoteForm(visit_id: Uuid, act: impl Fn(Change) + Copy + Send + Sync + 'static) -> impl IntoView {
    let make = move |body| {
        Change::AddVisitNote(AddVisitNote {
            note_id: new_id(),
            visit_id,
            body,
        })
    };
    view! {
        <TextChangeForm field_id=format!("note-{visit_id}") label="Visit note" button="Save note" make act />
    }
}

#[component]
fn PriorityForm(
    customer_id: Uuid,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let make = move |text| {
        Change::AddPriority(AddPriority {
            priority_id: new_id(),
            customer_id,
            text,
            pinned: false,
        })
    };
    view! {
        <TextChangeForm
            field_id=format!("heard-{customer_id}")
            label="A priority the customer mentioned"
            button="Add priority"
            make
            act
        />
    }
}

/// Corrects the customer's access notes (a new gate code, say), on the copy the phone holds.
#[component]
fn AccessNotesForm(
    customer_id: Uuid,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let make = move |value| {
        Change::EditCustomer(EditCustomer {
            customer_id,
            field: CustomerField::AccessNotes,
            value,
            base_version: with_cache(|cache, _| {
                cache.customers.get(&customer_id).map(|c| c.version)
            })
            .flatten()
            .unwrap_or(0),
        })
    };
    view! {
        <TextChangeForm
            field_id=format!("access-{customer_id}")
            label="New access notes (gate code, parking, pets)"
            button="Update access notes"
            make
            act
        />
    }
}

#[component]
fn PromiseForm(
    customer_id: Uuid,
    visit_id: Uuid,
    act: impl Fn(Change) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let text = NodeRef::<html::Textarea>::new();
    let due = NodeRef::<html::Input>::new();
    let default_due = (super::local_today() + Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (Some(t), Some(d)) = (text.get(), due.get()) else {
            return;
        };
        let Ok(due_on) = NaiveDate::parse_from_str(&d.value(), "%Y-%m-%d") else {
            return;
        };
        act(Change::AddPromise(AddPromise {
            promise_id: new_id(),
            customer_id,
            visit_id: Some(visit_id),
            text: t.value(),
            due_on,
        }));
        t.set_value("");
    };
    let (text_id, due_id) = (format!("promise-{visit_id}"), format!("due-{visit_id}"));
    view! {
        <form class="form" on:submit=submit>
            <label for=text_id.clone()>"Promise to the customer"</label>
            <textarea id=text_id node_ref=text rows="2" required></textarea>
            <label for=due_id.clone()>"Due"</label>
            <input id=due_id type="date" node_ref=due value=default_due required />
            <button type="submit">"Add promise"</button>
        </form>
    }
}
