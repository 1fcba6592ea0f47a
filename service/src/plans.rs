//! Service plans: the rules on a plan's fields, saving one and bringing its next weeks of
//! visits in line, and the plans as the customer page lists them.

use crate::access::office;
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::visits::check_window;
use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
use domain::plan::{Frequency, ServicePlan, HORIZON_WEEKS};
use domain::views::PlanLine;
use domain::UserSummary;
use std::collections::HashMap;
use uuid::Uuid;

/// The longest service name.
const MAX_SERVICE_TYPE: usize = 100;

/// A plan as the office fills it in; [`save`] checks every field.
#[derive(Clone, Debug)]
pub struct PlanInput {
    pub customer_id: Uuid,
    /// Empty for a new plan.
    pub plan_id: Option<Uuid>,
    pub service_type: String,
    pub frequency: Frequency,
    /// Every how many weeks or months: 1 to 52.
    pub interval: u32,
    pub weekdays: Vec<Weekday>,
    pub months: Vec<u32>,
    pub window_start: Option<NaiveTime>,
    pub window_end: Option<NaiveTime>,
    /// An active technician, or nobody.
    pub technician: Option<Uuid>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

/// A frequency as a form names it.
pub fn parse_frequency(raw: &str) -> ServiceResult<Frequency> {
    Frequency::parse(raw.trim())
        .ok_or_else(|| ServiceError::invalid("Choose weekly, monthly or seasonal."))
}

/// Creates a plan (no `plan_id`) or edits one (office), then brings its next weeks of visits
/// in line: new dates get visits, dates the plan dropped lose their unstarted visits, and
/// visits already under way or done are never touched. Answers what changed, in words.
pub async fn save(state: &AppState, user: &UserSummary, input: PlanInput) -> ServiceResult<String> {
    let me = office(user)?;
    state.customer(input.customer_id).await?;
    let service_type = input.service_type.trim().to_string();
    if service_type.is_empty() || service_type.chars().count() > MAX_SERVICE_TYPE {
        return Err(ServiceError::invalid(
            "Name the service (up to 100 characters).",
        ));
    }
    domain::text::check_text("The service name", &service_type).map_err(ServiceError::Invalid)?;
    if !(1..=52).contains(&input.interval) {
        return Err(ServiceError::invalid(
            "Repeat every 1 to 52 weeks or months.",
        ));
    }
    if input.frequency == Frequency::Seasonal && input.months.is_empty() {
        return Err(ServiceError::invalid(
            "Choose the months of a seasonal plan, e.g. 3,6,9,12.",
        ));
    }
    check_window(input.window_start, input.window_end)?;
    if input.ends_on.is_some_and(|e| e < input.starts_on) {
        return Err(ServiceError::invalid("The plan must end after it starts."));
    }
    state.require_technicians(input.technician).await?;
    let plan = ServicePlan {
        id: input.plan_id.unwrap_or_else(domain::new_id),
        customer_id: input.customer_id,
        service_type,
        frequency: input.frequency,
        interval: input.interval,
        weekdays: input.weekdays,
        months: input.months,
        window_start: input.window_start,
        window_end: input.window_end,
        technician_id: input.technician,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        version: 0,
    };
    let now = state.clock.now();
    let plan = state.store.save_plan(plan, me.id, now).await?;
    let today = state.today();
    let horizon = today + Duration::weeks(HORIZON_WEEKS);
    let made = state
        .store
        .generate_visits(plan.id, today, horizon, now)
        .await?;
    Ok(format!(
        "Plan saved: {} visits added, {} changed, {} removed.",
        made.created, made.updated, made.removed
    ))
}

/// A customer's plans as the customer page lists them, with their technician's name.
pub async fn lines(
    state: &AppState,
    customer_id: Uuid,
    names: &HashMap<Uuid, String>,
) -> ServiceResult<Vec<PlanLine>> {
    Ok(state
        .store
        .plans_of(customer_id)
        .await?
        .into_iter()
        .map(|plan| PlanLine {
            description: plan.describe(),
            technician: plan.technician_id.and_then(|t| names.get(&t).cloned()),
            plan,
        })
        .collect())
}
