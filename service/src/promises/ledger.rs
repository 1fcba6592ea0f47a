//! The promise ledger as people read it: the office's whole ledger (a technician's own), a
//! customer's promises, and the overdue count in the navigation.

use crate::access::require_customer_access;
use crate::error::ServiceResult;
use crate::state::AppState;
use domain::promise::{on_time_rate, OnTimeRate};
use domain::views::{CustomerLedger, Ledger, PromiseRow};
use domain::{Promise, PromiseStatus, Role, UserSummary};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use store::PromiseFilter;
use uuid::Uuid;

/// Promises the viewer answers for: a technician's own, everyone's for the office.
fn answerable(user: &UserSummary) -> PromiseFilter {
    PromiseFilter {
        owner_id: (user.role == Role::Technician).then_some(user.id),
        ..Default::default()
    }
}

/// The open ones among them.
fn open(user: &UserSummary) -> PromiseFilter {
    PromiseFilter {
        status: Some(PromiseStatus::Open),
        ..answerable(user)
    }
}

/// How many promises are overdue: the viewer's own for a technician, everyone's for the
/// office.
pub async fn overdue_count(state: &AppState, user: &UserSummary) -> ServiceResult<usize> {
    let now = state.local_now();
    let filter = PromiseFilter {
        due_by: Some(state.today()),
        ..open(user)
    };
    let open = state.store.promises(&filter).await?;
    Ok(open.iter().filter(|p| p.is_overdue(now)).count())
}

/// Promises with their customer's and owner's names, and whether they are overdue now.
async fn rows(
    state: &AppState,
    promises: Vec<Promise>,
    names: &HashMap<Uuid, String>,
) -> ServiceResult<Vec<PromiseRow>> {
    let now = state.local_now();
    let mut customers: HashMap<Uuid, String> = HashMap::new();
    let mut rows = vec![];
    for p in promises {
        if let Entry::Vacant(slot) = customers.entry(p.customer_id) {
            let customer = state.store.get_customer(p.customer_id).await?;
            slot.insert(customer.map(|c| c.name).unwrap_or_default());
        }
        rows.push(PromiseRow {
            customer_name: customers[&p.customer_id].clone(),
            owner_name: names.get(&p.owner_id).cloned().unwrap_or_default(),
            overdue: p.is_overdue(now),
            promise: p,
        });
    }
    Ok(rows)
}

/// The ledger: open promises split into overdue and upcoming, and each owner's on-time rate
/// over everything the viewer can see, best first.
pub async fn ledger(state: &AppState, user: &UserSummary) -> ServiceResult<Ledger> {
    let names = state.names().await?;
    let open = state.store.promises(&open(user)).await?;
    let open = rows(state, open, &names).await?;
    let (overdue, upcoming) = open.into_iter().partition(|r| r.overdue);
    let all = state.store.promises(&answerable(user)).await?;
    let mut by_owner: HashMap<Uuid, Vec<Promise>> = HashMap::new();
    for p in all {
        by_owner.entry(p.owner_id).or_default().push(p);
    }
    let now = state.local_now();
    let mut rates: Vec<(String, OnTimeRate)> = by_owner
        .into_iter()
        .map(|(owner, ps)| {
            let rate = on_time_rate(&ps, now, |t| state.to_local(t));
            (names.get(&owner).cloned().unwrap_or_default(), rate)
        })
        .filter(|(_, r)| r.came_due > 0)
        .collect();
    rates.sort_by(|a, b| b.1.percent().cmp(&a.1.percent()).then(a.0.cmp(&b.0)));
    Ok(Ledger {
        overdue,
        upcoming,
        rates,
        callback_cutoff: super::callback_cutoff(state)
            .await?
            .format("%H:%M")
            .to_string(),
        is_admin: user.role == Role::Admin,
    })
}

/// A customer's promises and how reliably they were kept, for anyone who serves them; the
/// office may give a promise to anyone, a technician only to themselves.
pub async fn customer_ledger(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
) -> ServiceResult<CustomerLedger> {
    require_customer_access(state, user, customer_id).await?;
    let filter = PromiseFilter {
        customer_id: Some(customer_id),
        ..Default::default()
    };
    let promises = state.store.promises(&filter).await?;
    let rate = on_time_rate(&promises, state.local_now(), |t| state.to_local(t));
    let owners = if user.role.sees_all_customers() {
        state.store.list_users(None).await?
    } else {
        vec![user.clone()]
    };
    Ok(CustomerLedger {
        rows: rows(state, promises, &state.names().await?).await?,
        rate,
        owners,
        today: state.today(),
    })
}
