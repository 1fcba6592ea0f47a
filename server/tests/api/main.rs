//! HTTP tests: the real server on port 0 with its own temporary SQLite file, driven over HTTP.

mod access;
mod auth;
mod client;
mod customers;
mod helpers;
mod office;
mod priorities;
mod sync;
