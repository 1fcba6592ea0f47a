//! A customer's priorities, in their own words: who may add, change and retire them.
//!
//! The office pages, the REST API and a technician's phone (through the sync applier, which
//! calls [`check_draft`] inside its transaction) all go through these rules.

use crate::access::require_customer_access;
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use domain::{Priority, PriorityDraft, UserSummary};
use store::NewPriority;
use uuid::Uuid;

/// What a change to a priority sets; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct PriorityPatch {
    pub text: Option<String>,
    pub pinned: Option<bool>,
}

/// The text rule for a priority, wherever it was typed.
pub fn check_draft(draft: PriorityDraft) -> ServiceResult<PriorityDraft> {
    draft.validate().map_err(ServiceError::Invalid)
}

/// Anyone who serves the customer may add a priority they heard.
pub async fn add(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
    draft: PriorityDraft,
) -> ServiceResult<Priority> {
    require_customer_access(state, user, customer_id).await?;
    // Office staff reach every id; say so plainly instead of failing on the foreign key.
    state.customer(customer_id).await?;
    let draft = check_draft(draft)?;
    let new = NewPriority {
        id: domain::new_id(),
        customer_id,
        draft,
        heard_by_id: user.id,
        heard_role: user.role,
        heard_at: state.clock.now(),
    };
    Ok(state.store.add_priority(new).await?)
}

/// A current (not retired) priority the user may change.
async fn current(state: &AppState, user: &UserSummary, id: Uuid) -> ServiceResult<Priority> {
    let priority = state
        .store
        .get_priority(id)
        .await?
        .ok_or_else(|| ServiceError::not_found("That priority does not exist."))?;
    require_customer_access(state, user, priority.customer_id).await?;
    if priority.retired_at.is_some() {
        return Err(ServiceError::not_found(
            "That priority was retired; add it again if it holds once more.",
        ));
    }
    Ok(priority)
}

pub async fn edit(
    state: &AppState,
    user: &UserSummary,
    id: Uuid,
    patch: PriorityPatch,
) -> ServiceResult<Priority> {
    let before = current(state, user, id).await?;
    let draft = check_draft(PriorityDraft {
        text: patch.text.unwrap_or(before.text),
        pinned: patch.pinned.unwrap_or(before.pinned),
    })?;
    let now = state.clock.now();
    Ok(state.store.edit_priority(id, draft, user.id, now).await?)
}

/// Retires a priority that no longer holds; it stays in the history.
pub async fn retire(state: &AppState, user: &UserSummary, id: Uuid) -> ServiceResult<Priority> {
    current(state, user, id).await?;
    let now = state.clock.now();
    Ok(state.store.retire_priority(id, user.id, now).await?)
}

/// A customer's priorities for the office: the current ones in display order, or all of them.
pub async fn of_customer(
    state: &AppState,
    customer_id: Uuid,
    with_retired: bool,
) -> ServiceResult<Vec<Priority>> {
    state.customer(customer_id).await?;
    let all = state.store.priorities_of(&[customer_id]).await?;
    Ok(if with_retired {
        all
    } else {
        domain::priority::for_display(all)
    })
}
