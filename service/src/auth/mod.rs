//! Signing in and out, and the first admin: password checks, the login throttle and sessions.
//! The adapter (`app::auth`) reads the request's cookies and sets the answer's; everything it
//! decides is here.

mod throttle;

pub use throttle::client_key;

use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use chrono::Duration;
use domain::user::{check_admin, SESSION_DAYS};
use domain::{Role, UserSummary};
use std::net::IpAddr;
use std::sync::OnceLock;
use store::password::{check_new_password, hash_password, new_session_token, token_hash};
use store::{NewSession, NewUser};

/// The address a request came from, put into the request by the server's session gate: the
/// connection's peer, or behind a configured proxy (`--trusted-proxy`) the address it passed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// What a login form sent, with what the request says about where it came from.
pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub password: String,
    pub client: Option<IpAddr>,
    /// The value of the browser's known-device cookie, if it has one.
    pub device_cookie: Option<&'a str>,
    pub user_agent: &'a str,
}

/// A new session: its token goes into the session cookie, `device` (when set) into the
/// known-device cookie.
pub struct SignedIn {
    pub user: UserSummary,
    pub session_token: String,
    pub device: Option<String>,
}

pub async fn login(state: &AppState, attempt: LoginAttempt<'_>) -> ServiceResult<SignedIn> {
    let email = attempt.email.trim().to_lowercase();
    if email.is_empty() || attempt.password.is_empty() {
        return Err(ServiceError::invalid("Enter your email and password."));
    }
    let now = state.clock.now();
    let client = client_key(attempt.client);
    let found = state.store.find_login(&email).await?;
    let known_device = match &found {
        Some((user, hash)) => {
            throttle::is_known_device(state, attempt.device_cookie, user.id, hash).await?
        }
        None => false,
    };
    // Recorded as a failure before the password is checked, so guesses sent at once count.
    let recorded = throttle::begin(state, &email, &client, known_device, now).await?;
    throttle::back_off(recorded.earlier_client_failures).await;
    let Some((user, hash)) = check_password(found, attempt.password).await? else {
        // The attempt stays recorded as a failure. The same words whether the email or the
        // password was wrong.
        return Err(ServiceError::invalid(
            "That email and password do not match an account.",
        ));
    };
    throttle::succeeded(state, recorded).await?;
    state
        .store
        .clear_client_login_failures(&email, &client)
        .await?;
    let session_token = start_session(state, &user, attempt.user_agent).await?;
    // This browser is now known to be its owner's: strangers' failures will not keep it out
    // (until the password changes).
    let device = Some(throttle::device_value(state, user.id, &hash).await?);
    Ok(SignedIn {
        user,
        session_token,
        device,
    })
}

/// Verifies the password off the async threads. An unknown email is checked against a dummy
/// hash so that it takes as long as a wrong password and does not reveal which it was. Gives
/// the user and their password hash if the password is right.
async fn check_password(
    found: Option<(UserSummary, String)>,
    password: String,
) -> ServiceResult<Option<(UserSummary, String)>> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = match &found {
        Some((_, hash)) => hash.clone(),
        None => DUMMY
            .get_or_init(|| hash_password("not a real password"))
            .clone(),
    };
    let ok =
        tokio::task::spawn_blocking(move || store::password::verify_password(&password, &hash))
            .await
            .map_err(|_| ServiceError::Internal)?;
    Ok(found.filter(|_| ok))
}

/// Opens a session and gives its token (only its hash is stored).
async fn start_session(
    state: &AppState,
    user: &UserSummary,
    user_agent: &str,
) -> ServiceResult<String> {
    let token = new_session_token();
    let now = state.clock.now();
    let session = NewSession {
        token_hash: token_hash(&token),
        user_id: user.id,
        user_agent: user_agent.chars().take(200).collect(),
        expires_at: now + Duration::days(SESSION_DAYS),
    };
    state.store.create_session(session, now).await?;
    Ok(token)
}

/// Ends the session with this token, if there is one.
pub async fn logout(state: &AppState, session_token: Option<&str>) -> ServiceResult<()> {
    if let Some(token) = session_token {
        state
            .store
            .revoke_session(&token_hash(token), state.clock.now())
            .await?;
    }
    Ok(())
}

/// What the setup page sent for the first admin.
pub struct FirstAdmin<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: String,
    pub user_agent: &'a str,
}

/// Creates the first admin and signs them in; refused once anyone has an account, or to
/// someone already signed in.
pub async fn create_first_admin(
    state: &AppState,
    signed_in: bool,
    form: FirstAdmin<'_>,
) -> ServiceResult<SignedIn> {
    let already =
        || ServiceError::Forbidden("This Rapport already has an admin. Log in instead.".into());
    // A quick answer for the common case; the store decides for good (below).
    if state.store.user_count().await? > 0 || signed_in {
        return Err(already());
    }
    let (name, email) = check_admin(form.name, form.email).map_err(ServiceError::Invalid)?;
    check_new_password(&form.password).map_err(ServiceError::Invalid)?;
    let password = form.password;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ServiceError::Internal)?;
    let new = NewUser {
        email,
        name,
        role: Role::Admin,
        password_hash,
    };
    // Atomic: of several first visitors at once, exactly one becomes the admin.
    let Some(user) = state
        .store
        .create_first_admin(new, state.clock.now())
        .await?
    else {
        return Err(already());
    };
    let session_token = start_session(state, &user, form.user_agent).await?;
    Ok(SignedIn {
        user,
        session_token,
        device: None,
    })
}
