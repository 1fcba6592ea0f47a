//! Demo data for a first look around: an office user, an admin, three technicians (and one who
//! has left), about forty customers with priorities in their own words, a service plan each
//! with two weeks of history and eight weeks of visits ahead, promises in every state, a
//! callback due today, and Dorothy's Gift Shop — four technicians in her last ten visits, and
//! a continuity break on her next one — at the top of the at-risk list.
//!
//! Seeded only when asked for (`--demo`) and only into an empty database. Deterministic, so a
//! demo looks the same every time and tests can name what they expect to find. It writes
//! through the public [`Store`] interface only, like any other caller; it is its own crate so
//! the production store does not carry it.
#![forbid(unsafe_code)]

mod board;
mod customers;
mod people;
mod plans;
mod promises;

pub use people::{DEMO_USERS, FORMER_TECHNICIAN};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::{Role, UserSummary};
use plans::PlanSeed;
use promises::Promises;
use store::{Store, StoreResult};
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "rapport-demo";

/// The customer whose story Rapport exists for.
pub const DOROTHY: &str = "Dorothy's Gift Shop";
pub const SAME_TECHNICIAN: &str =
    "Same technician every time — strangers in the shop make her nervous";

/// Who did Dorothy's last ten visits, oldest first (S = Sam, her technician): four different
/// faces in ten visits, the story Rapport exists to prevent.
const DOROTHY_HISTORY: [usize; 10] = [0, 0, 3, 0, 1, 0, 2, 1, 0, 1];

/// Seeds the demo into an empty store. `today` is the organisation's today.
pub async fn seed(store: &dyn Store, today: NaiveDate, now: DateTime<Utc>) -> StoreResult<()> {
    let users = people::seed_users(store, now).await?;
    let office = users
        .iter()
        .find(|u| u.role == Role::Office)
        .expect("demo office user");
    let techs: Vec<&UserSummary> = users
        .iter()
        .filter(|u| u.role == Role::Technician)
        .collect();
    let former = people::seed_former(store, now).await?;

    // Customers go round the technicians in turn; each one's plan depends on how many of
    // that technician's customers came before.
    let mut per_tech = vec![0usize; techs.len()];
    let mut seeded = vec![];
    for (i, demo) in customers::CUSTOMERS.iter().enumerate() {
        let tech_index = i % techs.len();
        let tech = techs[tech_index];
        let id = customers::seed_customer(store, i, demo, tech, office, now).await?;
        let rank_for_tech = per_tech[tech_index];
        per_tech[tech_index] += 1;
        let history: Vec<Uuid> = if i == 0 {
            let people = [techs[0].id, techs[1].id, techs[2].id, former.id];
            DOROTHY_HISTORY.iter().map(|&p| people[p]).collect()
        } else {
            vec![]
        };
        let plan = PlanSeed {
            customer_id: id,
            i,
            rank_for_tech,
            technician_id: tech.id,
            history,
        };
        plans::seed_plan(store, plan, office.id, today, now).await?;
        seeded.push((id, tech.id));
    }
    store
        .set_user_disabled(former.id, Some(now - Duration::days(30)))
        .await?;
    let promises = Promises {
        customers: &seeded,
        office: office.id,
        today,
    };
    promises::seed_ledger(store, &promises, now).await?;
    board::seed_board(store, &promises, &techs, now).await?;
    Ok(())
}
