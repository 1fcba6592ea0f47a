//! Slowing down password guessing without letting a stranger lock anyone out.
//!
//! Failures are counted per client address and per account over a window. An address with
//! too many failures (for any accounts) is refused for the window: it cannot keep guessing,
//! but the account's owner elsewhere is not affected. An account with more failures than any
//! one address may make (so from several addresses) is refused too, except from a browser
//! its owner logged in on before (a signed "known device" cookie): the one pattern under
//! which nobody can keep the real user out; the cookie is signed over the user's password
//! hash, so a password reset takes that standing from every browser that had it.
//!
//! Every attempt is stored as a failure before its password is checked (and forgotten if it
//! proves right), so that guesses sent at once count as they are made, not as they are
//! answered. It is stored for the address whatever the email, so that an address is slowed
//! and locked alike for real and made-up emails and the answers do not tell which exist; the
//! email itself is kept only for an account. The store forgets failures after the window.

use crate::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;
use store::password::{new_session_token, token_hash};
use uuid::Uuid;

/// Failures within this window count.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures from one client address (for any accounts) before it must wait out the window.
pub const CLIENT_LOCK_AFTER: i64 = 10;
/// Failures for one account before only known devices may try it. Above what one address can
/// make, so a single address never locks an account.
pub const ACCOUNT_LOCK_AFTER: i64 = 2 * CLIENT_LOCK_AFTER;
/// The settings row holding the key that signs known-device cookies.
const DEVICE_KEY: &str = "login_device_key";

/// What a refused login is told (the same whether the address or the account is locked, so
/// it does not reveal which accounts exist).
pub fn too_many() -> ServiceError {
    ServiceError::TooManyAttempts(format!(
        "Too many failed attempts. Wait {WINDOW_MINUTES} minutes and try again, log in on a \
         device you have used Rapport on before, or ask an admin to reset your password."
    ))
}

/// The bucket a client's failures count in: an IPv4 address, or an IPv6 /64 (one household or
/// machine holds a whole /64, so single IPv6 addresses would be free to rotate through).
pub fn client_key(addr: Option<IpAddr>) -> String {
    match addr {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        // Not served with connection info: every such client shares one bucket.
        None => "unknown".into(),
    }
}

/// A login attempt, recorded as a failure until its password proves right.
pub struct Attempt {
    id: i64,
    /// Failures (and attempts in flight) from this client address before this one.
    pub earlier_client_failures: i64,
}

/// Records the attempt (as a failure, until [`succeeded`]), then counts the recent failures
/// of this client address and this account, this attempt and those in flight included: of
/// any number of guesses sent at once, at most [`CLIENT_LOCK_AFTER`] get their password
/// checked. A locked attempt is forgotten again (a refused try is no failure of the
/// account's) and refused.
pub async fn begin(
    state: &AppState,
    email: &str,
    client: &str,
    known_device: bool,
    now: DateTime<Utc>,
) -> ServiceResult<Attempt> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let id = state
        .store
        .record_login_attempt(email, client, now, since)
        .await?;
    let client_failures = state
        .store
        .client_login_failures_since(client, since)
        .await?;
    // Zero for an email that is no account: its rows carry no email.
    let account_failures = state.store.login_failures_since(email, since).await?;
    let locked = !known_device
        && (client_failures > CLIENT_LOCK_AFTER || account_failures > ACCOUNT_LOCK_AFTER);
    if locked {
        state.store.forget_login_attempt(id).await?;
        return Err(too_many());
    }
    Ok(Attempt {
        id,
        earlier_client_failures: client_failures - 1,
    })
}

/// The attempt's password was right: it is no failure.
pub async fn succeeded(state: &AppState, attempt: Attempt) -> ServiceResult<()> {
    state.store.forget_login_attempt(attempt.id).await?;
    Ok(())
}

/// Each recent failure from this address makes its next attempt wait longer.
pub async fn back_off(client_failures: i64) {
    if client_failures > 0 {
        let wait = (100u64 << (client_failures - 1).min(4)).min(1600);
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
}

/// The known-device cookie's value for this user: `<user id>.<signature>`, the signature
/// over the user's current password hash (so a new password makes every old cookie void).
pub async fn device_value(
    state: &AppState,
    user: Uuid,
    password_hash: &str,
) -> ServiceResult<String> {
    let key = device_key(state).await?;
    Ok(format!("{user}.{}", sign(&key, user, password_hash)))
}

/// Whether the request's known-device cookie (its value) is signed for this user and their
/// current password hash.
pub async fn is_known_device(
    state: &AppState,
    device_cookie: Option<&str>,
    user: Uuid,
    password_hash: &str,
) -> ServiceResult<bool> {
    let Some(value) = device_cookie else {
        return Ok(false);
    };
    let Some((id, signature)) = value.split_once('.') else {
        return Ok(false);
    };
    if id.parse::<Uuid>().ok() != Some(user) {
        return Ok(false);
    }
    let key = device_key(state).await?;
    Ok(same(
        signature.as_bytes(),
        sign(&key, user, password_hash).as_bytes(),
    ))
}

/// A keyed hash of the user id and their password hash: only this server can make one, and
/// it changes with the password. Nested, so that SHA-256's length extension gives nothing
/// (the HMAC shape, with the hash this crate already has).
fn sign(key: &str, user: Uuid, password_hash: &str) -> String {
    token_hash(&format!(
        "{key}:{}",
        token_hash(&format!("{key}:{user}:{password_hash}"))
    ))
}

/// Compares in time that does not depend on where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The installation's signing key, made on first use. Kept in the database, so that every
/// instance behind a load balancer knows the same devices.
async fn device_key(state: &AppState) -> ServiceResult<String> {
    if let Some(key) = state.store.setting(DEVICE_KEY).await? {
        return Ok(key);
    }
    // Stored only if there is none yet, and read back: of two instances making one at once,
    // both sign with the one stored first.
    Ok(state
        .store
        .setting_or_insert(DEVICE_KEY, &new_session_token())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(client_key(Some(a)), client_key(Some(b)));
        assert_eq!(client_key(Some(a)), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(Some(mapped)), "192.0.2.7");
        assert_eq!(client_key(None), "unknown");
    }

    #[test]
    fn a_signature_is_bound_to_its_user_and_key() {
        let (u, v) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(sign("k", u, "h"), sign("k", u, "h"));
        assert_ne!(sign("k", u, "h"), sign("k", v, "h"));
        assert_ne!(sign("k", u, "h"), sign("other", u, "h"));
        assert_ne!(sign("k", u, "h"), sign("k", u, "new password's hash"));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"ab", b"abc"));
    }
}
