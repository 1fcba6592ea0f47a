//! The technician's day: today's stops in order, each with what to know before knocking.

mod page;
mod server_fns;

pub use page::TodayPage;
pub use server_fns::*;
