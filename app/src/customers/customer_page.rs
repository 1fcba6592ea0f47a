use super::{
    get_customer, AssignTechnicians, CustomerDetail, SettleConflict, TimelineEntry, VisitLine,
};
use crate::layout::{ErrorMessage, LoadError};
use crate::plans::{AddVisit, OneOffVisitForm, PlansCard, SavePlan};
use crate::priorities::{
    AddPriority, AddPriorityForm, EditPriority, PrioritiesCard, PriorityActions, RetirePriority,
};
use crate::promises::{
    load_customer_ledger, CustomerPromises, LogCall, LogCallForm, PromiseActions,
};
use domain::links::{maps_url, tel_url};
use domain::UserSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn CustomerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let actions = PriorityActions {
        add: ServerAction::<AddPriority>::new(),
        edit: ServerAction::<EditPriority>::new(),
        retire: ServerAction::<RetirePriority>::new(),
    };
    let assign = ServerAction::<AssignTechnicians>::new();
    let office = OfficeActions {
        plan: ServerAction::<SavePlan>::new(),
        visit: ServerAction::<AddVisit>::new(),
        call: ServerAction::<LogCall>::new(),
        settle: ServerAction::<SettleConflict>::new(),
    };
    let promises = PromiseActions::new();
    // Loaded here, not by the promises card inside the Transition: see OverdueBadge.
    let ledger = Resource::new(
        move || (id(), promises.versions(), office.call.version().get()),
        |(id, ..)| load_customer_ledger(id),
    );
    let detail = Resource::new(
        move || {
            (
                id(),
                actions.versions(),
                assign.version().get(),
                office.plan.version().get(),
                office.visit.version().get(),
                office.call.version().get(),
                office.settle.version().get(),
            )
        },
        |(id, ..)| get_customer(id),
    );
    view! {
        <Transition fallback=|| view! { <p>"Loading customer…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <CustomerView detail actions assign office promises ledger /> }.into_any(),
                    Err(error) => view! { <Title text="Customer" /><LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The office's actions on a customer page; each reloads the page when it completes.
#[derive(Clone, Copy)]
struct OfficeActions {
    plan: ServerAction<SavePlan>,
    visit: ServerAction<AddVisit>,
    call: ServerAction<LogCall>,
    settle: ServerAction<SettleConflict>,
}

#[component]
fn CustomerView(
    detail: CustomerDetail,
    actions: PriorityActions,
    assign: ServerAction<AssignTechnicians>,
    office: OfficeActions,
    promises: PromiseActions,
    ledger: Resource<Result<crate::promises::CustomerLedger, crate::error::AppError>>,
) -> impl IntoView {
    let c = detail.customer.clone();
    view! {
        <Title text=c.name.clone() />
        <div class="page-head">
            <h1>{c.name.clone()}</h1>
            {detail.can_manage.then(|| view! {
                <a class="button secondary" href=format!("/customers/{}/edit", c.id)>"Edit customer"</a>
            })}
        </div>
        <PrioritiesCard
            title="Priorities"
            priorities=detail.priorities.clone()
            actions
        />
        <ConflictList
            customer_id=c.id
            conflicts=detail.conflicts.clone()
            settle=detail.can_manage.then_some(office.settle)
        />
        <AddPriorityForm customer_id=c.id action=actions.add />
        <section class="card details" aria-labelledby="details-heading">
            <h2 id="details-heading">"Details"</h2>
            <dl>
                {(!c.contact_name.is_empty()).then(|| view! { <dt>"Contact"</dt><dd>{c.contact_name.clone()}</dd> })}
                <dt>"Address"</dt>
                <dd>
                    {c.address.clone()} " "
                    {(!c.address.is_empty()).then(|| view! {
                        <a href=maps_url(&c.address) target="_blank" rel="noopener">"Open in maps"</a>
                    })}
                </dd>
                <dt>"Phone"</dt>
                <dd>
                    {if c.phone.is_empty() {
                        view! { "—" }.into_any()
                    } else {
                        view! { <a href=tel_url(&c.phone)>{c.phone.clone()}</a> }.into_any()
                    }}
                </dd>
                {(!c.email.is_empty()).then(|| view! { <dt>"Email"</dt><dd>{c.email.clone()}</dd> })}
                {(!c.access_notes.is_empty()).then(|| view! { <dt>"Access notes"</dt><dd>{c.access_notes.clone()}</dd> })}
                <dt>"Assigned technician"</dt>
                <dd>{detail.assigned_name.clone().unwrap_or_else(|| "None yet".into())}</dd>
                <dt>"Backup technician"</dt>
                <dd>{detail.backup_name.clone().unwrap_or_else(|| "None".into())}</dd>
            </dl>
        </section>
        {detail.can_manage.then(|| view! {
            <AssignForm
                customer_id=c.id
                technicians=detail.technicians.clone()
                assigned=c.assigned_technician_id
                backup=c.backup_technician_id
                action=assign
            />
        })}
        <section class="card" aria-labelledby="continuity-heading">
            <h2 id="continuity-heading">"Continuity"</h2>
            <p>{detail.continuity.clone()}</p>
            {(!detail.breaks.is_empty()).then(|| view! {
                <h3>"Continuity breaks"</h3>
                <ul class="plain">{detail.breaks.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
            })}
        </section>
        <CustomerPromises customer_id=c.id ledger actions=promises />
        {detail.can_manage.then(|| view! {
            <LogCallForm customer_id=c.id action=office.call />
            <PlansCard
                customer_id=c.id
                plans=detail.plans.clone()
                technicians=detail.technicians.clone()
                assigned=c.assigned_technician_id
                today=detail.today
                action=office.plan
            />
            <OneOffVisitForm customer_id=c.id today=detail.today action=office.visit />
        })}
        <VisitList visits=detail.visits.clone() />
        <NoteList notes=detail.notes.clone() />
        <Timeline title="Timeline" id="timeline" entries=detail.timeline.clone() />
        {(!detail.history.is_empty()).then(|| view! {
            <details class="card">
                <summary>"Change history (admin)"</summary>
                <Timeline title="Every recorded change" id="history" entries=detail.history.clone() />
            </details>
        })}
    }
    .into_any()
}

#[component]
fn Timeline(title: &'static str, id: &'static str, entries: Vec<TimelineEntry>) -> impl IntoView {
    let heading = format!("{id}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            {if entries.is_empty() {
                view! { <p class="muted">"Nothing yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="timeline">
                        {entries.into_iter().map(|e| view! {
                            <li>
                                <span class="muted">{e.when}</span> " "
                                <span class="badge kind">{e.kind}</span> " "
                                {e.text}
                                {(!e.who.is_empty()).then(|| view! { <span class="muted">{format!(" — {}", e.who)}</span> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// Both values of every unsettled conflicting edit, so nothing a technician wrote is lost,
/// and (for the office) a choice of which one stays.
#[component]
fn ConflictList(
    customer_id: Uuid,
    conflicts: Vec<domain::FieldConflict>,
    settle: Option<ServerAction<SettleConflict>>,
) -> impl IntoView {
    (!conflicts.is_empty()).then(|| {
        view! {
            <section class="card conflicts" aria-labelledby="conflicts-heading">
                <h2 id="conflicts-heading">"Conflicting edits"</h2>
                {settle.map(|a| view! { <ErrorMessage result=a.value() /> })}
                <ul>
                    {conflicts.into_iter().map(|c| {
                        let field = c.field.replace('_', " ");
                        let keep_label = format!("Keep the current {field}");
                        let take_label = format!("Use {}'s {field}", c.user_name);
                        let text = format!(
                            "{field}: the office has \"{}\"; {} wrote \"{}\" on an older copy ({}).",
                            c.server_value,
                            c.user_name,
                            c.device_value,
                            c.at.format("%-d %b %H:%M UTC"),
                        );
                        view! {
                            <li>
                                {text}
                                {settle.map(|action| {
                                    let choice = move |keep: &'static str, label: String| view! {
                                        <ActionForm action>
                                            <input type="hidden" name="customer_id" value=customer_id.to_string() />
                                            <input type="hidden" name="conflict_id" value=c.id.to_string() />
                                            <input type="hidden" name="keep" value=keep />
                                            <button type="submit" class="secondary">{label}</button>
                                        </ActionForm>
                                    };
                                    view! {
                                        <div class="inline">
                                            {choice("current", keep_label.clone())}
                                            {choice("phone", take_label.clone())}
                                        </div>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn NoteList(notes: Vec<(domain::sync::VisitNote, String)>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Visit notes"</h2>
            {if notes.is_empty() {
                view! { <p>"No notes yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {notes.into_iter().map(|(n, author)| view! {
                            <li>
                                <p>{n.body}</p>
                                <p class="muted">{format!("{author}, {}", n.written_at.format("%-d %b %Y %H:%M UTC"))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn AssignForm(
    customer_id: Uuid,
    technicians: Vec<UserSummary>,
    assigned: Option<Uuid>,
    backup: Option<Uuid>,
    action: ServerAction<AssignTechnicians>,
) -> impl IntoView {
    let options = move |selected: Option<Uuid>, none: &'static str| {
        let none_selected = selected.is_none();
        view! {
            <option value="" selected=none_selected>{none}</option>
            {technicians.iter().map(|t| view! {
                <option value=t.id.to_string() selected=selected == Some(t.id)>{t.name.clone()}</option>
            }).collect_view()}
        }
    };
    view! {
        <section class="card" aria-labelledby="assign-heading">
            <h2 id="assign-heading">"Technicians"</h2>
            <p class="muted">"The assigned technician is the face this customer knows. Keep them on every visit."</p>
            <ActionForm action attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id.to_string() />
                <label for="assigned">"Assigned technician"</label>
                <select id="assigned" name="assigned">{options(assigned, "Nobody yet")}</select>
                <label for="backup">"Backup technician"</label>
                <select id="backup" name="backup">{options(backup, "No backup")}</select>
                <ErrorMessage result=action.value() />
                <button type="submit">"Save technicians"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn VisitList(visits: Vec<VisitLine>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="visits-heading">
            <h2 id="visits-heading">"Visits this month and next"</h2>
            {if visits.is_empty() {
                view! { <p>"No visits scheduled."</p> }.into_any()
            } else {
                view! {
                    <ul class="visit-list">
                        {visits.into_iter().map(|VisitLine { visit: v, technician, times }| view! {
                            <li>
                                <span>{v.scheduled_on.format("%a %-d %b").to_string()}</span>
                                <span>{v.window_label()}</span>
                                <span>{technician.unwrap_or_else(|| "Unassigned".into())}</span>
                                <span class=format!("status status-{:?}", v.status).to_lowercase()>
                                    {v.status.label()}
                                    {(!times.is_empty()).then(|| view! { <span class="muted times">" · " {times}</span> })}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
