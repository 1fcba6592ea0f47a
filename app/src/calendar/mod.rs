//! A technician's own calendar link: their visits in their phone's calendar app.

mod calendar_page;
mod server_fns;

pub use calendar_page::CalendarPage;
pub use server_fns::*;
/// Where a feed is served; the server routes it.
#[cfg(feature = "ssr")]
pub use service::calendar::FEED_PREFIX;
