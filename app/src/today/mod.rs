//! The technician's day: today's stops in order, each with what to know before knocking.

mod server_fns;
mod today_page;

pub use domain::views::DayRoute;
pub use server_fns::*;
pub use today_page::TodayPage;
