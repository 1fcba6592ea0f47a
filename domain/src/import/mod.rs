//! Importing customers from a spreadsheet: which column holds what, and what each row would
//! do (create, update, leave alone, or reject, with the reason) before anything is written.
//!
//! Pure: the caller reads the file and loads what exists. The same plan serves the preview
//! and the import itself, so what the office saw is what happens.
//!
//! In the order an import goes: `columns` maps the file's headers to fields, `row` holds
//! what a row is and what it would do, `planner` decides that for every row, and `report`
//! holds what the page sends and is shown.

mod columns;
mod planner;
mod report;
mod row;
#[cfg(test)]
mod tests;

pub use columns::{map_columns, Column, ColumnMap, Field, IGNORE};
pub use planner::plan;
pub use report::{changed_since, Counts, ImportRequest, ImportResult, Preview};
pub use row::{Action, Change, Existing, Known, Row, RowPlan};
