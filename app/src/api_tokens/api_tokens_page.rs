use super::{list_tokens, NewToken, RevokeToken, TokenRow};
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

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
