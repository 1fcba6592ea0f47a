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

    /// Rapport runs behind a reverse proxy that sets `X-Forwarded-For`, `X-Forwarded-Host` and
    /// `X-Forwarded-Proto` (overwriting what clients send). Without it those headers are
    /// ignored: anyone can send them, so believing them would let a client pick its own address
    /// (and dodge the login throttle) or pass another site's page off as Rapport's.
    #[arg(long, env = "RAPPORT_TRUSTED_PROXY", default_value_t = false)]
    pub trusted_proxy: bool,

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
            trusted_proxy: false,
            test_clock: false,
            command: None,
        }
    }
}

/// A database URL fit for a log or an error message: the password is replaced by `***`
/// (`postgres://user:***@host/db`, also a `password=` query parameter). SQLite paths carry no
/// secret and are returned unchanged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    if scheme.starts_with("sqlite") {
        return url.to_string();
    }
    // Everything before the last `@` is the credentials, whatever it holds: a password may
    // itself contain `@`, `/`, `?` or `#` unencoded, and must not be taken for the path.
    let (credentials, host_and_tail) = match rest.rsplit_once('@') {
        Some((credentials, after)) => (Some(credentials), after),
        None => (None, rest),
    };
    let credentials = match credentials {
        Some(credentials) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{user}:***@"),
            None => format!("{credentials}@"),
        },
        None => String::new(),
    };
    let authority_end = host_and_tail
        .find(['/', '?'])
        .unwrap_or(host_and_tail.len());
    let (host, tail) = host_and_tail.split_at(authority_end);
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{credentials}{host}{tail}")
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn database_passwords_never_reach_the_log() {
        let cases = [
            (
                "postgres://user:secret@host/db",
                "postgres://user:***@host/db",
            ),
            (
                "postgresql://rapport:p%40ss@db.internal:5432/rapport",
                "postgresql://rapport:***@db.internal:5432/rapport",
            ),
            ("postgres://a:b@c@host/db", "postgres://a:***@host/db"),
            (
                "postgres://host/db?user=r&password=secret&sslmode=require",
                "postgres://host/db?user=r&password=***&sslmode=require",
            ),
            ("postgres://user@host/db", "postgres://user@host/db"),
            // Unencoded `/`, `?`, `#` and `@` in a password are still the password.
            ("postgres://u:pa/ss@h/db", "postgres://u:***@h/db"),
            ("postgres://u:p?s#x@h/db", "postgres://u:***@h/db"),
            ("postgres://u:p@ss@h/db", "postgres://u:***@h/db"),
            (
                "postgres://u:pa/ss@h/db?password=x&sslmode=require",
                "postgres://u:***@h/db?password=***&sslmode=require",
            ),
            ("postgres://host:5432", "postgres://host:5432"),
            ("sqlite://data/rapport.db", "sqlite://data/rapport.db"),
            ("sqlite:///srv/a@b:c/x.db", "sqlite:///srv/a@b:c/x.db"),
            ("sqlite::memory:", "sqlite::memory:"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }
}
