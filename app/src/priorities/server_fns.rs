use crate::error::AppError;
use domain::Priority;
use leptos::prelude::*;

/// Anyone who serves the customer may add a priority they heard.
#[server(endpoint = "priorities/add")]
pub async fn add_priority(
    customer_id: String,
    text: String,
    pinned: Option<String>,
) -> Result<Priority, AppError> {
    let draft = domain::PriorityDraft {
        text,
        pinned: pinned.is_some(),
    };
    ssr::add(&customer_id, draft).await
}

#[server(endpoint = "priorities/edit")]
pub async fn edit_priority(
    id: String,
    text: String,
    pinned: Option<String>,
) -> Result<Priority, AppError> {
    let draft = domain::PriorityDraft {
        text,
        pinned: pinned.is_some(),
    };
    ssr::edit(&id, draft).await
}

/// Retires a priority that no longer holds; it stays in the history.
#[server(endpoint = "priorities/retire")]
pub async fn retire_priority(id: String) -> Result<Priority, AppError> {
    ssr::retire(&id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::*;
    use domain::{Priority, PriorityDraft};
    use store::NewPriority;

    pub async fn add(customer_id: &str, draft: PriorityDraft) -> Result<Priority, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let customer_id = parse_id(customer_id, "customer")?;
        require_customer_access(&state, &user, customer_id).await?;
        let draft = draft
            .validate()
            .map_err(|m| with_status(AppError::Invalid(m)))?;
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

    /// Loads a priority the user may change, or refuses.
    async fn editable(
        state: &AppState,
        raw_id: &str,
    ) -> Result<(Priority, domain::UserSummary), AppError> {
        let user = require_user()?;
        let id = parse_id(raw_id, "priority")?;
        let priority = state.store.get_priority(id).await?.ok_or_else(|| {
            with_status(AppError::NotFound("That priority does not exist.".into()))
        })?;
        require_customer_access(state, &user, priority.customer_id).await?;
        Ok((priority, user))
    }

    pub async fn edit(raw_id: &str, draft: PriorityDraft) -> Result<Priority, AppError> {
        let state = app_state()?;
        let (priority, user) = editable(&state, raw_id).await?;
        let draft = draft
            .validate()
            .map_err(|m| with_status(AppError::Invalid(m)))?;
        let now = state.clock.now();
        Ok(state
            .store
            .edit_priority(priority.id, draft, user.id, now)
            .await?)
    }

    pub async fn retire(raw_id: &str) -> Result<Priority, AppError> {
        let state = app_state()?;
        let (priority, user) = editable(&state, raw_id).await?;
        let now = state.clock.now();
        Ok(state
            .store
            .retire_priority(priority.id, user.id, now)
            .await?)
    }
}
