//! The day board as the office sees it: what the service layer reads and the page shows.

use crate::{Priority, UserSummary, Visit};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One visit on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardStop {
    pub visit: Visit,
    pub customer_name: String,
    /// "arrived 09:12, left 09:47" as synced from the phone, in the organisation's time.
    pub progress: String,
    /// Going to someone other than the customer's assigned technician.
    pub substitute: bool,
}

/// One technician's day (or the unassigned visits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    pub technician_id: Option<Uuid>,
    pub name: String,
    pub stops: Vec<BoardStop>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub date: NaiveDate,
    pub today: NaiveDate,
    pub lanes: Vec<Lane>,
    pub technicians: Vec<UserSummary>,
}

/// What the dispatcher must see before a move is saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MoveCheck {
    pub visit_id: Uuid,
    pub customer_id: Uuid,
    /// Who would go; none leaves the visit unassigned.
    pub technician_id: Option<Uuid>,
    pub date: NaiveDate,
    /// The move sends someone other than the customer's technician.
    pub is_break: bool,
    pub customer_name: String,
    pub assigned_name: Option<String>,
    pub new_name: Option<String>,
    /// "Same technician" wishes first.
    pub priorities: Vec<Priority>,
}
