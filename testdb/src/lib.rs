//! Throwaway databases for tests, so every store and HTTP test runs on both backends: a SQLite
//! file in a temporary folder always, and a fresh PostgreSQL database of its own when
//! `TEST_DATABASE_URL` names a server (dropped again when the test ends).
//!
//! Its own crate, used only as a dev-dependency, so the production store carries no test code.
//! It knows nothing of Rapport's schema: a test opens the store on [`TestDb::url`].
#![forbid(unsafe_code)]

use sqlx::Connection;
use std::sync::Once;

/// The variable naming the PostgreSQL server tests may create databases on.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

pub struct TestDb {
    /// What to pass to `store::connect`.
    pub url: String,
    /// "sqlite" or "postgres", for assertion messages.
    pub backend: &'static str,
    _dir: Option<tempfile::TempDir>,
    /// The server URL and the database to drop afterwards.
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        TestDb {
            url: format!("sqlite://{}", dir.path().join("rapport.db").display()),
            backend: "sqlite",
            _dir: Some(dir),
            postgres: None,
        }
    }

    /// A new, empty database on the server at `server_url`.
    pub async fn postgres(server_url: &str) -> TestDb {
        let name = format!("rapport_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(server_url)
            .await
            .unwrap_or_else(|e| panic!("{TEST_DATABASE_URL}={server_url} is unreachable: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        let _ = admin.close().await;
        TestDb {
            url: with_database(server_url, &name),
            backend: "postgres",
            _dir: None,
            postgres: Some((server_url.to_string(), name)),
        }
    }

    /// SQLite, and PostgreSQL too when `TEST_DATABASE_URL` is set.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        match std::env::var(TEST_DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => dbs.push(TestDb::postgres(&url).await),
            _ => {
                static SAY: Once = Once::new();
                SAY.call_once(|| {
                    eprintln!("note: {TEST_DATABASE_URL} is not set; PostgreSQL runs skipped")
                });
            }
        }
        dbs
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread does the work.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The server URL with its database name replaced.
fn with_database(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server_url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    format!("{base}/{name}{query}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_swapped_in_the_url() {
        let cases = [
            (
                "postgres://127.0.0.1:5432/test",
                "postgres://127.0.0.1:5432/x",
            ),
            (
                "postgres://u@h/test?sslmode=disable",
                "postgres://u@h/x?sslmode=disable",
            ),
            ("postgres://h:5432", "postgres://h:5432/x"),
        ];
        for (url, expected) in cases {
            assert_eq!(super::with_database(url, "x"), expected);
        }
    }
}
