//! Continuity figures and the at-risk list: which relationships are slipping, and why.

use crate::access::{require_role, OFFICE_ROLES};
use crate::error::ServiceResult;
use crate::state::AppState;
use chrono::Duration;
use domain::continuity::{
    rank_at_risk, AtRisk, Continuity, PastVisit, RiskInputs, CONTINUITY_WINDOW,
};
use domain::UserSummary;
use domain::VisitStatus;
use std::collections::HashMap;
use store::{CustomerFilter, PromiseFilter};
use uuid::Uuid;

/// How far back breaks and skips count against a customer.
const RECENT_DAYS: i64 = 90;
/// How far back to look for a customer's last completed visits.
const HISTORY_DAYS: i64 = 730;

pub async fn continuity_of(
    state: &AppState,
    customer: &domain::Customer,
) -> ServiceResult<Continuity> {
    let today = state.today();
    let visits: Vec<PastVisit> = state
        .store
        .customer_visits(customer.id, today - Duration::days(HISTORY_DAYS), today)
        .await?
        .into_iter()
        .map(|v| PastVisit {
            day: v.scheduled_on,
            technician_id: v.technician_id,
            status: v.status,
        })
        .collect();
    Ok(Continuity::of(
        &visits,
        customer.assigned_technician_id,
        CONTINUITY_WINDOW,
    ))
}

/// Customers ranked by risk: faces changing, continuity breaks, overdue promises, skips.
pub async fn at_risk(state: &AppState, user: &UserSummary) -> ServiceResult<Vec<AtRisk>> {
    require_role(Some(user.clone()), OFFICE_ROLES)?;
    let today = state.today();
    let recent = today - Duration::days(RECENT_DAYS);
    let mut history: HashMap<Uuid, Vec<PastVisit>> = HashMap::new();
    for (customer, visit) in state
        .store
        .past_visits(
            today - Duration::days(HISTORY_DAYS),
            today + Duration::days(1),
        )
        .await?
    {
        history.entry(customer).or_default().push(visit);
    }
    let since = state.clock.now() - Duration::days(RECENT_DAYS);
    let breaks: HashMap<Uuid, i64> = state.store.break_counts(since).await?.into_iter().collect();
    let now = state.local_now();
    let mut overdue: HashMap<Uuid, u32> = HashMap::new();
    let open = state
        .store
        .promises(&PromiseFilter {
            status: Some(domain::PromiseStatus::Open),
            due_by: Some(today),
            ..Default::default()
        })
        .await?;
    for p in open.iter().filter(|p| p.is_overdue(now)) {
        *overdue.entry(p.customer_id).or_default() += 1;
    }
    let customers = state
        .store
        .list_customers(&CustomerFilter {
            limit: 100_000,
            ..Default::default()
        })
        .await?;
    let mut inputs = vec![];
    for summary in customers {
        let visits = history.remove(&summary.id).unwrap_or_default();
        let customer = state.store.get_customer(summary.id).await?;
        let assigned = customer.and_then(|c| c.assigned_technician_id);
        inputs.push(RiskInputs {
            customer_id: summary.id,
            continuity: Continuity::of(&visits, assigned, CONTINUITY_WINDOW),
            breaks: breaks.get(&summary.id).copied().unwrap_or(0) as u32,
            overdue_promises: overdue.get(&summary.id).copied().unwrap_or(0),
            skipped: visits
                .iter()
                .filter(|v| v.status == VisitStatus::Skipped && v.day >= recent)
                .count() as u32,
            customer_name: summary.name,
        });
    }
    Ok(rank_at_risk(inputs))
}
