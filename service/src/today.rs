//! A technician's day: their stops in route order, each with the customer and what matters
//! to them.

use crate::access::technician;
use crate::error::ServiceResult;
use crate::state::AppState;
use chrono::NaiveDate;
use domain::views::DayRoute;
use domain::{Stop, UserSummary};
use std::collections::HashMap;

/// The technician's stops on `date` (in the organisation's time zone).
pub async fn route(
    state: &AppState,
    user: &UserSummary,
    date: NaiveDate,
) -> ServiceResult<DayRoute> {
    let user = technician(user)?;
    let visits = state.store.technician_day(user.id, date).await?;
    let mut customer_ids: Vec<_> = visits.iter().map(|v| v.customer_id).collect();
    customer_ids.dedup();
    let mut priorities: HashMap<_, Vec<_>> = HashMap::new();
    for p in state.store.priorities_of(&customer_ids).await? {
        priorities.entry(p.customer_id).or_default().push(p);
    }
    let mut stops = Vec::with_capacity(visits.len());
    for visit in visits {
        let Some(customer) = state.store.get_customer(visit.customer_id).await? else {
            continue;
        };
        // `get`, not `remove`: two visits to one customer on one day both show them.
        let list = priorities.get(&customer.id).cloned().unwrap_or_default();
        let priorities = domain::priority::for_display(list);
        stops.push(Stop {
            visit,
            customer,
            priorities,
        });
    }
    domain::visit::route_order(&mut stops);
    Ok(DayRoute { date, stops })
}

/// The technician's stops today.
pub async fn today(state: &AppState, user: &UserSummary) -> ServiceResult<DayRoute> {
    route(state, user, state.today()).await
}
