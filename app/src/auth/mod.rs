//! Logging in and out, and creating the first admin account.

pub mod cookie;
mod pages;
mod server_fns;
#[cfg(feature = "ssr")]
mod ssr;

pub use pages::{LoginPage, SetupPage};
pub use server_fns::*;

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "rapport_session";
/// The cookie by which a browser that logged in before is known (`throttle`): a correct
/// password from it passes the login throttle, so strangers' failures cannot lock its owner out.
pub const DEVICE_COOKIE: &str = "rapport_device";
pub use domain::user::{check_admin, DEVICE_DAYS, MAX_EMAIL_CHARS, MAX_NAME_CHARS, SESSION_DAYS};

#[cfg(feature = "ssr")]
pub use service::auth::ClientAddr;
