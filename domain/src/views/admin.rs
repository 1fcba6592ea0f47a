//! The admin's lists: devices that sync and API tokens, with times in the organisation's zone.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One row of the devices page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: Uuid,
    pub owner: String,
    pub label: String,
    pub first_seen: String,
    pub last_seen: String,
    /// When it was signed out, in the organisation's time zone.
    pub signed_out: Option<String>,
}

/// One line of the tokens page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub made: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}
