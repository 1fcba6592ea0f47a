//! `GET /api/v1/export/<table>.csv`: customers, priorities, visits or promises as a CSV file
//! a spreadsheet opens. The customers file is also the import's format, so exporting and
//! importing it again changes nothing.

use super::cells::protect;
use crate::api_error::ApiError;
use crate::extract::{ApiPath, Office};
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::State;
use axum::http::{header, Method};
use axum::response::{IntoResponse, Response};
use domain::import::Field;
use domain::CustomerDraft;
use serde::Serialize;
use std::collections::HashMap;
use store::PromiseFilter;
use uuid::Uuid;

pub fn routes() -> Routes {
    Routes::default().at(Method::GET, "/api/v1/export/{file}", "export data", file)
}

#[tracing::instrument(skip_all, fields(user = %user.id, file = %file))]
pub async fn file(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiPath(file): ApiPath<String>,
) -> Result<Response, ApiError> {
    let Some(table) = file.strip_suffix(".csv") else {
        return Err(not_a_table(&file));
    };
    let store = &state.app.store;
    let people: HashMap<Uuid, String> = store
        .all_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let known = store.known_customers().await?;
    let names: HashMap<Uuid, &str> = known
        .iter()
        .map(|k| (k.customer.id, k.customer.name.as_str()))
        .collect();
    let email = |id: Option<Uuid>| {
        id.and_then(|id| people.get(&id).cloned())
            .unwrap_or_default()
    };
    let name = |id: Uuid| names.get(&id).copied().unwrap_or_default().to_string();

    let mut sheet = Sheet::default();
    match table {
        "customers" => {
            sheet.row(Field::ALL.map(|f| f.key().to_string()));
            // The priorities column carries the current ones, in the order the card shows,
            // one per line (a priority typed over several lines is written on one).
            for k in &known {
                let c = &k.customer;
                let draft = CustomerDraft::of(c);
                // Each cell by its column's name, so the columns cannot slip against the header.
                sheet.row(Field::ALL.map(|field| {
                    match field {
                        Field::Id => c.id.to_string(),
                        Field::Technician => email(c.assigned_technician_id),
                        Field::BackupTechnician => email(c.backup_technician_id),
                        Field::Priorities => k
                            .priorities
                            .iter()
                            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        _ => field
                            .draft_field()
                            .map(|f| f.of(&draft).to_string())
                            .unwrap_or_default(),
                    }
                }));
            }
        }
        "priorities" => {
            sheet.row(
                [
                    "id",
                    "customer_id",
                    "customer",
                    "text",
                    "pinned",
                    "heard_by",
                    "heard_role",
                    "heard_at",
                    "retired_at",
                ]
                .map(String::from),
            );
            for p in store.all_priorities().await? {
                sheet.row([
                    p.id.to_string(),
                    p.customer_id.to_string(),
                    name(p.customer_id),
                    p.text,
                    p.pinned.to_string(),
                    email(Some(p.heard_by_id)),
                    word(p.heard_role),
                    p.heard_at.to_rfc3339(),
                    p.retired_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                ]);
            }
        }
        "visits" => {
            sheet.row(
                [
                    "id",
                    "customer_id",
                    "customer",
                    "technician",
                    "scheduled_on",
                    "window_start",
                    "window_end",
                    "position",
                    "status",
                    "arrived_at",
                    "departed_at",
                    "skip_reason",
                ]
                .map(String::from),
            );
            for v in store.all_visits().await? {
                sheet.row([
                    v.id.to_string(),
                    v.customer_id.to_string(),
                    name(v.customer_id),
                    email(v.technician_id),
                    v.scheduled_on.to_string(),
                    v.window_start
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    v.window_end
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    v.position.to_string(),
                    word(v.status),
                    v.arrived_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    v.departed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    v.skip_reason.unwrap_or_default(),
                ]);
            }
        }
        "promises" => {
            sheet.row(
                [
                    "id",
                    "customer_id",
                    "customer",
                    "text",
                    "owner",
                    "due_on",
                    "due_time",
                    "status",
                    "origin",
                    "visit_id",
                    "closed_at",
                    "drop_reason",
                ]
                .map(String::from),
            );
            for p in store.promises(&PromiseFilter::default()).await? {
                sheet.row([
                    p.id.to_string(),
                    p.customer_id.to_string(),
                    name(p.customer_id),
                    p.text,
                    email(Some(p.owner_id)),
                    p.due_on.to_string(),
                    p.due_time
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                    word(p.status),
                    word(p.origin),
                    p.visit_id.map(|id| id.to_string()).unwrap_or_default(),
                    p.closed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    p.drop_reason.unwrap_or_default(),
                ]);
            }
        }
        _ => return Err(not_a_table(&file)),
    }
    let filename = format!("rapport-{table}-{}.csv", state.app.today());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        sheet.finish(),
    )
        .into_response())
}

fn not_a_table(file: &str) -> ApiError {
    ApiError::NotFound(format!(
        "There is no export called \"{file}\"; choose customers.csv, priorities.csv, visits.csv or promises.csv."
    ))
}

/// An enum's name as the API writes it ("in_progress").
fn word(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A CSV file being written; every cell is defused (see `cells`).
struct Sheet {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Sheet {
    fn default() -> Self {
        Sheet {
            writer: csv::Writer::from_writer(Vec::new()),
        }
    }
}

impl Sheet {
    fn row<const N: usize>(&mut self, cells: [String; N]) {
        // Writing to memory cannot fail.
        self.writer
            .write_record(cells.iter().map(|c| protect(c).into_owned()))
            .expect("a CSV row in memory");
    }

    fn finish(self) -> Vec<u8> {
        self.writer.into_inner().expect("a CSV file in memory")
    }
}
