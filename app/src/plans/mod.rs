//! Service plans on the customer page, and one-off visits.

mod card;

pub use card::{OneOffVisitForm, PlansCard};

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A plan as the customer page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub plan: domain::ServicePlan,
    pub description: String,
    pub technician: Option<String>,
}

/// Creates a plan (empty `plan_id`) or edits one, then brings its next weeks of visits in line:
/// new dates get visits, dates the plan dropped lose their unstarted visits, and visits already
/// under way or done are never touched.
#[server(endpoint = "plans/save")]
pub async fn save_plan(
    customer_id: String,
    #[server(default)] plan_id: String,
    service_type: String,
    frequency: String,
    interval: String,
    #[server(default)] weekdays: String,
    #[server(default)] months: String,
    #[server(default)] window_start: String,
    #[server(default)] window_end: String,
    #[server(default)] technician: String,
    starts_on: String,
    #[server(default)] ends_on: String,
) -> Result<String, AppError> {
    ssr::save(ssr::PlanForm {
        customer_id,
        plan_id,
        service_type,
        frequency,
        interval,
        weekdays,
        months,
        window_start,
        window_end,
        technician,
        starts_on,
        ends_on,
    })
    .await
}

/// Schedules a one-off visit with the customer's own technician.
#[server(endpoint = "visits/add")]
pub async fn add_visit(
    customer_id: String,
    date: String,
    #[server(default)] window_start: String,
    #[server(default)] window_end: String,
) -> Result<(), AppError> {
    ssr::add_visit(&customer_id, &date, &window_start, &window_end).await
}

#[cfg(feature = "ssr")]
pub use ssr::plan_lines;

#[cfg(feature = "ssr")]
mod ssr {
    use super::PlanLine;
    use crate::error::AppError;
    use crate::state::*;
    use chrono::Duration;
    use domain::plan::{parse_months, parse_weekdays, Frequency, ServicePlan, HORIZON_WEEKS};
    use std::collections::HashMap;
    use uuid::Uuid;

    pub struct PlanForm {
        pub customer_id: String,
        pub plan_id: String,
        pub service_type: String,
        pub frequency: String,
        pub interval: String,
        pub weekdays: String,
        pub months: String,
        pub window_start: String,
        pub window_end: String,
        pub technician: String,
        pub starts_on: String,
        pub ends_on: String,
    }

    fn invalid(message: impl Into<String>) -> AppError {
        AppError::from(ServiceError::Invalid(message.into()))
    }

    pub async fn save(f: PlanForm) -> Result<String, AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let customer_id = parse_id(&f.customer_id, "customer")?;
        state.customer(customer_id).await?;
        let id = if f.plan_id.trim().is_empty() {
            domain::new_id()
        } else {
            parse_id(&f.plan_id, "plan")?
        };
        let service_type = f.service_type.trim().to_string();
        if service_type.is_empty() || service_type.chars().count() > 100 {
            return Err(invalid("Name the service (up to 100 characters)."));
        }
        domain::text::check_text("The service name", &service_type).map_err(invalid)?;
        let frequency = Frequency::parse(f.frequency.trim())
            .ok_or_else(|| invalid("Choose weekly, monthly or seasonal."))?;
        let interval: u32 = f
            .interval
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=52).contains(n))
            .ok_or_else(|| invalid("Repeat every 1 to 52 weeks or months."))?;
        let weekdays = parse_weekdays(&f.weekdays).map_err(invalid)?;
        let months = parse_months(&f.months).map_err(invalid)?;
        if frequency == Frequency::Seasonal && months.is_empty() {
            return Err(invalid(
                "Choose the months of a seasonal plan, e.g. 3,6,9,12.",
            ));
        }
        let window_start = parse_time(&f.window_start, "window start")?;
        let window_end = parse_time(&f.window_end, "window end")?;
        if let (Some(s), Some(e)) = (window_start, window_end) {
            if e <= s {
                return Err(invalid("The window must end after it starts."));
            }
        }
        let starts_on = parse_date(&f.starts_on, "start date")?;
        let ends_on = if f.ends_on.trim().is_empty() {
            None
        } else {
            Some(parse_date(&f.ends_on, "end date")?)
        };
        if ends_on.is_some_and(|e| e < starts_on) {
            return Err(invalid("The plan must end after it starts."));
        }
        let plan = ServicePlan {
            id,
            customer_id,
            service_type,
            frequency,
            interval,
            weekdays,
            months,
            window_start,
            window_end,
            technician_id: state.technician(&f.technician).await?,
            starts_on,
            ends_on,
            version: 0,
        };
        let now = state.clock.now();
        let plan = state.store.save_plan(plan, me.id, now).await?;
        let today = state.today();
        let made = state
            .store
            .generate_visits(plan.id, today, today + Duration::weeks(HORIZON_WEEKS), now)
            .await?;
        Ok(format!(
            "Plan saved: {} visits added, {} changed, {} removed.",
            made.created, made.updated, made.removed
        ))
    }

    pub async fn plan_lines(
        state: &AppState,
        customer_id: Uuid,
        names: &HashMap<Uuid, String>,
    ) -> Result<Vec<PlanLine>, AppError> {
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

    pub async fn add_visit(
        raw_customer: &str,
        raw_date: &str,
        start: &str,
        end: &str,
    ) -> Result<(), AppError> {
        let state = app_state()?;
        let me = require_role(OFFICE_ROLES)?;
        let customer_id = parse_id(raw_customer, "customer")?;
        let customer = state.customer(customer_id).await?;
        let date = parse_date(raw_date, "visit day")?;
        if date < state.today() {
            return Err(invalid("Choose today or a day to come."));
        }
        let (window_start, window_end) = (
            parse_time(start, "window start")?,
            parse_time(end, "window end")?,
        );
        if let (Some(s), Some(e)) = (window_start, window_end) {
            if e <= s {
                return Err(invalid("The window must end after it starts."));
            }
        }
        let visit = store::NewVisit {
            id: domain::new_id(),
            plan: None,
            created_by: Some(me.id),
            customer_id,
            technician_id: customer.assigned_technician_id,
            scheduled_on: date,
            window_start,
            window_end,
            // After the day's planned stops; the dispatcher reorders on the board.
            position: 1000,
            status: domain::VisitStatus::Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
        };
        state.store.create_visit(visit, state.clock.now()).await?;
        Ok(())
    }
}
