use crate::error::AppError;
use chrono::NaiveDate;
use domain::Stop;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A technician's route for one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayRoute {
    pub date: NaiveDate,
    pub stops: Vec<Stop>,
}

/// The signed-in technician's stops for today (in the organisation's time zone).
#[server(endpoint = "today/route")]
pub async fn today_route() -> Result<DayRoute, AppError> {
    use crate::state::*;
    use domain::Role;
    use std::collections::HashMap;

    let state = app_state()?;
    let user = require_role(&[Role::Technician])?;
    let date = state.today();
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
