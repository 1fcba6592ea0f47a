//! Rapport's domain: the nouns of a field-service business and the pure rules over them.
//!
//! This crate compiles for the server and for the wasm client alike, so it holds no I/O.
//! Row mapping for the server's store is behind the `sqlx` feature.
#![forbid(unsafe_code)]

pub mod board;
pub mod calendar;
pub mod continuity;
pub mod customer;
pub mod device;
pub mod import;
pub mod links;
pub mod plan;
pub mod priority;
pub mod promise;
pub mod sync;
pub mod text;
pub mod user;
pub mod views;
pub mod visit;

pub use customer::{Customer, CustomerDraft, CustomerSummary, FieldConflict};
pub use plan::ServicePlan;
pub use priority::{Priority, PriorityDraft};
pub use promise::{Promise, PromiseOrigin, PromiseStatus};
pub use user::{Role, UserSummary};
pub use visit::{Stop, Visit, VisitStatus};

/// Ids are UUIDv7 so that devices can make them offline and they still sort by creation time.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// The years a date may fall in. Anything outside is a typing mistake or a broken clock, and
/// date arithmetic near chrono's limits would panic.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

/// Whether a date falls in [`PLAUSIBLE_YEARS`].
pub fn plausible_date(date: chrono::NaiveDate) -> bool {
    PLAUSIBLE_YEARS.contains(&chrono::Datelike::year(&date))
}
