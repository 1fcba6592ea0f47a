//! What every rule runs with: the store, the clock, the organisation's time zone.

use crate::error::{ServiceError, ServiceResult};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::Role;
use std::collections::HashMap;
use store::DynStore;
use uuid::Uuid;

pub use crate::clock::Clock;

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
    pub fn local_now(&self) -> NaiveDateTime {
        self.to_local(self.clock.now())
    }

    pub fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.time_zone).naive_local()
    }

    /// A customer by id, or a 404 a person can read.
    pub async fn customer(&self, id: Uuid) -> ServiceResult<domain::Customer> {
        self.store
            .get_customer(id)
            .await?
            .ok_or_else(|| ServiceError::not_found("No customer has that id."))
    }

    /// Everyone's name by id, former staff included (their names stay on history).
    pub async fn names(&self) -> ServiceResult<HashMap<Uuid, String>> {
        Ok(self
            .store
            .all_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// Refuses anyone named who is not an active technician (forms and API bodies alike).
    pub async fn require_technicians(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> ServiceResult<()> {
        for id in ids {
            if !self.is_active_technician(id).await? {
                return Err(ServiceError::invalid("Choose one of the technicians."));
            }
        }
        Ok(())
    }

    /// Active ones only: someone who has left can no longer be sent anywhere.
    pub async fn is_active_technician(&self, id: Uuid) -> ServiceResult<bool> {
        let active = self.store.list_users(Some(Role::Technician)).await?;
        Ok(active.iter().any(|u| u.id == id))
    }
}
