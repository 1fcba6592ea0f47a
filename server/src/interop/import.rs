//! `POST /api/v1/import/customers/preview` and `POST /api/v1/import/customers`: a CSV file of
//! customers, previewed row by row before anything is written, then imported in one
//! transaction. Both take `{"csv": "...", "mapping": {"<header>": "<field key>|ignore"}}` and
//! plan the file the same way, so the import does what the preview showed.

use super::cells::unprotect;
use crate::api_error::ApiError;
use crate::body_limit::{IMPORT_MAX_BYTES, IMPORT_PATHS};
use crate::extract::Office;
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::{FromRequest, Request, State};
use axum::http::{Method, StatusCode};
use axum::Json;
use domain::import::{
    changed_since, map_columns, plan, Action, Column, Counts, Existing, ImportRequest,
    ImportResult, Known, Preview, Row, RowPlan,
};
use domain::{Role, UserSummary};

/// Rows the preview lists (it counts them all): enough to check a file by eye.
const ROWS_SHOWN: usize = 500;
/// More than this is a job for several files: an import is one transaction, and on SQLite
/// other writers (phones syncing) wait for it, up to their 10-second busy timeout.
const MAX_ROWS: usize = 10_000;

/// A customer file is the one thing larger than an ordinary request: these routes are served
/// outside the ordinary body limit (`routes::large_bodies`), with a limit of their own.
pub fn routes() -> Routes {
    let does = "import customers";
    Routes::default()
        .at(
            Method::POST,
            "/api/v1/import/customers/preview",
            does,
            preview,
        )
        .at(Method::POST, "/api/v1/import/customers", does, apply)
        // Axum's own limit, so the extractor's JSON rejection explains it.
        .layer(axum::extract::DefaultBodyLimit::max(IMPORT_MAX_BYTES))
}

/// The import's request, or a 400 that shows its shape (a 413 that says how large a file may
/// be).
pub struct CustomerFile(ImportRequest);

impl<S: Send + Sync> FromRequest<S> for CustomerFile {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<ImportRequest>::from_request(req, state).await {
            Ok(Json(request)) => Ok(CustomerFile(request)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge(
                crate::body_limit::too_large_message(IMPORT_PATHS),
            )),
            Err(r) => Err(ApiError::BadRequest(format!(
                "Send {{\"csv\": \"<the file's text>\", \"mapping\": {{}}}}: {}",
                r.body_text()
            ))),
        }
    }
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn preview(
    State(state): State<ServerState>,
    Office(user): Office,
    CustomerFile(request): CustomerFile,
) -> Result<Json<Preview>, ApiError> {
    // Read first: anything written after it has a higher version.
    let based_on = state.app.store.current_version().await?;
    let (_, columns, problem, plans, _) = planned(&state, request).await?;
    let counts = Counts::of(&plans);
    let mut rows: Vec<RowPlan> = plans
        .into_iter()
        .filter(|p| p.action != Action::Unchanged)
        .collect();
    let rows_not_shown = rows.len().saturating_sub(ROWS_SHOWN);
    rows.truncate(ROWS_SHOWN);
    Ok(Json(Preview {
        columns,
        problem,
        counts,
        rows,
        rows_not_shown,
        based_on,
    }))
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn apply(
    State(state): State<ServerState>,
    Office(user): Office,
    CustomerFile(request): CustomerFile,
) -> Result<Json<ImportResult>, ApiError> {
    let (request, _, problem, plans, known) = planned(&state, request).await?;
    if let Some(problem) = problem {
        return Err(ApiError::BadRequest(format!(
            "Nothing was imported. {problem}"
        )));
    }
    let Some(based_on) = request.based_on else {
        return Err(ApiError::BadRequest(
            "Preview the file first, and send the preview's based_on with the import: nothing is imported unseen.".into(),
        ));
    };
    // The import must do what the preview showed: not if a customer in it changed since.
    let changed = changed_since(&plans, &known, based_on);
    if let Some(first) = changed.first() {
        let others = match changed.len() - 1 {
            0 => String::new(),
            1 => " and 1 other customer".into(),
            n => format!(" and {n} other customers"),
        };
        return Err(ApiError::Conflict(format!(
            "{first}{others} changed since the preview; nothing was imported. Preview the file again."
        )));
    }
    let counts = Counts::of(&plans);
    let changes: Vec<_> = plans.into_iter().filter_map(|p| p.change).collect();
    let report = state
        .app
        .store
        .import_customers(&changes, user.id, user.role, state.app.clock.now())
        .await?;
    tracing::info!(by = %user.email, ?report, "customers imported");
    Ok(Json(ImportResult {
        created: report.created,
        updated: report.updated,
        priorities: report.priorities,
        unchanged: counts.unchanged,
        rejected: counts.reject,
    }))
}

/// The request, the columns, what stops the import, each row's plan, and what Rapport held.
type Planned = (
    ImportRequest,
    Vec<Column>,
    Option<String>,
    Vec<RowPlan>,
    Vec<Known>,
);

/// Reads the file and plans every row against what Rapport holds now.
async fn planned(state: &ServerState, request: ImportRequest) -> Result<Planned, ApiError> {
    let (headers, rows) = read_csv(&request.csv)?;
    let map = map_columns(&headers, &request.mapping);
    let known = state.app.store.known_customers().await?;
    let people: Vec<UserSummary> = state.app.store.list_users(Some(Role::Technician)).await?;
    let everyone = state.app.store.all_users().await?;
    let existing = Existing {
        customers: &known,
        people: &people,
        everyone: &everyone,
    };
    let plans = plan(&map.columns, &rows, &existing);
    Ok((request, map.columns, map.problem, plans, known))
}

/// The header and the rows, each cell as typed (a `'` an export put before a formula-like
/// cell is taken off again).
fn read_csv(text: &str) -> Result<(Vec<String>, Vec<Row>), ApiError> {
    // Spreadsheets often save UTF-8 with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ApiError::BadRequest(format!("The header line could not be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(ApiError::BadRequest(
            "The file is empty. It needs a header line (name, address, phone, …) and one line per customer.".into(),
        ));
    }
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ApiError::BadRequest(format!("Line {line} could not be read: {e}"))
        })?;
        if rows.len() == MAX_ROWS {
            return Err(ApiError::TooLarge(format!(
                "The file has more than {MAX_ROWS} customers; split it into several files."
            )));
        }
        rows.push(Row {
            line: record
                .position()
                .map_or(0, |p| lines.line_at(text, p.byte())),
            cells: record.iter().map(|c| unprotect(c).to_string()).collect(),
        });
    }
    if rows.is_empty() {
        return Err(ApiError::BadRequest(
            "The file has a header line but no customers.".into(),
        ));
    }
    Ok((headers, rows))
}

/// The line a record starts on. The reader's own count starts before the blank lines it
/// skips, so count from the record's first character instead, carrying the count from one
/// record to the next (counting from the top for each would take quadratic time).
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, byte: u64) -> u64 {
        let start = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        let skipped = text[start..]
            .bytes()
            .take_while(|b| matches!(b, b'\n' | b'\r'))
            .count();
        let end = (start + skipped).max(self.byte);
        self.newlines += text.as_bytes()[self.byte..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.byte = end;
        1 + self.newlines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_with_quoted_lines_a_bom_and_defused_formulas() {
        let text = "\u{feff}Name,Phone,Priorities\nDorothy,'+44 1,\"Quiet\nNo dogs\"\n\nBob,2\n";
        let (headers, rows) = read_csv(text).unwrap();
        assert_eq!(headers, ["Name", "Phone", "Priorities"]);
        assert_eq!(rows[0].cells, ["Dorothy", "+44 1", "Quiet\nNo dogs"]);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            rows[1].line, 5,
            "the line a row starts on, after a quoted line break"
        );
        assert_eq!(rows[1].cells, ["Bob", "2"]);
    }

    #[test]
    fn an_empty_file_says_what_a_file_needs() {
        for (text, says) in [("", "The file is empty"), ("Name,Phone\n", "no customers")] {
            let Err(ApiError::BadRequest(message)) = read_csv(text) else {
                panic!("{text:?} was accepted");
            };
            assert!(message.contains(says), "{message}");
        }
    }
}
