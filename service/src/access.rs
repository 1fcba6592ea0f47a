//! Who may do what: the signed-in person, their role, and the customers they serve.

use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use domain::{Role, UserSummary};
use uuid::Uuid;

/// The user of a live session, put into the request by the server's session gate.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub UserSummary);

/// Roles that run the business and see every customer.
pub const OFFICE_ROLES: &[Role] = &[Role::Office, Role::Admin];

/// The signed-in user, or `Unauthorized`.
pub fn signed_in(user: Option<UserSummary>) -> ServiceResult<UserSummary> {
    user.ok_or(ServiceError::Unauthorized)
}

/// The user if they hold one of these roles, else `Forbidden`.
pub fn require_role(user: Option<UserSummary>, roles: &[Role]) -> ServiceResult<UserSummary> {
    let user = signed_in(user)?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(ServiceError::forbidden())
    }
}

/// The user if they run the business (office or admin), else `Forbidden`.
pub fn office(user: &UserSummary) -> ServiceResult<UserSummary> {
    require_role(Some(user.clone()), OFFICE_ROLES)
}

/// The user if they are the admin, else `Forbidden`.
pub fn admin(user: &UserSummary) -> ServiceResult<UserSummary> {
    require_role(Some(user.clone()), &[Role::Admin])
}

/// The user if they are a technician (their own day, their own calendar), else `Forbidden`.
pub fn technician(user: &UserSummary) -> ServiceResult<UserSummary> {
    require_role(Some(user.clone()), &[Role::Technician])
}

/// Refuses a technician who does not serve this customer; office and admin see everyone. A
/// technician serves the customers they are assigned to or back up, or have a visit with in
/// their window (`domain::sync::window`).
pub async fn require_customer_access(
    state: &AppState,
    user: &UserSummary,
    customer_id: Uuid,
) -> ServiceResult<()> {
    if user.role.sees_all_customers()
        || state
            .store
            .technician_serves(user.id, customer_id, state.today())
            .await?
    {
        Ok(())
    } else {
        Err(ServiceError::forbidden())
    }
}
