//! Spreadsheets in and out: CSV exports of customers, priorities, visits and promises, and
//! the customer import with its preview. For the office and admins only.

mod cells;
pub mod export;
pub mod import;
