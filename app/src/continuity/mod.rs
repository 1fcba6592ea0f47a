//! Continuity figures and the at-risk list: which relationships are slipping, and why.

use crate::error::AppError;
use crate::layout::LoadError;
use domain::continuity::AtRisk;
use leptos::prelude::*;
use leptos_meta::Title;

/// Customers ranked by risk: faces changing, continuity breaks, overdue promises, skips.
#[server(endpoint = "continuity/at-risk")]
pub async fn at_risk_list() -> Result<Vec<AtRisk>, AppError> {
    ssr::at_risk().await
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::{app_state, require_user};
    use domain::continuity::AtRisk;

    pub async fn at_risk() -> Result<Vec<AtRisk>, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        Ok(service::continuity::at_risk(&state, &user).await?)
    }
}

#[component]
pub fn AtRiskPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| at_risk_list());
    view! {
        <Title text="At risk" />
        <h1>"Customers at risk"</h1>
        <p class="muted">"Ranked by changing faces, continuity breaks, overdue promises and skipped visits."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"No customer is at risk."</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="at-risk card">
                            {list.into_iter().map(|r| view! {
                                <li>
                                    <a class="customer-name" href=format!("/customers/{}", r.customer_id)>{r.customer_name}</a>
                                    <span class="muted">{format!(" · risk {}", r.score)}</span>
                                    <p>{r.reasons.join(" · ")}</p>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
