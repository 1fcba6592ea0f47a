//! Customers: the list, the customer page (priorities first), create and edit.

mod customer_page;
mod form;
mod list_page;
mod server_fns;

pub use customer_page::CustomerPage;
pub use form::{EditCustomerPage, NewCustomerPage};
pub use list_page::CustomerListPage;
pub use server_fns::*;
