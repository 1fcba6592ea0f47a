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
/// How long a session lives: long enough for a phone to stay signed in through days offline.
pub const SESSION_DAYS: i64 = 30;
