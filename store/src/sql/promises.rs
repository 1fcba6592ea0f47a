//! The promise ledger and the call log.

use super::audit::{self, Entry};
use super::{next_version, Backend};
use super::{q, Db};
use crate::{Call, NewPromise, PromiseFilter, Promises, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{new_id, Promise, PromiseStatus};
use sqlx::Transaction;
use uuid::Uuid;

pub(super) const PROMISE_COLUMNS: &str = "id, customer_id, owner_id, text, due_on, status, \
     visit_id, closed_at, version, due_time, origin, drop_reason";

/// Inserts a promise inside the caller's transaction (a continuity break or a call makes one
/// together with its own record).
pub(super) async fn insert(
    tx: &mut Transaction<'_, Db>,
    p: &NewPromise,
    at: DateTime<Utc>,
) -> StoreResult<Promise> {
    let version = next_version(tx).await?;
    let promise: Promise = sqlx::query_as(q(&format!(
        "INSERT INTO promises (id, customer_id, owner_id, text, due_on, due_time, origin,
            visit_id, status, created_by_id, created_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)
         RETURNING {PROMISE_COLUMNS}"
    )))
    .bind(p.id)
    .bind(p.customer_id)
    .bind(p.owner_id)
    .bind(p.text.trim())
    .bind(p.due_on)
    .bind(p.due_time)
    .bind(p.origin)
    .bind(p.visit_id)
    .bind(p.created_by)
    .bind(at)
    .bind(version)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::unique_or(e, "That promise already exists."))?;
    let entry = Entry {
        entity: "promise",
        entity_id: promise.id,
        customer_id: Some(promise.customer_id),
        action: "made",
        detail: format!("{} ({})", promise.text, promise.due_label()),
    };
    audit::record(tx, entry, Some(p.created_by), at).await?;
    Ok(promise)
}

#[async_trait]
impl Promises for Backend {
    async fn create_promise(&self, promise: NewPromise, at: DateTime<Utc>) -> StoreResult<Promise> {
        let mut tx = self.pool.begin().await?;
        let promise = insert(&mut tx, &promise, at).await?;
        tx.commit().await?;
        Ok(promise)
    }

    async fn get_promise(&self, id: Uuid) -> StoreResult<Option<Promise>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {PROMISE_COLUMNS} FROM promises WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn close_promise(
        &self,
        id: Uuid,
        status: PromiseStatus,
        drop_reason: Option<String>,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Promise> {
        if status == PromiseStatus::Open {
            return Err(StoreError::Conflict(
                "A promise is closed as kept or dropped, not as open.".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let closed: Option<Promise> = sqlx::query_as(q(&format!(
            "UPDATE promises SET status = ?, drop_reason = ?, closed_at = ?, version = ?
             WHERE id = ? AND status = 'open' RETURNING {PROMISE_COLUMNS}"
        )))
        .bind(status)
        .bind(&drop_reason)
        .bind(at)
        .bind(version)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(promise) = closed else {
            return Err(match self.get_promise(id).await? {
                None => StoreError::NotFound("promise"),
                Some(p) => StoreError::Conflict(format!(
                    "This promise is already {}.",
                    p.status.label().to_lowercase()
                )),
            });
        };
        let entry = Entry {
            entity: "promise",
            entity_id: id,
            customer_id: Some(promise.customer_id),
            action: if status == PromiseStatus::Kept {
                "kept"
            } else {
                "dropped"
            },
            detail: drop_reason.unwrap_or_else(|| promise.text.clone()),
        };
        audit::record(&mut tx, entry, Some(by), at).await?;
        tx.commit().await?;
        Ok(promise)
    }

    async fn promises(&self, f: &PromiseFilter) -> StoreResult<Vec<Promise>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {PROMISE_COLUMNS} FROM promises
             WHERE (?1 IS NULL OR customer_id = ?1) AND (?2 IS NULL OR owner_id = ?2)
               AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR due_on <= ?4)
             ORDER BY due_on, due_time IS NULL, due_time, id"
        )))
        .bind(f.customer_id)
        .bind(f.owner_id)
        .bind(f.status)
        .bind(f.due_by)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn log_call(
        &self,
        customer_id: Uuid,
        summary: String,
        callback: Option<NewPromise>,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Call> {
        let mut tx = self.pool.begin().await?;
        let promise = match &callback {
            Some(p) => Some(insert(&mut tx, p, at).await?),
            None => None,
        };
        let call: Call = sqlx::query_as(q(
            "INSERT INTO calls (id, customer_id, summary, promise_id, by_user_id, at)
             VALUES (?, ?, ?, ?, ?, ?)
             RETURNING id, customer_id, summary, promise_id, by_user_id, at",
        ))
        .bind(new_id())
        .bind(customer_id)
        .bind(summary.trim())
        .bind(promise.as_ref().map(|p| p.id))
        .bind(by)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let entry = Entry {
            entity: "call",
            entity_id: call.id,
            customer_id: Some(customer_id),
            action: "logged",
            detail: call.summary.clone(),
        };
        audit::record(&mut tx, entry, Some(by), at).await?;
        tx.commit().await?;
        Ok(call)
    }

    async fn calls_of(&self, customer_id: Uuid) -> StoreResult<Vec<Call>> {
        Ok(sqlx::query_as(q(
            "SELECT id, customer_id, summary, promise_id, by_user_id, at FROM calls
             WHERE customer_id = ? ORDER BY at DESC",
        ))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
