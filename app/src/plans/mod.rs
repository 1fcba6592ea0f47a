//! Service plans on the customer page, and one-off visits.

mod card;
mod server_fns;

pub use card::{OneOffVisitForm, PlansCard};
pub use domain::views::PlanLine;
pub use server_fns::*;
