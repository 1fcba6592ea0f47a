//! REST API tokens: made and revoked by an admin, each acting for the admin who made it.

use super::audit::{self, Entry};
use super::Backend;
use super::{next_version, q};
use crate::{ApiToken, ApiTokens, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::UserSummary;
use uuid::Uuid;

fn entry(id: Uuid, action: &str, name: String) -> Entry<'_> {
    Entry {
        entity: "api_token",
        entity_id: id,
        customer_id: None,
        action,
        detail: name,
    }
}

#[async_trait]
impl ApiTokens for Backend {
    async fn create_api_token(
        &self,
        id: Uuid,
        name: &str,
        token_hash: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // The organisation's write lock first, as every write does (see `next_version`).
        next_version(&mut tx).await?;
        sqlx::query(q(
            "INSERT INTO api_tokens (id, name, token_hash, created_by, created_at)
             VALUES (?, ?, ?, ?, ?)",
        ))
        .bind(id)
        .bind(name)
        .bind(token_hash)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            entry(id, "created", name.to_string()),
            Some(by),
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_api_tokens(&self) -> StoreResult<Vec<ApiToken>> {
        Ok(sqlx::query_as(q(
            "SELECT t.id, t.name, u.name AS created_by_name, t.created_at, t.last_used_at,
                t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.created_by
             ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id",
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn revoke_api_token(&self, id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        next_version(&mut tx).await?;
        let name: Option<(String,)> = sqlx::query_as(q(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL
             RETURNING name",
        ))
        .bind(at)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((name,)) = name else {
            return Err(StoreError::NotFound("API token"));
        };
        audit::record(&mut tx, entry(id, "revoked", name), Some(by), at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn api_token_user(
        &self,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<UserSummary>> {
        let found: Option<(
            Uuid,
            Option<DateTime<Utc>>,
            Uuid,
            String,
            String,
            domain::Role,
        )> = sqlx::query_as(q(
            "SELECT t.id, t.last_used_at, u.id, u.email, u.name, u.role
                 FROM api_tokens t JOIN users u ON u.id = t.created_by
                 WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL
                   AND u.role = 'admin'",
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some((token_id, last_used, id, email, name, role)) = found else {
            return Ok(None);
        };
        // "Last used" to the minute is enough, and spares a write per request.
        if last_used.is_none_or(|t| at - t > Duration::minutes(1)) {
            // Only a note for the admin's list: a busy database must not refuse the request.
            let noted = sqlx::query(q("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"))
                .bind(at)
                .bind(token_id)
                .execute(&self.pool)
                .await;
            if let Err(e) = noted {
                tracing::warn!(error = %e, "could not note an API token's use");
            }
        }
        Ok(Some(UserSummary {
            id,
            email,
            name,
            role,
        }))
    }
}
