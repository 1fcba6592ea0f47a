//! The devices that sync, and signing one out.
//!
//! A device is known from its first sync. Each sync links the session it used to the device
//! (`sessions.device_id`), so signing a device out revokes exactly the sessions on it: the
//! phone's next request is refused and it asks its owner to log in again. Its unsynced
//! changes stay in its outbox and go up after that login.

use super::audit::{self, Entry};
use super::Backend;
use super::{q, Db};
use crate::{Devices, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::device::Device;
use sqlx::Transaction;
use uuid::Uuid;

#[async_trait]
impl Devices for Backend {
    async fn register_device(
        &self,
        device_id: Uuid,
        user_id: Uuid,
        session_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // A write first, so the transaction holds SQLite's write lock before it reads.
        sqlx::query(q(
            "INSERT INTO devices (id, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO NOTHING",
        ))
        .bind(device_id)
        .bind(user_id)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let (owner,): (Uuid,) = sqlx::query_as(q("SELECT user_id FROM devices WHERE id = ?"))
            .bind(device_id)
            .fetch_one(&mut *tx)
            .await?;
        if owner != user_id {
            return Err(StoreError::Refused(
                "This device is registered to another user. Log out and in again to reset it."
                    .into(),
            ));
        }
        // A signed-out device syncs again once someone logs in on it: with a live session
        // made after the sign-out. (A request already under way with the old session must
        // not switch it back on.)
        sqlx::query(q("UPDATE devices SET last_seen_at = ?,
                revoked_at = CASE WHEN revoked_at < (SELECT created_at FROM sessions
                    WHERE token_hash = ? AND revoked_at IS NULL) THEN NULL ELSE revoked_at END
             WHERE id = ?"))
        .bind(at)
        .bind(session_hash)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
        link_session(&mut tx, device_id, session_hash, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_devices(&self) -> StoreResult<Vec<Device>> {
        Ok(
            sqlx::query_as(q("SELECT d.id, d.user_id, u.name AS user_name,
                COALESCE((SELECT s.user_agent FROM sessions s WHERE s.device_id = d.id
                          ORDER BY s.last_seen_at DESC LIMIT 1), '') AS user_agent,
                d.created_at AS first_seen_at, d.last_seen_at, d.revoked_at
             FROM devices d JOIN users u ON u.id = d.user_id
             ORDER BY d.last_seen_at DESC, d.id"))
            .fetch_all(&self.pool)
            .await?,
        )
    }

    async fn revoke_device(&self, device_id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let revoked = sqlx::query(q("UPDATE devices SET revoked_at = ? WHERE id = ?"))
            .bind(at)
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::NotFound("device"));
        }
        sqlx::query(q(
            "UPDATE sessions SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
        ))
        .bind(at)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
        let entry = Entry {
            entity: "device",
            entity_id: device_id,
            customer_id: None,
            action: "signed out",
            detail: String::new(),
        };
        audit::record(&mut tx, entry, Some(by), at).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Notes that this session is on this device (and when it was last used).
async fn link_session(
    tx: &mut Transaction<'_, Db>,
    device_id: Uuid,
    session_hash: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(q(
        "UPDATE sessions SET device_id = ?, last_seen_at = ? WHERE token_hash = ?",
    ))
    .bind(device_id)
    .bind(at)
    .bind(session_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
