//! The promise ledger: every commitment made to a customer, who owns it and when it is due;
//! overdue ones impossible to miss; callbacks from logged calls.

mod badge;
mod customer_card;
mod promises_page;
mod server_fns;

pub use badge::OverdueBadge;
pub use customer_card::{CustomerPromises, LogCallForm, PromiseActions};
pub use domain::views::{CustomerLedger, Ledger, PromiseRow};
pub use promises_page::PromisesPage;
pub use server_fns::*;
