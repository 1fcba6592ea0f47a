//! The devices that sync, and signing one out.
//!
//! A device is known from its first sync. Each sync links the session it used to the device
//! (`sessions.device_id`, the latest, and `device_sessions`, every link ever made), so signing
//! a device out revokes every session that was ever on it, also one that later synced under
//! another device id. A signed-out device is refused whatever session it brings, until an
//! admin allows it again; its unsynced changes stay in its outbox until then.

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
        // A signed-out device stays out whatever session it brings: a fresh login on a lost
        // phone must not switch it back on. Nothing is recorded (the transaction is dropped).
        let (revoked,): (Option<DateTime<Utc>>,) =
            sqlx::query_as(q("SELECT revoked_at FROM devices WHERE id = ?"))
                .bind(device_id)
                .fetch_one(&mut *tx)
                .await?;
        if revoked.is_some() {
            return Err(StoreError::Refused(SIGNED_OUT.into()));
        }
        sqlx::query(q("UPDATE devices SET last_seen_at = ? WHERE id = ?"))
            .bind(at)
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
        // Every session that ever synced as this device, wherever it synced since.
        sqlx::query(q("UPDATE sessions SET revoked_at = ?
             WHERE revoked_at IS NULL AND (device_id = ? OR token_hash IN
                 (SELECT token_hash FROM device_sessions WHERE device_id = ?))"))
        .bind(at)
        .bind(device_id)
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

    async fn allow_device(&self, device_id: Uuid, by: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // Its old sessions stay revoked: whoever has the phone must log in on it again.
        let allowed = sqlx::query(q("UPDATE devices SET revoked_at = NULL WHERE id = ?"))
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        if allowed.rows_affected() == 0 {
            return Err(StoreError::NotFound("device"));
        }
        let entry = Entry {
            entity: "device",
            entity_id: device_id,
            customer_id: None,
            action: "allowed again",
            detail: String::new(),
        };
        audit::record(&mut tx, entry, Some(by), at).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// What a signed-out device is told on every sync, until an admin allows it again.
const SIGNED_OUT: &str = "An admin signed this device out of Rapport, so it cannot sync. \
     Ask an admin to allow it again on the Devices page, then log in on it again; the changes \
     it has not synced yet stay on it until then.";

/// Notes that this session is on this device (and when it was last used), keeping every link
/// ever made so that signing the device out finds the session even after it moved on.
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
    if session_hash.is_empty() {
        return Ok(());
    }
    sqlx::query(q(
        "INSERT INTO device_sessions (device_id, token_hash, linked_at)
         VALUES (?, ?, ?) ON CONFLICT (device_id, token_hash) DO NOTHING",
    ))
    .bind(device_id)
    .bind(session_hash)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
