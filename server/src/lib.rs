//! Rapport's server: configuration, start-up, the session gate and health.
#![forbid(unsafe_code)]

pub mod config;
mod health;
mod session;
pub mod setup;
pub mod startup;

pub use config::Config;
pub use startup::Application;
