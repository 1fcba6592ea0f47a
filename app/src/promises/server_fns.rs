//! Adapters over `service::promises`, where the rules and the ledger's read models are.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{parse_date, parse_id, parse_optional_id, parse_time, signed_in};
use domain::views::{CustomerLedger, Ledger};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use service::promises;

/// How many promises are overdue: the viewer's own for a technician, everyone's for the office.
#[server(endpoint = "promises/overdue-count")]
pub async fn overdue_count() -> Result<usize, AppError> {
    let (state, user) = signed_in()?;
    Ok(promises::overdue_count(&state, &user).await?)
}

#[server(endpoint = "promises/ledger")]
pub async fn load_ledger() -> Result<Ledger, AppError> {
    let (state, user) = signed_in()?;
    Ok(promises::ledger(&state, &user).await?)
}

#[server(endpoint = "promises/customer")]
pub async fn load_customer_ledger(customer_id: String) -> Result<CustomerLedger, AppError> {
    let (state, user) = signed_in()?;
    let customer_id = parse_id(&customer_id, "customer")?;
    Ok(promises::customer_ledger(&state, &user, customer_id).await?)
}

/// Makes a promise from the customer page.
#[server(endpoint = "promises/add")]
pub async fn add_promise(
    customer_id: String,
    text: String,
    due_on: String,
    #[server(default)] due_time: String,
    owner: String,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let input = promises::PromiseInput {
        customer_id: parse_id(&customer_id, "customer")?,
        text,
        due_on: parse_date(&due_on, "due date")?,
        due_time: parse_time(&due_time, "due time")?,
        owner: parse_optional_id(&owner, "owner")?,
    };
    promises::add(&state, &user, input).await?;
    Ok(())
}

/// Marks a promise kept, or dropped with a reason.
#[server(endpoint = "promises/close")]
pub async fn close_promise(
    id: String,
    outcome: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let id = parse_id(&id, "promise")?;
    let outcome = promises::Outcome::parse(&outcome, &reason)?;
    promises::close(&state, &user, id, outcome).await?;
    Ok(())
}

/// Logs a customer's call; "call back" makes a promise due by the end of the business day.
#[server(endpoint = "promises/call")]
pub async fn log_call(
    customer_id: String,
    summary: String,
    #[server(default)] callback: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let customer_id = parse_id(&customer_id, "customer")?;
    promises::log_call(&state, &user, customer_id, &summary, callback.is_some()).await?;
    Ok(())
}

/// Sets the time of day callbacks are due by (admin).
#[server(endpoint = "promises/cutoff")]
pub async fn set_callback_cutoff(cutoff: String) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let cutoff = promises::parse_cutoff(&cutoff)?;
    Ok(promises::set_callback_cutoff(&state, &user, cutoff).await?)
}
