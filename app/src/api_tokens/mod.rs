//! The admin's API tokens: for other systems (accounting, a website form) to use the REST
//! API. A token is shown once, when it is made; only its hash is kept.

use crate::error::AppError;
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One line of the tokens page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub made: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

/// Every token, live ones first (admin).
#[server(endpoint = "tokens/list")]
pub async fn list_tokens() -> Result<Vec<TokenRow>, AppError> {
    ssr::list().await
}

/// Makes a token and returns it: the only time anyone sees it (admin).
#[server(endpoint = "tokens/new")]
pub async fn new_token(name: String) -> Result<String, AppError> {
    ssr::make(&name).await
}

/// Revokes a token: requests with it are refused at once (admin).
#[server(endpoint = "tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    ssr::revoke(&id).await
}

/// A token starts with this, so one found in a log or a repository is recognisable.
pub const TOKEN_PREFIX: &str = "rapport_";

#[cfg(feature = "ssr")]
mod ssr {
    use super::TokenRow;
    use crate::error::AppError;
    use crate::state::*;
    use domain::Role;
    use store::password::{new_session_token, token_hash};

    const FORMAT: &str = "%Y-%m-%d %H:%M";
    const MAX_NAME: usize = 100;

    pub async fn list() -> Result<Vec<TokenRow>, AppError> {
        let state = app_state()?;
        require_role(&[Role::Admin])?;
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

    pub async fn make(name: &str) -> Result<String, AppError> {
        let state = app_state()?;
        let admin = require_role(&[Role::Admin])?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(AppError::from(ServiceError::Invalid(format!(
                "Name the token after what will use it (up to {MAX_NAME} characters), e.g. \"Accounts\"."
            ))));
        }
        domain::text::check_text("The token name", name).map_err(ServiceError::Invalid)?;
        let token = format!("{}{}", super::TOKEN_PREFIX, new_session_token());
        state
            .store
            .create_api_token(
                domain::new_id(),
                name,
                &token_hash(&token),
                admin.id,
                state.clock.now(),
            )
            .await?;
        Ok(token)
    }

    pub async fn revoke(raw_id: &str) -> Result<(), AppError> {
        let state = app_state()?;
        let admin = require_role(&[Role::Admin])?;
        let id = parse_id(raw_id, "token")?;
        state
            .store
            .revoke_api_token(id, admin.id, state.clock.now())
            .await?;
        Ok(())
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let make = ServerAction::<NewToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (make.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let form = crate::layout::reset_on_success(make);
    view! {
        <Title text="API tokens" />
        <h1>"API tokens"</h1>
        <p class="muted">
            "Other systems use Rapport's REST API with a token (see "
            <a href="/api/v1/openapi.json">"the API's description"</a>
            "). A token can read and change customers, priorities and promises as you can, so "
            "give each system its own and revoke it when it is no longer used."
        </p>
        <section class="card" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">"New token"</h2>
            <ActionForm action=make node_ref=form attr:class="form">
                <label for="token-name">"What will use it"</label>
                <input id="token-name" name="name" required maxlength="100" placeholder="Accounts" />
                <ErrorMessage result=make.value() />
                <button type="submit">"Make a token"</button>
            </ActionForm>
            {move || make.value().get().and_then(Result::ok).map(|token| view! {
                <div class="form">
                    <label for="new-token">"The new token (shown only now; copy it)"</label>
                    <input id="new-token" readonly value=token />
                </div>
            })}
        </section>
        <ErrorMessage result=revoke.value() />
        <Transition fallback=|| view! { <p>"Loading tokens…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p>"No token has been made yet."</p> }.into_any(),
                    Ok(rows) => view! {
                        <ul class="devices card" aria-label="Tokens">
                            {rows.into_iter().map(|row| view! { <TokenLine row revoke /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn TokenLine(row: TokenRow, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let label = format!("Revoke the token {}", row.name);
    let used = row
        .last_used
        .map_or("never used".to_string(), |at| format!("last used {at}"));
    let status = match row.revoked {
        Some(at) => view! { <span>{format!("Revoked {at}")}</span> }.into_any(),
        None => view! {
            <ActionForm action=revoke>
                <input type="hidden" name="id" value=row.id.to_string() />
                <button type="submit" class="secondary" aria-label=label>"Revoke"</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <li>
            <strong>{row.name}</strong>
            <p class="muted">{format!("Made {} · {used}", row.made)}</p>
            {status}
        </li>
    }
}
