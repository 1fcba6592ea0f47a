//! A technician's own calendar link: a secret feed of their visits for their phone's calendar
//! app. Only the link's hash is kept, so the link itself is shown once, when it is made.

use crate::access::technician;
use crate::error::ServiceResult;
use crate::state::AppState;
use domain::UserSummary;
use store::password::{new_session_token, token_hash};

/// Where a feed is served: `/api/v1/calendar/<token>.ics`.
pub const FEED_PREFIX: &str = "/api/v1/calendar/";

/// When the technician's current link was made (organisation's time), if they have one.
pub async fn link_made(state: &AppState, user: &UserSummary) -> ServiceResult<Option<String>> {
    let me = technician(user)?;
    let made = state.store.calendar_link_made(me.id).await?;
    Ok(made.map(|at| state.to_local(at).format("%Y-%m-%d %H:%M").to_string()))
}

/// Makes a new link for the technician, at `origin` ("https://host", see [`origin`]), and
/// returns it; the old one stops working.
pub async fn new_link(state: &AppState, user: &UserSummary, origin: &str) -> ServiceResult<String> {
    let me = technician(user)?;
    let token = new_session_token();
    let now = state.clock.now();
    state
        .store
        .set_calendar_token(me.id, &token_hash(&token), now)
        .await?;
    Ok(format!("{origin}{FEED_PREFIX}{token}.ics"))
}

/// `https://host` as the person's browser reached this server, from the request's headers
/// (`header` gives one by lower-case name). The `X-Forwarded-*` headers are believed only from
/// a configured proxy (`--trusted-proxy`): anyone else could make the link point at a server
/// of their choosing.
pub fn origin(state: &AppState, header: impl Fn(&str) -> Option<String>) -> String {
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
