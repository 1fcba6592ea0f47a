//! The audit trail: who changed what and when, written in the same transaction as the change
//! so the history can never disagree with the data.

use super::Backend;
use super::{q, Db};
use crate::{Audit, AuditEntry, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Transaction};
use uuid::Uuid;

/// One change to one record.
pub(super) struct Entry<'a> {
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub action: &'a str,
    pub detail: String,
}

pub(super) async fn record(
    tx: &mut Transaction<'_, Db>,
    entry: Entry<'_>,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(q(
        "INSERT INTO audit_log (entity, entity_id, customer_id, action, detail, by_user_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    ))
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.customer_id)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rows per multi-row INSERT in bulk writes: 500 rows of up to 8 values stay far below either
/// backend's cap on bound values (SQLite 32 766, PostgreSQL 65 535).
pub(super) const ROWS_PER_INSERT: usize = 500;

/// Records many entries by one person at one time, a few hundred per statement (the import).
pub(super) async fn record_all(
    tx: &mut Transaction<'_, Db>,
    entries: Vec<Entry<'_>>,
    by: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in entries.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Db>::new(
            "INSERT INTO audit_log (entity, entity_id, customer_id, action, detail, by_user_id, at) ",
        );
        insert.push_values(chunk, |mut row, entry| {
            row.push_bind(entry.entity.to_owned())
                .push_bind(entry.entity_id)
                .push_bind(entry.customer_id)
                .push_bind(entry.action.to_owned())
                .push_bind(entry.detail.clone())
                .push_bind(by)
                .push_bind(at);
        });
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

const COLUMNS: &str = "entity, entity_id, action, detail, by_user_id, at";

#[async_trait]
impl Audit for Backend {
    async fn history(&self, entity: &str, entity_id: Uuid) -> StoreResult<Vec<AuditEntry>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id"
        )))
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn customer_history(
        &self,
        customer_id: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE customer_id = ? ORDER BY id DESC LIMIT ?"
        )))
        .bind(customer_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
