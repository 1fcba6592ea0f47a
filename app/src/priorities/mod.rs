//! Priorities: what matters to a customer, in their words, shown before every visit.

mod card;
mod server_fns;

pub use card::{AddPriorityForm, PrioritiesCard, PriorityActions};
pub use server_fns::*;
