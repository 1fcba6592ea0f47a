//! A technician's own calendar link: their visits in their phone's calendar app.

use crate::error::AppError;
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

/// When the signed-in person's current calendar link was made, if they have one (the link
/// itself is shown only once, when it is made: only its hash is kept).
#[server(endpoint = "calendar/status")]
pub async fn calendar_link_made() -> Result<Option<String>, AppError> {
    ssr::made().await
}

/// Makes a new calendar link for the signed-in technician and returns it; the old one stops
/// working.
#[server(endpoint = "calendar/new")]
pub async fn new_calendar_link() -> Result<String, AppError> {
    ssr::make().await
}

/// Where a feed is served: `/api/v1/calendar/<token>.ics`.
pub const FEED_PREFIX: &str = "/api/v1/calendar/";

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::*;
    use domain::Role;
    use store::password::{new_session_token, token_hash};

    pub async fn made() -> Result<Option<String>, AppError> {
        let state = app_state()?;
        let me = require_role(&[Role::Technician])?;
        let made = state.store.calendar_link_made(me.id).await?;
        Ok(made.map(|at| state.to_local(at).format("%Y-%m-%d %H:%M").to_string()))
    }

    pub async fn make() -> Result<String, AppError> {
        let state = app_state()?;
        let me = require_role(&[Role::Technician])?;
        let token = new_session_token();
        let now = state.clock.now();
        state
            .store
            .set_calendar_token(me.id, &token_hash(&token), now)
            .await?;
        Ok(format!(
            "{}{}{token}.ics",
            origin(&state),
            super::FEED_PREFIX
        ))
    }

    /// `https://host` as the person's browser reached this server. The `X-Forwarded-*`
    /// headers are believed only from a configured proxy (`--trusted-proxy`): anyone else could
    /// make the link point at a server of their choosing.
    fn origin(state: &AppState) -> String {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let header = |name: &str| {
            parts
                .as_ref()
                .and_then(|p| p.headers.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let forwarded = |name: &str| header(name).filter(|_| state.trusted_proxy);
        // The first entry: the one the proxy nearest the person's browser set.
        let first = |v: String| v.split(',').next().unwrap_or_default().trim().to_owned();
        let host = forwarded("x-forwarded-host")
            .map(first)
            .or_else(|| header("host"))
            .unwrap_or_else(|| "localhost".into());
        let scheme = forwarded("x-forwarded-proto")
            .map(first)
            .unwrap_or_else(|| {
                if state.secure_cookies {
                    "https"
                } else {
                    "http"
                }
                .into()
            });
        format!("{scheme}://{host}")
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let make = ServerAction::<NewCalendarLink>::new();
    let made = Resource::new(move || make.version().get(), |_| calendar_link_made());
    view! {
        <Title text="Calendar" />
        <h1>"Your visits in your calendar"</h1>
        <p>
            "Subscribe to your own link in your phone's calendar app and your visits appear there, "
            "with the customer's address and what matters to them. It updates by itself; it "
            "cannot change anything in Rapport."
        </p>
        <section class="card" aria-labelledby="link-heading">
            <h2 id="link-heading">"Your calendar link"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match made.await {
                        Err(error) => view! { <LoadError error /> }.into_any(),
                        Ok(None) => view! { <p>"You have no calendar link yet."</p> }.into_any(),
                        Ok(Some(at)) => view! {
                            <p>{format!("Your link was made {at}. Keep it private: anyone with it sees your visits. ")}
                            "Making a new one stops the old one."</p>
                        }.into_any(),
                    }
                })}
            </Transition>
            {move || make.value().get().and_then(Result::ok).map(|url| {
                let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                view! {
                    <div class="form">
                        <label for="calendar-url">"Your new link (shown only now)"</label>
                        <input id="calendar-url" readonly value=url.clone() />
                        <a class="button" href=webcal>"Subscribe in my calendar"</a>
                    </div>
                }
            })}
            <ErrorMessage result=make.value() />
            <ActionForm action=make>
                <button type="submit">"Make a new calendar link"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
