//! Adapters over `service::api_tokens`, where the rules are.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::{parse_id, signed_in};
use domain::views::TokenRow;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use service::api_tokens;

/// Every token, live ones first (admin).
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<Vec<TokenRow>, AppError> {
    let (state, user) = signed_in()?;
    Ok(api_tokens::list(&state, &user).await?)
}

/// Makes a token and returns it: the only time anyone sees it (admin).
#[server(endpoint = "tokens/new")]
pub async fn new_token(name: String) -> Result<String, AppError> {
    let (state, user) = signed_in()?;
    Ok(api_tokens::make(&state, &user, &name).await?)
}

/// Revokes a token: requests with it are refused at once (admin).
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    let (state, user) = signed_in()?;
    let id = parse_id(&id, "token")?;
    Ok(api_tokens::revoke(&state, &user, id).await?)
}
