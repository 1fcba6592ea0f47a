//! Adapters over `service::plans` and `service::visits`, where the rules are.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{parse_date, parse_id, parse_optional_id, parse_time, signed_in};
use leptos::prelude::*;

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
    use domain::plan::{parse_months, parse_weekdays};
    use service::{plans, ServiceError};

    let (state, user) = signed_in()?;
    let input = plans::PlanInput {
        customer_id: parse_id(&customer_id, "customer")?,
        plan_id: parse_optional_id(&plan_id, "plan")?,
        service_type,
        frequency: plans::parse_frequency(&frequency)?,
        // A number that cannot be read is 0, which the range rule refuses with its message.
        interval: interval.trim().parse().unwrap_or(0),
        weekdays: parse_weekdays(&weekdays).map_err(ServiceError::Invalid)?,
        months: parse_months(&months).map_err(ServiceError::Invalid)?,
        window_start: parse_time(&window_start, "window start")?,
        window_end: parse_time(&window_end, "window end")?,
        technician: parse_optional_id(&technician, "technician")?,
        starts_on: parse_date(&starts_on, "start date")?,
        ends_on: if ends_on.trim().is_empty() {
            None
        } else {
            Some(parse_date(&ends_on, "end date")?)
        },
    };
    Ok(plans::save(&state, &user, input).await?)
}

/// Schedules a one-off visit with the customer's own technician.
#[server(endpoint = "visits/add")]
pub async fn add_visit(
    customer_id: String,
    date: String,
    #[server(default)] window_start: String,
    #[server(default)] window_end: String,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let customer_id = parse_id(&customer_id, "customer")?;
    let date = parse_date(&date, "visit day")?;
    let start = parse_time(&window_start, "window start")?;
    let end = parse_time(&window_end, "window end")?;
    service::visits::add_one_off(&state, &user, customer_id, date, start, end).await?;
    Ok(())
}
