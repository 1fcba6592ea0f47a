//! Rapport's server: configuration, start-up, the session gate and health.
#![forbid(unsafe_code)]

mod api_error;
mod body_limit;
mod calendar;
pub mod config;
mod extract;
mod headers;
mod health;
mod interop;
mod rest;
pub mod routes;
mod service_worker;
mod session;
pub mod setup;
pub mod startup;
pub mod state;
pub mod sync;
mod test_clock;

pub use config::Config;
pub use startup::Application;
