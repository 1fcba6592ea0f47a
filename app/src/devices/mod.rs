//! The admin's list of devices that sync, and signing one out (a lost or stolen phone).

mod devices_page;
mod server_fns;

pub use devices_page::DevicesPage;
pub use domain::views::DeviceRow;
pub use server_fns::*;
