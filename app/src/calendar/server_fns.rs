//! Adapters over `service::calendar`, where the rules are.

use crate::error::AppError;
use leptos::prelude::*;

/// When the signed-in person's current calendar link was made, if they have one (the link
/// itself is shown only once, when it is made: only its hash is kept).
#[server(endpoint = "calendar/status")]
pub async fn calendar_link_made() -> Result<Option<String>, AppError> {
    let (state, user) = crate::state::signed_in()?;
    Ok(service::calendar::link_made(&state, &user).await?)
}

/// Makes a new calendar link for the signed-in technician and returns it; the old one stops
/// working.
#[server(endpoint = "calendar/new")]
pub async fn new_calendar_link() -> Result<String, AppError> {
    let (state, user) = crate::state::signed_in()?;
    // The link points where the person's browser reached this server.
    let parts = use_context::<http::request::Parts>();
    let header = |name: &str| {
        let value = parts.as_ref()?.headers.get(name)?;
        value.to_str().ok().map(str::to_owned)
    };
    let origin = service::calendar::origin(&state, header);
    Ok(service::calendar::new_link(&state, &user, &origin).await?)
}
