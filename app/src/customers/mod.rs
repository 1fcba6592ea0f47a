//! Customers: the list, the customer page (priorities first), create and edit.

mod customer_page;
mod edit_page;
mod list_page;
mod server_fns;

pub use customer_page::CustomerPage;
pub use domain::views::{CustomerDetail, TimelineEntry, VisitLine};
pub use edit_page::{EditCustomerPage, NewCustomerPage};
pub use list_page::CustomerListPage;
pub use server_fns::*;
