//! Rapport's rules, each written once. Server functions (`app`), REST handlers and the sync
//! API (`server`) are adapters: they decode a request, call a function here, and encode its
//! answer. Nothing here knows about Leptos or axum, so a rule is tested without either.
//!
//! One module per domain noun. Every function takes the [`AppState`] and the acting user and
//! answers a [`ServiceError`] whose variant is its HTTP status.
#![forbid(unsafe_code)]

pub mod access;
pub mod api_tokens;
pub mod auth;
pub mod board;
pub mod calendar;
mod clock;
pub mod continuity;
pub mod customers;
pub mod devices;
pub mod error;
pub mod parse;
pub mod plans;
pub mod priorities;
pub mod promises;
pub mod state;
pub mod today;
pub mod visits;

pub use access::{require_customer_access, require_role, signed_in, CurrentUser, OFFICE_ROLES};
pub use clock::Clock;
pub use error::{ServiceError, ServiceResult};
pub use parse::{parse_date, parse_id, parse_optional_id, parse_time};
pub use state::AppState;
