//! Customers: who may list, read and change them, and the rules on a customer's fields and
//! technicians. The customer page's read model is in [`detail`].

mod detail;

pub use detail::detail;

use crate::access::office;
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use domain::{Customer, CustomerDraft, CustomerSummary, UserSummary};
use store::CustomerFilter;
use uuid::Uuid;

/// The most customers one search answers with.
const LIST_LIMIT: i64 = 500;
/// A search longer than this is cut: nobody types more, and the store need not match it.
const MAX_SEARCH: usize = 200;

/// Customers matching a search: everyone's for the office, a technician's own for them.
pub async fn list(
    state: &AppState,
    user: &UserSummary,
    search: &str,
) -> ServiceResult<Vec<CustomerSummary>> {
    let filter = CustomerFilter {
        search: search.chars().take(MAX_SEARCH).collect(),
        served_by: (!user.role.sees_all_customers()).then_some((user.id, state.today())),
        limit: LIST_LIMIT,
    };
    Ok(state.store.list_customers(&filter).await?)
}

/// Creates a customer (no `id`) or updates one (office). `expected_version` is the version the
/// form was filled from: the store refuses to save over a newer one (a phone's edit since).
pub async fn save(
    state: &AppState,
    user: &UserSummary,
    id: Option<Uuid>,
    draft: CustomerDraft,
    expected_version: Option<i64>,
) -> ServiceResult<Customer> {
    let me = office(user)?;
    let draft = draft.validate().map_err(ServiceError::Invalid)?;
    let now = state.clock.now();
    Ok(match id {
        None => {
            state
                .store
                .create_customer(domain::new_id(), draft, None, Some(me.id), now)
                .await?
        }
        Some(id) => {
            state
                .store
                .update_customer(id, draft, expected_version, Some(me.id), now)
                .await?
        }
    })
}

/// Which value a conflicting edit settles on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The value the customer has now (the office's newer edit).
    Current,
    /// The value the phone wrote on an older copy.
    Phone,
}

impl Keep {
    /// A form's choice, or what to send instead.
    pub fn parse(raw: &str) -> ServiceResult<Keep> {
        match raw {
            "current" => Ok(Keep::Current),
            "phone" => Ok(Keep::Phone),
            other => Err(ServiceError::invalid(format!(
                "{other:?} is not a choice; keep \"current\" or \"phone\"."
            ))),
        }
    }
}

/// Settles a conflicting edit (office): keep the value the customer has now, or take the
/// phone's.
pub async fn settle_conflict(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
    conflict_id: Uuid,
    keep: Keep,
) -> ServiceResult<()> {
    let me = office(user)?;
    let take_phone = keep == Keep::Phone;
    state
        .store
        .settle_conflict(
            customer_id,
            conflict_id,
            take_phone,
            me.id,
            state.clock.now(),
        )
        .await?;
    Ok(())
}

/// Sets the customer's assigned technician (the face they know) and backup (office). Both
/// must be active technicians, and two different people.
pub async fn assign_technicians(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
    assigned: Option<Uuid>,
    backup: Option<Uuid>,
) -> ServiceResult<()> {
    let me = office(user)?;
    state
        .require_technicians(assigned.into_iter().chain(backup))
        .await?;
    if assigned.is_some() && assigned == backup {
        return Err(ServiceError::invalid(
            "The backup must be someone other than the assigned technician.",
        ));
    }
    state
        .store
        .set_technicians(
            customer_id,
            assigned,
            backup,
            Some(me.id),
            state.clock.now(),
        )
        .await?;
    Ok(())
}
