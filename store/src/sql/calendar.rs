//! Calendar feed links: which user a secret link belongs to.

use super::Backend;
use super::{next_version, q};
use crate::{CalendarFeeds, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::UserSummary;
use uuid::Uuid;

#[async_trait]
impl CalendarFeeds for Backend {
    async fn set_calendar_token(
        &self,
        user_id: Uuid,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // The organisation's write lock first, as every write does (see `next_version`).
        next_version(&mut tx).await?;
        sqlx::query(q(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,
                created_at = excluded.created_at",
        ))
        .bind(user_id)
        .bind(token_hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn calendar_link_made(&self, user_id: Uuid) -> StoreResult<Option<DateTime<Utc>>> {
        let row: Option<(DateTime<Utc>,)> =
            sqlx::query_as(q("SELECT created_at FROM calendar_feeds WHERE user_id = ?"))
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(at,)| at))
    }

    async fn calendar_owner(&self, token_hash: &str) -> StoreResult<Option<UserSummary>> {
        Ok(sqlx::query_as(q(
            "SELECT u.id, u.email, u.name, u.role FROM calendar_feeds f
             JOIN users u ON u.id = f.user_id
             WHERE f.token_hash = ? AND u.disabled_at IS NULL",
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }
}
