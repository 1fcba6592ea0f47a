//! `/api/v1/customers` and their priorities.

use super::created;
use crate::api_error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Id, Office};
use crate::routes::Routes;
use crate::state::ServerState;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::Json;
use domain::{new_id, Customer, CustomerDraft, Priority, PriorityDraft, Role};
use serde::Deserialize;
use service::priorities;
use store::CustomerFilter;
use uuid::Uuid;

pub fn routes() -> Routes {
    const ONE: &str = "/api/v1/customers/{id}";
    const PRIORITIES: &str = "/api/v1/customers/{id}/priorities";
    const PRIORITY: &str = "/api/v1/priorities/{id}";
    Routes::default()
        .at(Method::GET, "/api/v1/customers", "list customers", list)
        .at(
            Method::POST,
            "/api/v1/customers",
            "create customers",
            create,
        )
        .at(Method::GET, ONE, "read customers", one)
        .at(Method::PATCH, ONE, "edit customers", edit)
        .at(Method::GET, PRIORITIES, "read priorities", priorities)
        .at(Method::POST, PRIORITIES, "add priorities", add_priority)
        .at(Method::PATCH, PRIORITY, "edit priorities", edit_priority)
        .at(
            Method::DELETE,
            PRIORITY,
            "retire priorities",
            retire_priority,
        )
}

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    search: String,
    limit: Option<i64>,
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn list(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Vec<Customer>>, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}."
        )));
    }
    let filter = CustomerFilter {
        search: query.search,
        served_by: None,
        limit,
    };
    let store = &state.app.store;
    let ids: Vec<Uuid> = store
        .list_customers(&filter)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    Ok(Json(store.customers_by_ids(&ids).await?))
}

#[tracing::instrument(skip_all, fields(user = %user.id, customer = %id))]
pub async fn one(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Customer>,
) -> Result<Json<Customer>, ApiError> {
    Ok(Json(customer(&state, id).await?))
}

async fn customer(state: &ServerState, id: Uuid) -> Result<Customer, ApiError> {
    state
        .app
        .store
        .get_customer(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no customer with that id.".into()))
}

/// A new customer; the technicians must be active technicians.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    name: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    access_notes: String,
    assigned_technician_id: Option<Uuid>,
    backup_technician_id: Option<Uuid>,
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create(
    State(state): State<ServerState>,
    Office(user): Office,
    ApiJson(new): ApiJson<NewCustomer>,
) -> Result<axum::response::Response, ApiError> {
    let draft = CustomerDraft {
        name: new.name,
        contact_name: new.contact_name,
        address: new.address,
        phone: new.phone,
        email: new.email,
        access_notes: new.access_notes,
    }
    .validate()
    .map_err(ApiError::BadRequest)?;
    let (assigned, backup) =
        technicians(&state, new.assigned_technician_id, new.backup_technician_id).await?;
    let now = state.app.clock.now();
    let store = &state.app.store;
    let mut customer = store
        .create_customer(new_id(), draft, assigned, Some(user.id), now)
        .await?;
    if backup.is_some() {
        customer = store
            .set_technicians(customer.id, assigned, backup, Some(user.id), now)
            .await?;
    }
    Ok(created(
        format!("/api/v1/customers/{}", customer.id),
        customer,
    ))
}

/// Checks that named technicians work here now, and are two people.
async fn technicians(
    state: &ServerState,
    assigned: Option<Uuid>,
    backup: Option<Uuid>,
) -> Result<(Option<Uuid>, Option<Uuid>), ApiError> {
    check_technicians(state, assigned, backup).await?;
    if assigned.is_some() && assigned == backup {
        return Err(ApiError::BadRequest(
            "The assigned and the backup technician must be two people.".into(),
        ));
    }
    Ok((assigned, backup))
}

/// Each technician named is an active technician.
async fn check_technicians(
    state: &ServerState,
    assigned: Option<Uuid>,
    backup: Option<Uuid>,
) -> Result<(), ApiError> {
    let active = state.app.store.list_users(Some(Role::Technician)).await?;
    for (id, what) in [
        (assigned, "assigned_technician_id"),
        (backup, "backup_technician_id"),
    ] {
        if let Some(id) = id {
            if !active.iter().any(|t| t.id == id) {
                return Err(ApiError::BadRequest(format!(
                    "{what}: {id} is not an active technician."
                )));
            }
        }
    }
    Ok(())
}

/// Fields to change; the others stay. `version`, when given, must be the customer's current
/// version, so an edit made on an old copy is refused (409) instead of overwriting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    name: Option<String>,
    contact_name: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    access_notes: Option<String>,
    /// `null` takes the technician off; absent leaves them.
    #[serde(default, with = "double_option")]
    assigned_technician_id: Option<Option<Uuid>>,
    #[serde(default, with = "double_option")]
    backup_technician_id: Option<Option<Uuid>>,
    version: Option<i64>,
}

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer};
    use uuid::Uuid;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Uuid>>, D::Error> {
        Option::<Uuid>::deserialize(d).map(Some)
    }
}

#[tracing::instrument(skip_all, fields(user = %user.id, customer = %id))]
pub async fn edit(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Customer>,
    ApiJson(patch): ApiJson<CustomerPatch>,
) -> Result<Json<Customer>, ApiError> {
    let before = customer(&state, id).await?;
    let store = &state.app.store;
    let now = state.app.clock.now();
    // Everything is checked before anything is written: a refused PATCH changes nothing.
    let technicians_change = match (patch.assigned_technician_id, patch.backup_technician_id) {
        (None, None) => None,
        (assigned, backup) => {
            let newly = |chosen: Option<Option<Uuid>>| chosen.flatten();
            // Only the technicians the PATCH names must be active (one who has left may stay).
            check_technicians(&state, newly(assigned), newly(backup)).await?;
            let assigned = assigned.unwrap_or(before.assigned_technician_id);
            let backup = backup.unwrap_or(before.backup_technician_id);
            if assigned.is_some() && assigned == backup {
                return Err(ApiError::BadRequest(
                    "The assigned and the backup technician must be two people.".into(),
                ));
            }
            Some((assigned, backup))
        }
    };
    let fields = [
        &patch.name,
        &patch.contact_name,
        &patch.address,
        &patch.phone,
        &patch.email,
        &patch.access_notes,
    ];
    let draft = if fields.iter().any(|f| f.is_some()) {
        let pick = |new: &Option<String>, old: &String| new.clone().unwrap_or_else(|| old.clone());
        let draft = CustomerDraft {
            name: pick(&patch.name, &before.name),
            contact_name: pick(&patch.contact_name, &before.contact_name),
            address: pick(&patch.address, &before.address),
            phone: pick(&patch.phone, &before.phone),
            email: pick(&patch.email, &before.email),
            access_notes: pick(&patch.access_notes, &before.access_notes),
        }
        .validate()
        .map_err(ApiError::BadRequest)?;
        Some(draft)
    } else {
        None
    };
    if patch.version.is_some_and(|v| v != before.version) {
        return Err(ApiError::Conflict(
            "This customer changed since that version; read it again, then edit.".into(),
        ));
    }
    let mut after = before.clone();
    if let Some(draft) = draft {
        after = store
            .update_customer(id, draft, patch.version, Some(user.id), now)
            .await?;
    }
    if let Some((assigned, backup)) = technicians_change {
        after = store
            .set_technicians(id, assigned, backup, Some(user.id), now)
            .await?;
    }
    Ok(Json(after))
}

#[derive(Deserialize)]
pub struct PriorityQuery {
    #[serde(default)]
    retired: bool,
}

#[tracing::instrument(skip_all, fields(user = %user.id, customer = %id))]
pub async fn priorities(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Customer>,
    ApiQuery(query): ApiQuery<PriorityQuery>,
) -> Result<Json<Vec<Priority>>, ApiError> {
    Ok(Json(
        priorities::of_customer(&state.app, id, query.retired).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPriorityBody {
    text: String,
    #[serde(default)]
    pinned: bool,
}

#[tracing::instrument(skip_all, fields(user = %user.id, customer = %customer_id))]
pub async fn add_priority(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(customer_id, _): Id<Customer>,
    ApiJson(new): ApiJson<NewPriorityBody>,
) -> Result<axum::response::Response, ApiError> {
    let draft = PriorityDraft {
        text: new.text,
        pinned: new.pinned,
    };
    let priority = priorities::add(&state.app, &user, customer_id, draft).await?;
    Ok(created(
        format!("/api/v1/priorities/{}", priority.id),
        priority,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityPatch {
    text: Option<String>,
    pinned: Option<bool>,
}

#[tracing::instrument(skip_all, fields(user = %user.id, priority = %id))]
pub async fn edit_priority(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Priority>,
    ApiJson(PriorityPatch { text, pinned }): ApiJson<PriorityPatch>,
) -> Result<Json<Priority>, ApiError> {
    let patch = priorities::PriorityPatch { text, pinned };
    Ok(Json(priorities::edit(&state.app, &user, id, patch).await?))
}

#[tracing::instrument(skip_all, fields(user = %user.id, priority = %id))]
pub async fn retire_priority(
    State(state): State<ServerState>,
    Office(user): Office,
    Id(id, _): Id<Priority>,
) -> Result<StatusCode, ApiError> {
    priorities::retire(&state.app, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
