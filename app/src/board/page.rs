use super::{board_day, Board, BoardStop, CheckMove, Lane, MoveCheck, MoveVisit};
use crate::layout::{ErrorMessage, LoadError};
use chrono::Duration;
use domain::continuity::BreakReason;
use domain::{UserSummary, VisitStatus};
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BoardPage() -> impl IntoView {
    let query = use_query_map();
    let date = move || query.read().get("date").unwrap_or_default();
    // One move action for the page: every completed move reloads the board.
    let mover = ServerAction::<MoveVisit>::new();
    let board = Resource::new(
        move || (date(), mover.version().get()),
        |(d, _)| board_day(d),
    );
    view! {
        <Title text="Day board" />
        <Transition fallback=|| view! { <p>"Loading the day board…"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <BoardView board mover /> }.into_any(),
                    Err(error) => view! { <h1>"Day board"</h1><LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn BoardView(board: Board, mover: ServerAction<MoveVisit>) -> impl IntoView {
    let link = |d: chrono::NaiveDate| format!("/board?date={d}");
    let heading = if board.date == board.today {
        format!("Today, {}", board.date.format("%A %-d %B"))
    } else {
        board.date.format("%A %-d %B %Y").to_string()
    };
    let technicians = board.technicians.clone();
    view! {
        <div class="page-head">
            <h1>"Day board " <span class="date">{heading}</span></h1>
        </div>
        <nav class="inline day-nav" aria-label="Choose a day">
            <a class="button secondary" href=link(board.date - Duration::days(1))>"Previous day"</a>
            <a class="button secondary" href=link(board.today)>"Today"</a>
            <a class="button secondary" href=link(board.date + Duration::days(1))>"Next day"</a>
            <form method="get" action="/board" class="inline">
                <label for="board-date">"Board date"</label>
                <input id="board-date" type="date" name="date" value=board.date.to_string() />
                <button type="submit" class="secondary">"Show day"</button>
            </form>
        </nav>
        <ErrorMessage result=mover.value() />
        <div class="board">
            {board
                .lanes
                .into_iter()
                .map(|lane| view! { <LaneView lane technicians=technicians.clone() mover /> })
                .collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn LaneView(
    lane: Lane,
    technicians: Vec<UserSummary>,
    mover: ServerAction<MoveVisit>,
) -> impl IntoView {
    let count = lane.stops.len();
    let heading_id = format!(
        "lane-{}",
        lane.technician_id
            .map(|t| t.to_string())
            .unwrap_or_else(|| "unassigned".into())
    );
    let labelled_by = heading_id.clone();
    let summary = match count {
        0 => "no visits".to_string(),
        1 => "1 visit".to_string(),
        n => format!("{n} visits"),
    };
    let technician = lane
        .technician_id
        .map(|t| t.to_string())
        .unwrap_or_default();
    view! {
        <section class="lane card" aria-labelledby=labelled_by>
            <h2 id=heading_id>{lane.name.clone()} " " <span class="muted date">{summary}</span></h2>
            <ol class="lane-stops">
                {lane
                    .stops
                    .into_iter()
                    .enumerate()
                    .map(|(index, stop)| view! {
                        <StopCard
                            stop
                            index
                            last=index + 1 == count
                            lane_technician=technician.clone()
                            technicians=technicians.clone()
                            mover
                        />
                    })
                    .collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn StopCard(
    stop: BoardStop,
    index: usize,
    last: bool,
    lane_technician: String,
    technicians: Vec<UserSummary>,
    mover: ServerAction<MoveVisit>,
) -> impl IntoView {
    let v = stop.visit.clone();
    let name = stop.customer_name.clone();
    let movable = v.status == VisitStatus::Scheduled;
    let status_class = format!("status status-{:?}", v.status).to_lowercase();
    // Up and down keep the visit with the same person on the same day: never a break.
    let shift = {
        let (id, tech, date) = (
            v.id.to_string(),
            lane_technician.clone(),
            v.scheduled_on.to_string(),
        );
        move |to: usize| {
            mover.dispatch(MoveVisit {
                visit_id: id.clone(),
                technician: tech.clone(),
                date: date.clone(),
                position: Some(to.to_string()),
                reason: None,
                reason_text: None,
            });
        }
    };
    let (up, down) = (shift.clone(), shift);
    view! {
        <li class="board-stop">
            <p class="board-stop-head">
                <a href=format!("/customers/{}", v.customer_id)>{name.clone()}</a>
                " " <span class="muted">{v.window_label()}</span>
            </p>
            <p>
                <span class=status_class>{v.status.label()}</span>
                {(!stop.progress.is_empty()).then(|| view! { <span class="muted">" · " {stop.progress.clone()}</span> })}
                {stop.substitute.then(|| view! { " " <span class="badge">"Substitute"</span> })}
            </p>
            {movable.then(|| view! {
                <div class="inline stop-moves">
                    <button type="button" class="secondary" disabled=index == 0
                        aria-label=format!("Move {name} earlier") on:click=move |_| up(index - 1)>
                        "Earlier"
                    </button>
                    <button type="button" class="secondary" disabled=last
                        aria-label=format!("Move {name} later") on:click=move |_| down(index + 1)>
                        "Later"
                    </button>
                </div>
                <MoveForm stop=stop.clone() lane_technician=lane_technician.clone() technicians=technicians.clone() mover />
            })}
        </li>
    }
    .into_any()
}

/// "Move or reassign": choose a person and a day; the server says whether that breaks
/// continuity, and if it does the dispatcher must read the priorities and give a reason.
#[component]
fn MoveForm(
    stop: BoardStop,
    lane_technician: String,
    technicians: Vec<UserSummary>,
    mover: ServerAction<MoveVisit>,
) -> impl IntoView {
    let check = ServerAction::<CheckMove>::new();
    let v = stop.visit;
    let ids = format!("{}", v.id);
    let (tech_id, date_id) = (format!("move-tech-{ids}"), format!("move-date-{ids}"));
    let (tech_for, date_for) = (tech_id.clone(), date_id.clone());
    // A move that breaks nothing goes straight through.
    Effect::new(move |_| {
        if let Some(Ok(c)) = check.value().get() {
            if !c.is_break {
                mover.dispatch(MoveVisit {
                    visit_id: c.visit_id.to_string(),
                    technician: c.technician_id.map(|t| t.to_string()).unwrap_or_default(),
                    date: c.date.to_string(),
                    position: None,
                    reason: None,
                    reason_text: None,
                });
                check.value().set(None);
            }
        }
    });
    let summary = format!("Move or reassign {}", stop.customer_name);
    view! {
        <details class="move">
            <summary aria-label=summary>"Move or reassign"</summary>
            <ActionForm action=check attr:class="form">
                <input type="hidden" name="visit_id" value=v.id.to_string() />
                <label for=tech_for>"Technician"</label>
                <select id=tech_id name="technician">
                    <option value="" selected=lane_technician.is_empty()>"Unassigned"</option>
                    {technicians.into_iter().map(|t| {
                        let id = t.id.to_string();
                        view! { <option value=id.clone() selected=id == lane_technician>{t.name}</option> }
                    }).collect_view()}
                </select>
                <label for=date_for>"Day"</label>
                <input id=date_id type="date" name="date" value=v.scheduled_on.to_string() required />
                <ErrorMessage result=check.value() />
                <button type="submit">"Move visit"</button>
            </ActionForm>
            {move || match check.value().get() {
                Some(Ok(c)) if c.is_break => Some(view! { <ContinuityGuard check=c mover /> }),
                _ => None,
            }}
        </details>
    }
    .into_any()
}

/// Stops a visit going to a stranger unannounced: the customer's priorities (a "same
/// technician" wish first), a reason to choose, and the promise saving will create.
#[component]
fn ContinuityGuard(check: MoveCheck, mover: ServerAction<MoveVisit>) -> impl IntoView {
    let heading = NodeRef::<html::H3>::new();
    // Keyboard and screen-reader users land on the warning, not somewhere above it.
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let assigned = check
        .assigned_name
        .clone()
        .unwrap_or_else(|| "their technician".into());
    let new_name = check
        .new_name
        .clone()
        .unwrap_or_else(|| "someone new".into());
    let key = check.visit_id.to_string();
    let (reason_id, text_id) = (format!("reason-{key}"), format!("reason-text-{key}"));
    let (reason_for, text_for) = (reason_id.clone(), text_id.clone());
    let tell = format!(
        "Saving creates a promise for you: tell {} who is coming, before {}.",
        check.customer_name,
        check.date.format("%a %-d %b")
    );
    view! {
        <section class="guard" role="group" aria-label="Continuity guard">
            <h3 tabindex="-1" node_ref=heading>
                {format!("Continuity break: {} is {assigned}'s customer", check.customer_name)}
            </h3>
            <p>{format!("You are sending {new_name}. Read what matters to them first:")}</p>
            <ul class="priorities">
                {check.priorities.iter().map(|p| view! {
                    <li class="priority" class:pinned=p.pinned><q>{p.text.clone()}</q></li>
                }).collect_view()}
            </ul>
            <ActionForm action=mover attr:class="form">
                <input type="hidden" name="visit_id" value=check.visit_id.to_string() />
                <input type="hidden" name="technician" value=check.technician_id.map(|t| t.to_string()).unwrap_or_default() />
                <input type="hidden" name="date" value=check.date.to_string() />
                <label for=reason_for>"Why is someone else going?"</label>
                <select id=reason_id name="reason" required>
                    <option value="" selected=true disabled=true>"Choose a reason"</option>
                    {BreakReason::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str()>{r.label()}</option>
                    }).collect_view()}
                </select>
                <label for=text_for>"In a few words (required for “Other”)"</label>
                <input id=text_id name="reason_text" maxlength="500" />
                <p class="muted">{tell}</p>
                <ErrorMessage result=mover.value() />
                <button type="submit">"Confirm the move"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
