//! What the benchmarks share: a fresh database of the backend named on the command line, and
//! a logged-in client.

#![allow(dead_code)] // each example uses what it needs

use testdb::{TestDb, TEST_DATABASE_URL};

/// A fresh, empty database: `sqlite` (a temporary file) or `postgres` (a new database on the
/// server `TEST_DATABASE_URL` names).
pub async fn fresh_db(backend: &str) -> anyhow::Result<TestDb> {
    Ok(match backend {
        "sqlite" => TestDb::sqlite(),
        "postgres" => {
            let url = std::env::var(TEST_DATABASE_URL)
                .map_err(|_| anyhow::anyhow!("set {TEST_DATABASE_URL} for the PostgreSQL run"))?;
            TestDb::postgres(&url).await
        }
        other => anyhow::bail!("backend must be sqlite or postgres, not {other}"),
    })
}

/// A client with a session cookie, logged in as one of the demo people.
pub async fn logged_in(base: &str, email: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    client
        .post(format!("{base}/api/auth/login"))
        .form(&[("email", email), ("password", demo::DEMO_PASSWORD)])
        .send()
        .await?
        .error_for_status()?;
    Ok(client)
}
