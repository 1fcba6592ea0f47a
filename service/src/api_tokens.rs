//! The admin's API tokens, for other systems (accounting, a website form) to use the REST
//! API. A token is shown once, when it is made; only its hash is kept.

use crate::access::admin;
use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use domain::views::TokenRow;
use domain::UserSummary;
use store::password::{new_session_token, token_hash};
use uuid::Uuid;

/// A token starts with this, so one found in a log or a repository is recognisable.
pub const TOKEN_PREFIX: &str = "rapport_";

const FORMAT: &str = "%Y-%m-%d %H:%M";
const MAX_NAME: usize = 100;

/// Every token, live ones first, with times in the organisation's zone (admin).
pub async fn list(state: &AppState, user: &UserSummary) -> ServiceResult<Vec<TokenRow>> {
    admin(user)?;
    let local = |t| state.to_local(t).format(FORMAT).to_string();
    Ok(state
        .store
        .list_api_tokens()
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            made: format!("{} by {}", local(t.created_at), t.created_by_name),
            name: t.name,
            last_used: t.last_used_at.map(local),
            revoked: t.revoked_at.map(local),
        })
        .collect())
}

/// Makes a token named after what will use it and returns it: the only time anyone sees it
/// (admin).
pub async fn make(state: &AppState, user: &UserSummary, name: &str) -> ServiceResult<String> {
    let admin = admin(user)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ServiceError::invalid(format!(
            "Name the token after what will use it (up to {MAX_NAME} characters), e.g. \"Accounts\"."
        )));
    }
    domain::text::check_text("The token name", name).map_err(ServiceError::Invalid)?;
    let token = format!("{TOKEN_PREFIX}{}", new_session_token());
    let now = state.clock.now();
    state
        .store
        .create_api_token(domain::new_id(), name, &token_hash(&token), admin.id, now)
        .await?;
    Ok(token)
}

/// Revokes a token: requests with it are refused at once (admin).
pub async fn revoke(state: &AppState, user: &UserSummary, id: Uuid) -> ServiceResult<()> {
    let admin = admin(user)?;
    let now = state.clock.now();
    state.store.revoke_api_token(id, admin.id, now).await?;
    Ok(())
}
