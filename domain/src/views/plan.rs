//! Service plans as the customer page lists them.

use crate::ServicePlan;
use serde::{Deserialize, Serialize};

/// A plan with its description in words and its technician's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub plan: ServicePlan,
    pub description: String,
    pub technician: Option<String>,
}
