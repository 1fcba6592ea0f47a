//! HTTP tests: the real server on port 0 with its own temporary SQLite file, driven over HTTP.

mod access;
mod auth;
mod bad_input;
mod calendar;
mod client;
mod customers;
mod headers;
mod helpers;
mod interop;
mod office;
mod priorities;
mod request_log;
mod rest;
mod rest_access;
mod sessions;
#[path = "../support/mod.rs"]
mod support;
mod sync;
mod taint;
mod text_rule;
