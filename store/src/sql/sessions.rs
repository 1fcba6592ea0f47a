use super::q;
use super::Backend;
use crate::{NewSession, Sessions, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Role, UserSummary};
use uuid::Uuid;

#[async_trait]
impl Sessions for Backend {
    async fn create_session(&self, session: NewSession, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(q(
            "INSERT INTO sessions (token_hash, user_id, user_agent, created_at, last_seen_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        ))
        .bind(&session.token_hash)
        .bind(session.user_id)
        .bind(&session.user_agent)
        .bind(at)
        .bind(at)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>> {
        let row: Option<(Uuid, String, String, Role, DateTime<Utc>)> = sqlx::query_as(q(
            "SELECT u.id, u.email, u.name, u.role, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.revoked_at IS NULL AND u.disabled_at IS NULL",
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        // Expiry is compared here rather than in SQL, so it does not depend on how the
        // database formats instants.
        Ok(row
            .filter(|(.., expires_at)| *expires_at > now)
            .map(|(id, email, name, role, _)| UserSummary {
                id,
                email,
                name,
                role,
            }))
    }

    async fn revoke_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(q(
            "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        ))
        .bind(at)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_login_failure(&self, email: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(q(
            "INSERT INTO login_failures (email, failed_at) VALUES (?, ?)",
        ))
        .bind(email.trim().to_lowercase())
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn login_failures_since(&self, email: &str, since: DateTime<Utc>) -> StoreResult<i64> {
        let times: Vec<(DateTime<Utc>,)> = sqlx::query_as(q(
            "SELECT failed_at FROM login_failures WHERE email = ? ORDER BY id DESC LIMIT 100",
        ))
        .bind(email.trim().to_lowercase())
        .fetch_all(&self.pool)
        .await?;
        Ok(times.iter().filter(|(t,)| *t >= since).count() as i64)
    }

    async fn clear_login_failures(&self, email: &str) -> StoreResult<()> {
        sqlx::query(q("DELETE FROM login_failures WHERE email = ?"))
            .bind(email.trim().to_lowercase())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_login_attempt(
        &self,
        email: &str,
        client: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<i64> {
        // Old failures no longer count for anything: dropping them keeps the table as small
        // as the attempts of the last window.
        sqlx::query(q("DELETE FROM login_failures WHERE failed_at < ?"))
            .bind(forget_before)
            .execute(&self.pool)
            .await?;
        // Committed on its own (no transaction), so that every attempt counted after this
        // one sees it. The email only if it is an account's: no made-up address is stored.
        let (id,): (i64,) =
            sqlx::query_as(q("INSERT INTO login_failures (email, client, failed_at)
             VALUES ((SELECT email FROM users WHERE email = ? AND disabled_at IS NULL), ?, ?)
             RETURNING id"))
            .bind(email.trim().to_lowercase())
            .bind(client)
            .bind(at)
            .fetch_one(&self.pool)
            .await?;
        Ok(id)
    }

    async fn forget_login_attempt(&self, id: i64) -> StoreResult<()> {
        sqlx::query(q("DELETE FROM login_failures WHERE id = ?"))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn client_login_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let times: Vec<(DateTime<Utc>,)> = sqlx::query_as(q(
            "SELECT failed_at FROM login_failures WHERE client = ? ORDER BY id DESC LIMIT 100",
        ))
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        Ok(times.iter().filter(|(t,)| *t >= since).count() as i64)
    }

    async fn clear_client_login_failures(&self, email: &str, client: &str) -> StoreResult<()> {
        sqlx::query(q(
            "DELETE FROM login_failures WHERE email = ? AND client = ?",
        ))
        .bind(email.trim().to_lowercase())
        .bind(client)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        sqlx::query(q(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        ))
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        let (stored,): (String,) = sqlx::query_as(q("SELECT value FROM settings WHERE key = ?"))
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(stored)
    }
}
