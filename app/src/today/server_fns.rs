//! Adapter over `service::today`, where the rule (technicians only) and the route are.

use crate::error::AppError;
use domain::views::DayRoute;
use leptos::prelude::*;

/// The signed-in technician's stops for today (in the organisation's time zone).
#[server(endpoint = "today/route")]
pub async fn today_route() -> Result<DayRoute, AppError> {
    let (state, user) = crate::state::signed_in()?;
    Ok(service::today::today(&state, &user).await?)
}
