//! What server functions reach through Leptos's context: the store, the clock, the signed-in
//! user. Server only.

use crate::error::AppError;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use domain::{Role, UserSummary};
use leptos::prelude::*;
use std::sync::Arc;
use store::DynStore;

/// Where "now" comes from. Tests can fix it; the app uses the system clock.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock, to the microsecond: PostgreSQL keeps no finer, so an installation
    /// reads back the same instants whichever database it runs on (and after a copy).
    pub fn system() -> Clock {
        Clock(Arc::new(|| Utc::now().trunc_subsecs(6)))
    }
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }
    /// The system clock plus an offset that tests move forward (`--test-clock`), so a test
    /// can see a promise become overdue without waiting a day.
    pub fn adjustable(offset_seconds: Arc<std::sync::atomic::AtomicI64>) -> Clock {
        Clock(Arc::new(move || {
            let offset = offset_seconds.load(std::sync::atomic::Ordering::SeqCst);
            Utc::now().trunc_subsecs(6) + chrono::Duration::seconds(offset)
        }))
    }
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: DynStore,
    pub clock: Clock,
    /// The organisation's time zone: "today" and service dates are in it.
    pub time_zone: chrono_tz::Tz,
    /// Mark cookies `Secure` (the app is served over TLS).
    pub secure_cookies: bool,
    /// A reverse proxy sets the `X-Forwarded-*` headers (`--trusted-proxy`); otherwise they
    /// are ignored, since any client can send them.
    pub trusted_proxy: bool,
}

impl AppState {
    pub fn today(&self) -> NaiveDate {
        self.clock.now().with_timezone(&self.time_zone).date_naive()
    }

    /// The organisation's wall-clock time now.
    pub fn local_now(&self) -> chrono::NaiveDateTime {
        self.to_local(self.clock.now())
    }

    pub fn to_local(&self, at: DateTime<Utc>) -> chrono::NaiveDateTime {
        at.with_timezone(&self.time_zone).naive_local()
    }

    /// A customer by id, or a 404 a person can read.
    pub async fn customer(&self, id: uuid::Uuid) -> Result<domain::Customer, AppError> {
        self.store
            .get_customer(id)
            .await?
            .ok_or_else(|| with_status(AppError::NotFound("No customer has that id.".into())))
    }

    /// Everyone's name by id, former staff included (their names stay on history).
    pub async fn names(&self) -> Result<std::collections::HashMap<uuid::Uuid, String>, AppError> {
        Ok(self
            .store
            .all_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// An active technician chosen in a form: empty means nobody; anyone else is refused.
    pub async fn technician(&self, raw: &str) -> Result<Option<uuid::Uuid>, AppError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        let id = parse_id(raw, "technician")?;
        // Active ones only: someone who has left can no longer be sent anywhere.
        let active = self.store.list_users(Some(Role::Technician)).await?;
        if active.iter().any(|u| u.id == id) {
            Ok(Some(id))
        } else {
            Err(with_status(AppError::Invalid(
                "Choose one of the technicians.".into(),
            )))
        }
    }
}

/// A date from a form or URL ("2026-03-10"), with a message a person can act on.
pub fn parse_date(raw: &str, what: &str) -> Result<NaiveDate, AppError> {
    let date: NaiveDate = raw.trim().parse().map_err(|_| {
        with_status(AppError::Invalid(format!(
            "{raw:?} is not a date; give the {what} as YYYY-MM-DD."
        )))
    })?;
    if !domain::plausible_date(date) {
        return Err(with_status(AppError::Invalid(format!(
            "{date} is out of range; give a {what} between the years 2000 and 2200."
        ))));
    }
    Ok(date)
}

/// An optional time of day from a form ("17:00"); empty means none.
pub fn parse_time(raw: &str, what: &str) -> Result<Option<chrono::NaiveTime>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .map(Some)
        .map_err(|_| {
            with_status(AppError::Invalid(format!(
                "{raw:?} is not a time; give the {what} as HH:MM."
            )))
        })
}

/// The user of a live session, put into the request by the server's session middleware.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub UserSummary);

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The signed-in user, if there is one.
pub fn current_user() -> Option<UserSummary> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().map(|u| u.0.clone()))
}

pub fn require_user() -> Result<UserSummary, AppError> {
    current_user().ok_or_else(|| with_status(AppError::Unauthorized))
}

/// The signed-in user if they hold one of these roles, else `Forbidden`.
pub fn require_role(roles: &[Role]) -> Result<UserSummary, AppError> {
    let user = require_user()?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(with_status(AppError::forbidden()))
    }
}

pub const OFFICE_ROLES: &[Role] = &[Role::Office, Role::Admin];

/// Refuses a technician who does not serve this customer; office and admin see everyone.
pub async fn require_customer_access(
    state: &AppState,
    user: &UserSummary,
    customer_id: uuid::Uuid,
) -> Result<(), AppError> {
    if user.role.sees_all_customers()
        || state
            .store
            .technician_serves(user.id, customer_id, state.today())
            .await?
    {
        Ok(())
    } else {
        Err(with_status(AppError::forbidden()))
    }
}

/// Parses an id from a URL or form, with a message a person can act on.
pub fn parse_id(raw: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    raw.trim().parse().map_err(|_| {
        with_status(AppError::Invalid(format!(
            "{raw:?} is not a valid {what} id."
        )))
    })
}

/// Sets the response status for an error and passes it on.
pub fn with_status(e: AppError) -> AppError {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(
            http::StatusCode::from_u16(e.status()).unwrap_or(http::StatusCode::BAD_REQUEST),
        );
    }
    e
}
