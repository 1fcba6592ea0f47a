//! Read models: what the service layer assembles and the office pages show. They live here,
//! not in the server-only service crate, because the wasm client decodes them too.

pub mod admin;
pub mod customer;
pub mod plan;
pub mod promise;
pub mod today;

pub use admin::{DeviceRow, TokenRow};
pub use customer::{CustomerDetail, TimelineEntry, VisitLine};
pub use plan::PlanLine;
pub use promise::{CustomerLedger, Ledger, PromiseRow};
pub use today::DayRoute;
