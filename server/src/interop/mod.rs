//! Spreadsheets in and out: CSV exports of customers, priorities, visits and promises, and
//! the customer import with its preview. For the office and admins only.

mod cells;
pub mod export;
pub mod import;

pub use crate::rest::office;

/// The largest file the import takes: about 60 000 customers of ordinary length.
pub const IMPORT_MAX_BYTES: usize = 16 * 1024 * 1024;
