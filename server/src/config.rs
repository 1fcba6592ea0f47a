//! Configuration from the command line and the environment.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "rapport-server",
    about = "Rapport: serves the app and its sync API"
)]
pub struct Config {
    /// Where the data lives: `sqlite://path/to/file.db` (created on first start).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/rapport.db")]
    pub database_url: String,

    /// Address to listen on. Port 0 picks a free port.
    #[arg(long, env = "RAPPORT_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Log filter, e.g. `info` or `server=debug,sqlx=warn`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log: String,

    /// Seed demo data (users, customers, a month of visits) into an empty database.
    #[arg(long, env = "RAPPORT_DEMO", default_value_t = false)]
    pub demo: bool,

    /// The organisation's time zone (IANA name); "today" and service dates are in it.
    /// Stored on first start; later changes of this flag update it.
    #[arg(long, env = "RAPPORT_TIME_ZONE")]
    pub time_zone: Option<String>,

    /// The folder cargo-leptos built the site into (wasm, js, css, public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// Mark the session cookie `Secure`; set this when Rapport is served over HTTPS.
    #[arg(long, env = "RAPPORT_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// For browser tests only: lets `POST /api/test/clock` move the server's clock forward.
    #[arg(long, env = "RAPPORT_TEST_CLOCK", default_value_t = false, hide = true)]
    pub test_clock: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Creates an admin account (password from RAPPORT_ADMIN_PASSWORD or standard input).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Copies this installation's SQLite database (DATABASE_URL) into an empty PostgreSQL
    /// database, keeping every id and version; then start the server with the new URL.
    CopyToPostgres {
        /// The target, e.g. postgres://rapport@db.example/rapport
        #[arg(long)]
        to: String,
    },
}

impl Config {
    /// A configuration for tests: a given database, any free port, fixed defaults.
    pub fn for_tests(database_url: String) -> Config {
        Config {
            database_url,
            listen: "127.0.0.1:0".parse().expect("valid address"),
            log: "warn".into(),
            demo: false,
            time_zone: None,
            site_root: "target/site".into(),
            secure_cookies: false,
            test_clock: false,
            command: None,
        }
    }
}
