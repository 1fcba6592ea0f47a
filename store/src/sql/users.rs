use super::q;
use super::Backend;
use crate::{NewUser, StoreError, StoreResult, Users};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{new_id, Role, UserSummary};
use uuid::Uuid;

const USER_COLUMNS: &str = "id, email, name, role";
/// The settings row whose insertion decides which setup request creates the first admin.
const FIRST_ADMIN_GUARD: &str = "first_admin_created_at";

#[async_trait]
impl Users for Backend {
    async fn create_user(&self, user: NewUser, at: DateTime<Utc>) -> StoreResult<UserSummary> {
        let id = new_id();
        let email = user.email.trim().to_lowercase();
        sqlx::query(q(
            "INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        ))
        .bind(id)
        .bind(&email)
        .bind(user.name.trim())
        .bind(user.role)
        .bind(&user.password_hash)
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            StoreError::unique_or(e, format!("A user with email {email} already exists."))
        })?;
        Ok(UserSummary {
            id,
            email,
            name: user.name.trim().to_string(),
            role: user.role,
        })
    }

    async fn user_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = sqlx::query_as(q("SELECT COUNT(*) FROM users"))
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    async fn create_first_admin(
        &self,
        user: NewUser,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>> {
        let mut tx = self.pool.begin().await?;
        // The guard row is written first: a second transaction's insert of the same key waits
        // for the first to finish (PostgreSQL's unique index; SQLite's one writer) and then
        // inserts nothing. Counting users alone would let both see none and both create one.
        let guard = sqlx::query(q("INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO NOTHING"))
        .bind(FIRST_ADMIN_GUARD)
        .bind(at.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        if guard.rows_affected() == 0 {
            return Ok(None);
        }
        // An installation from before the guard row (or one set up with `create-admin`).
        let (users,): (i64,) = sqlx::query_as(q("SELECT COUNT(*) FROM users"))
            .fetch_one(&mut *tx)
            .await?;
        if users > 0 {
            return Ok(None);
        }
        let id = new_id();
        let email = user.email.trim().to_lowercase();
        sqlx::query(q(
            "INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        ))
        .bind(id)
        .bind(&email)
        .bind(user.name.trim())
        .bind(user.role)
        .bind(&user.password_hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(UserSummary {
            id,
            email,
            name: user.name.trim().to_string(),
            role: user.role,
        }))
    }

    async fn find_login(&self, email: &str) -> StoreResult<Option<(UserSummary, String)>> {
        let row: Option<(Uuid, String, String, Role, String)> =
            sqlx::query_as(q("SELECT id, email, name, role, password_hash FROM users
             WHERE email = ? AND disabled_at IS NULL"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id, email, name, role, hash)| {
            (
                UserSummary {
                    id,
                    email,
                    name,
                    role,
                },
                hash,
            )
        }))
    }

    async fn get_user(&self, id: Uuid) -> StoreResult<Option<UserSummary>> {
        Ok(
            sqlx::query_as(q(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn list_users(&self, role: Option<Role>) -> StoreResult<Vec<UserSummary>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {USER_COLUMNS} FROM users
             WHERE disabled_at IS NULL AND (? IS NULL OR role = ?)
             ORDER BY name"
        )))
        .bind(role)
        .bind(role)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn all_users(&self) -> StoreResult<Vec<UserSummary>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY name"
        )))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn set_user_disabled(
        &self,
        id: Uuid,
        disabled_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let done = sqlx::query(q("UPDATE users SET disabled_at = ? WHERE id = ?"))
            .bind(disabled_at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn set_password(&self, id: Uuid, password_hash: &str) -> StoreResult<()> {
        let done = sqlx::query(q("UPDATE users SET password_hash = ? WHERE id = ?"))
            .bind(password_hash)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }
}
