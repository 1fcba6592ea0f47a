//! The office's import and export page: CSV files of customers, priorities, visits and
//! promises to download, and a customer file to import after a row-by-row preview.
//!
//! The file is read in the browser and sent to the JSON endpoints in `server::interop`; the
//! preview comes back for every change of the file or of the column choices.

#[cfg(feature = "hydrate")]
mod browser;

use domain::import::{Action, Column, Field, ImportRequest, ImportResult, Preview, IGNORE};
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeMap;

const EXPORTS: [(&str, &str); 4] = [
    (
        "customers",
        "Customers, with their technicians and priorities",
    ),
    ("priorities", "Priorities, with who heard them and when"),
    ("visits", "Visits, past and planned"),
    ("promises", "Promises, open and closed"),
];

/// The chosen file: its name and text.
type Chosen = Option<(String, String)>;

#[component]
pub fn ImportExportPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<(String, String)>);
    let mapping = RwSignal::new(BTreeMap::<String, String>::new());
    let preview = RwSignal::new(None::<Result<Preview, String>>);
    let imported = RwSignal::new(None::<Result<ImportResult, String>>);
    let busy = RwSignal::new(false);
    // Previews answer out of order at times; only the latest one asked for is shown.
    let asked = StoredValue::new(0u64);
    // A preview is on its way: the one shown may not match the file and columns any more.
    let waiting = RwSignal::new(false);

    // A new file or a new column choice: preview again (nothing is written).
    Effect::new(move |_| {
        let Some((_, csv)) = chosen.get() else {
            return;
        };
        let request = ImportRequest {
            csv,
            mapping: mapping.get(),
            based_on: None,
        };
        waiting.set(true);
        ask_preview(request, preview, asked, waiting);
    });
    let import = move |_| {
        let Some((_, csv)) = chosen.get_untracked() else {
            return;
        };
        // The import does what this preview showed, or refuses if a customer changed since.
        let based_on = preview
            .with_untracked(|p| p.as_ref().and_then(|p| p.as_ref().ok()).map(|p| p.based_on));
        let request = ImportRequest {
            csv,
            mapping: mapping.get_untracked(),
            based_on,
        };
        busy.set(true);
        imported.set(None);
        ask_import(request, imported, busy, preview, asked);
    };

    view! {
        <Title text="Import and export" />
        <h1>"Import and export"</h1>
        <section class="card" aria-labelledby="export-heading">
            <h2 id="export-heading">"Export"</h2>
            <p class="muted">"CSV files, for any spreadsheet. The customer file can be imported again as it is."</p>
            <ul class="plain exports">
                {EXPORTS.map(|(table, what)| view! {
                    <li>
                        <a href=format!("/api/v1/export/{table}.csv") download>{format!("{table}.csv")}</a>
                        <span class="muted">{format!(" — {what}")}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card form" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import customers"</h2>
            <p class="muted">
                "One customer per line. Columns are matched by their headers: name, contact_name, "
                "address, phone, email, access_notes, technician and backup_technician (email or "
                "name), priorities (one per line in the cell). A line with a customer's id or exact "
                "name updates that customer; empty cells leave what is there. Nothing is written "
                "until you press Import."
            </p>
            <label for="import-file">"Customer file (CSV)"</label>
            <input
                id="import-file"
                type="file"
                accept=".csv,text/csv"
                on:change=move |ev| {
                    mapping.set(BTreeMap::new());
                    imported.set(None);
                    choose_file(ev, chosen, preview);
                }
            />
            {move || preview.get().map(|p| match p {
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Ok(p) => view! { <PreviewView preview=p mapping /> }.into_any(),
            })}
            {move || {
                let ready = preview.with(|p| match p {
                    Some(Ok(p)) => p.problem.is_none() && p.counts.create + p.counts.update > 0,
                    _ => false,
                });
                let count = preview.with(|p| match p {
                    Some(Ok(p)) => p.counts.create + p.counts.update,
                    _ => 0,
                });
                ready.then(|| view! {
                    <button
                        type="button"
                        on:click=import
                        disabled=move || busy.get() || waiting.get()
                    >
                        {format!("Import {count} {}", if count == 1 { "customer" } else { "customers" })}
                    </button>
                })
            }}
            <div role="status">
                {move || imported.get().map(|done| match done {
                    Ok(done) => view! { <p class="done">{imported_sentence(&done)}</p> }.into_any(),
                    Err(message) => view! { <p class="error">{message}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}

/// The columns, the choices for unknown ones, the counts and what each line will do.
#[component]
fn PreviewView(preview: Preview, mapping: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    let c = &preview.counts;
    let summary = format!(
        "{} to create · {} to update · {} already as in the file · {} rejected",
        c.create, c.update, c.unchanged, c.reject
    );
    let recognised: Vec<String> = preview
        .columns
        .iter()
        .filter(|col| !col.needs_choice && !mapping.with_untracked(|m| m.contains_key(&col.header)))
        .map(|col| match col.field {
            Some(field) => format!("{} → {}", col.header, field.label()),
            None => format!("{} → ignored", col.header),
        })
        .collect();
    let to_choose: Vec<Column> = preview
        .columns
        .iter()
        .filter(|col| col.needs_choice || mapping.with_untracked(|m| m.contains_key(&col.header)))
        .cloned()
        .collect();
    let more = preview.rows_not_shown;
    view! {
        {(!to_choose.is_empty()).then(|| view! {
            <fieldset class="mapping">
                <legend>"Columns Rapport does not know"</legend>
                {to_choose.into_iter().enumerate().map(|(i, col)| view! { <ColumnChoice index=i column=col mapping /> }).collect_view()}
            </fieldset>
        })}
        <p class="muted">{format!("Columns: {}", recognised.join(", "))}</p>
        {preview.problem.clone().map(|problem| view! { <p class="error" role="alert">{problem}</p> })}
        <p><strong>{summary}</strong></p>
        {(!preview.rows.is_empty()).then(|| view! {
            <div class="table-scroll">
                <table class="import-rows">
                    <caption>"What each line will do"</caption>
                    <thead>
                        <tr><th scope="col">"Line"</th><th scope="col">"Customer"</th><th scope="col">"Action"</th><th scope="col">"Details"</th></tr>
                    </thead>
                    <tbody>
                        {preview.rows.iter().map(|row| view! {
                            <tr class=action_class(row.action)>
                                <td>{row.line}</td>
                                <td>{row.name.clone()}</td>
                                <td>{action_label(row.action)}</td>
                                <td>{row.detail.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more lines, counted above.")}</p> })}
    }
}

/// "Column “Door code” holds": ignore, or one of the fields.
#[component]
fn ColumnChoice(
    index: usize,
    column: Column,
    mapping: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let id = format!("column-{index}");
    let header = column.header.clone();
    let current = column.field.map_or(IGNORE, Field::key);
    view! {
        <label for=id.clone()>{format!("Column “{}” holds", column.header)}</label>
        <select
            id=id
            on:change=move |ev| {
                let choice = event_target_value(&ev);
                mapping.update(|m| {
                    m.insert(header.clone(), choice);
                });
            }
        >
            <option value=IGNORE selected=current == IGNORE>"Nothing to import (ignore it)"</option>
            {Field::ALL.map(|field| view! {
                <option value=field.key() selected=current == field.key()>{field.label()}</option>
            }).collect_view()}
        </select>
    }
}

fn action_label(action: Action) -> &'static str {
    match action {
        Action::Create => "Create",
        Action::Update => "Update",
        Action::Unchanged => "No change",
        Action::Reject => "Rejected",
    }
}

fn action_class(action: Action) -> &'static str {
    match action {
        Action::Reject => "rejected",
        _ => "",
    }
}

fn imported_sentence(done: &ImportResult) -> String {
    let mut sentence = format!(
        "Imported: {} new, {} updated, {} priorities added.",
        done.created, done.updated, done.priorities
    );
    if done.rejected > 0 {
        sentence.push_str(&format!(
            " {} rejected {} left out.",
            done.rejected,
            if done.rejected == 1 {
                "line was"
            } else {
                "lines were"
            }
        ));
    }
    sentence
}

#[cfg(feature = "hydrate")]
fn choose_file(
    ev: leptos::ev::Event,
    chosen: RwSignal<Chosen>,
    preview: RwSignal<Option<Result<Preview, String>>>,
) {
    browser::choose_file(ev, chosen, preview);
}

#[cfg(not(feature = "hydrate"))]
fn choose_file(
    _: leptos::ev::Event,
    _: RwSignal<Chosen>,
    _: RwSignal<Option<Result<Preview, String>>>,
) {
}

#[cfg(feature = "hydrate")]
fn ask_preview(
    request: ImportRequest,
    preview: RwSignal<Option<Result<Preview, String>>>,
    asked: StoredValue<u64>,
    waiting: RwSignal<bool>,
) {
    asked.update_value(|n| *n += 1);
    let this = asked.get_value();
    leptos::task::spawn_local(async move {
        let answer = browser::post("/api/v1/import/customers/preview", &request).await;
        if asked.get_value() == this {
            preview.set(Some(answer));
            waiting.set(false);
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn ask_preview(
    _: ImportRequest,
    _: RwSignal<Option<Result<Preview, String>>>,
    _: StoredValue<u64>,
    _: RwSignal<bool>,
) {
}

#[cfg(feature = "hydrate")]
fn ask_import(
    request: ImportRequest,
    imported: RwSignal<Option<Result<ImportResult, String>>>,
    busy: RwSignal<bool>,
    preview: RwSignal<Option<Result<Preview, String>>>,
    asked: StoredValue<u64>,
) {
    // Previews still on their way were made before the import: drop them.
    asked.update_value(|n| *n += 1);
    leptos::task::spawn_local(async move {
        let done = browser::post("/api/v1/import/customers", &request).await;
        // Preview again: the file now matches what Rapport holds.
        let request = ImportRequest {
            based_on: None,
            ..request
        };
        let again = browser::post("/api/v1/import/customers/preview", &request).await;
        imported.set(Some(done));
        preview.set(Some(again));
        busy.set(false);
    });
}

#[cfg(not(feature = "hydrate"))]
fn ask_import(
    _: ImportRequest,
    _: RwSignal<Option<Result<ImportResult, String>>>,
    _: RwSignal<bool>,
    _: RwSignal<Option<Result<Preview, String>>>,
    _: StoredValue<u64>,
) {
}
