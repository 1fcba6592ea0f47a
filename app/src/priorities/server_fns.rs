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

/// Adapters over `service::priorities`, where the rules are.
#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::{app_state, parse_id, require_user};
    use domain::{Priority, PriorityDraft};
    use service::priorities::{self, PriorityPatch};

    pub async fn add(customer_id: &str, draft: PriorityDraft) -> Result<Priority, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let customer_id = parse_id(customer_id, "customer")?;
        Ok(priorities::add(&state, &user, customer_id, draft).await?)
    }

    pub async fn edit(raw_id: &str, draft: PriorityDraft) -> Result<Priority, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let patch = PriorityPatch {
            text: Some(draft.text),
            pinned: Some(draft.pinned),
        };
        Ok(priorities::edit(&state, &user, parse_id(raw_id, "priority")?, patch).await?)
    }

    pub async fn retire(raw_id: &str) -> Result<Priority, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        Ok(priorities::retire(&state, &user, parse_id(raw_id, "priority")?).await?)
    }
}
