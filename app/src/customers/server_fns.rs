//! The customer pages' server functions: adapters over `service::customers`, where the rules
//! and the customer page's read model are.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{parse_id, parse_optional_id, signed_in};
use domain::views::CustomerDetail;
use domain::CustomerSummary;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use service::customers;

#[server(endpoint = "customers/list")]
pub async fn list_customers(search: String) -> Result<Vec<CustomerSummary>, AppError> {
    let (state, user) = signed_in()?;
    Ok(customers::list(&state, &user, &search).await?)
}

#[server(endpoint = "customers/get")]
pub async fn get_customer(id: String) -> Result<CustomerDetail, AppError> {
    let (state, user) = signed_in()?;
    let id = parse_id(&id, "customer")?;
    Ok(customers::detail(&state, &user, id).await?)
}

/// Creates a customer (empty `id`) or updates one, then opens its page.
#[server(endpoint = "customers/save")]
pub async fn save_customer(
    id: Option<String>,
    name: String,
    contact_name: String,
    address: String,
    phone: String,
    email: String,
    access_notes: String,
    #[server(default)] version: Option<String>,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let draft = domain::CustomerDraft {
        name,
        contact_name,
        address,
        phone,
        email,
        access_notes,
    };
    let id = parse_optional_id(id.as_deref().unwrap_or_default(), "customer")?;
    // The version the form was filled from; one that cannot be read checks nothing.
    let expected = version.and_then(|v| v.trim().parse::<i64>().ok());
    let customer = customers::save(&state, &user, id, draft, expected).await?;
    leptos_axum::redirect(&format!("/customers/{}", customer.id));
    Ok(())
}

/// Settles a conflicting edit: keep the value the customer has now, or take the phone's.
#[server(endpoint = "customers/settle")]
pub async fn settle_conflict(
    customer_id: String,
    conflict_id: String,
    keep: String,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let customer_id = parse_id(&customer_id, "customer")?;
    let conflict_id = parse_id(&conflict_id, "conflict")?;
    let keep = customers::Keep::parse(&keep)?;
    Ok(customers::settle_conflict(&state, &user, customer_id, conflict_id, keep).await?)
}

/// Sets the customer's assigned technician (the face they know) and backup.
#[server(endpoint = "customers/assign")]
pub async fn assign_technicians(
    customer_id: String,
    assigned: String,
    backup: String,
) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let customer_id = parse_id(&customer_id, "customer")?;
    let assigned = parse_optional_id(&assigned, "technician")?;
    let backup = parse_optional_id(&backup, "technician")?;
    Ok(customers::assign_technicians(&state, &user, customer_id, assigned, backup).await?)
}
