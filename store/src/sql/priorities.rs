use super::{next_version, Backend};
use super::{q, Db};
use crate::{NewPriority, Priorities, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{new_id, Priority, PriorityDraft, Role};
use sqlx::{QueryBuilder, Transaction};
use uuid::Uuid;

pub(super) const PRIORITY_SELECT: &str =
    "SELECT p.id, p.customer_id, p.text, p.pinned, p.heard_by_id,
        u.name AS heard_by_name, p.heard_role, p.heard_at, p.retired_at, p.version
     FROM priorities p JOIN users u ON u.id = p.heard_by_id";

impl Backend {
    pub(super) async fn priority_in(
        tx: &mut Transaction<'_, Db>,
        id: Uuid,
    ) -> StoreResult<Option<Priority>> {
        Ok(
            sqlx::query_as(q(&format!("{PRIORITY_SELECT} WHERE p.id = ?")))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?,
        )
    }
}

/// Appends to a priority's history; the history is never rewritten.
pub(super) async fn record_event(
    tx: &mut Transaction<'_, Db>,
    priority: &Priority,
    kind: &str,
    by: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(q(
        "INSERT INTO priority_events (id, priority_id, kind, text, pinned, by_user_id, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    ))
    .bind(new_id())
    .bind(priority.id)
    .bind(kind)
    .bind(&priority.text)
    .bind(priority.pinned)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    let entry = super::audit::Entry {
        entity: "priority",
        entity_id: priority.id,
        customer_id: Some(priority.customer_id),
        action: kind,
        detail: priority.text.clone(),
    };
    super::audit::record(tx, entry, Some(by), at).await
}

/// Adds a priority with its first history event, inside the caller's transaction: the one
/// INSERT for a priority from the office, the API and a phone's push. `None` if the id is
/// taken already; the caller says what that means.
pub(super) async fn insert_priority(
    tx: &mut Transaction<'_, Db>,
    new: &NewPriority,
    version: i64,
) -> StoreResult<Option<Priority>> {
    let inserted = sqlx::query(q(
        "INSERT INTO priorities (id, customer_id, text, pinned, heard_by_id, heard_role,
            heard_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ))
    .bind(new.id)
    .bind(new.customer_id)
    .bind(&new.draft.text)
    .bind(new.draft.pinned)
    .bind(new.heard_by_id)
    .bind(new.heard_role)
    .bind(new.heard_at)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(None);
    }
    let priority = Backend::priority_in(tx, new.id)
        .await?
        .ok_or(StoreError::NotFound("priority"))?;
    record_event(tx, &priority, "added", new.heard_by_id, new.heard_at).await?;
    Ok(Some(priority))
}

/// Adds many priorities heard by one person at one time (the import), each with its first
/// history event and audit entry, a few hundred rows per statement: what [`insert_priority`]
/// does for one, without reading each back. Each is (customer, what was heard, its version).
pub(super) async fn insert_priorities(
    tx: &mut Transaction<'_, Db>,
    (by, role, at): (Uuid, Role, DateTime<Utc>),
    priorities: &[(Uuid, &PriorityDraft, i64)],
) -> StoreResult<()> {
    use super::audit::{record_all, Entry, ROWS_PER_INSERT};
    let rows: Vec<(Uuid, Uuid, &PriorityDraft, i64)> = priorities
        .iter()
        .map(|&(customer_id, draft, version)| (new_id(), customer_id, draft, version))
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Db>::new(
            "INSERT INTO priorities (id, customer_id, text, pinned, heard_by_id, heard_role,
                heard_at, version) ",
        );
        insert.push_values(chunk, |mut row, &(id, customer_id, draft, version)| {
            row.push_bind(id)
                .push_bind(customer_id)
                .push_bind(draft.text.clone())
                .push_bind(draft.pinned)
                .push_bind(by)
                .push_bind(role)
                .push_bind(at)
                .push_bind(version);
        });
        insert
            .build()
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::unique_or(e, "That priority was already added."))?;
        let mut events = QueryBuilder::<Db>::new(
            "INSERT INTO priority_events (id, priority_id, kind, text, pinned, by_user_id, at) ",
        );
        events.push_values(chunk, |mut row, &(id, _, draft, _)| {
            row.push_bind(new_id())
                .push_bind(id)
                .push_bind("added")
                .push_bind(draft.text.clone())
                .push_bind(draft.pinned)
                .push_bind(by)
                .push_bind(at);
        });
        events.build().execute(&mut **tx).await?;
    }
    let entries = rows
        .iter()
        .map(|&(id, customer_id, draft, _)| Entry {
            entity: "priority",
            entity_id: id,
            customer_id: Some(customer_id),
            action: "added",
            detail: draft.text.clone(),
        })
        .collect();
    record_all(tx, entries, by, at).await
}

#[async_trait]
impl Priorities for Backend {
    async fn priorities_of(&self, customer_ids: &[Uuid]) -> StoreResult<Vec<Priority>> {
        let mut all = Vec::new();
        // SQLite caps bound parameters; chunks keep a long route within the cap.
        for chunk in customer_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("{PRIORITY_SELECT} WHERE p.customer_id IN ({marks})");
            let mut query = sqlx::query_as(q(&sql));
            for id in chunk {
                query = query.bind(id);
            }
            let rows: Vec<Priority> = query.fetch_all(&self.pool).await?;
            all.extend(rows);
        }
        Ok(all)
    }

    async fn get_priority(&self, id: Uuid) -> StoreResult<Option<Priority>> {
        Ok(
            sqlx::query_as(q(&format!("{PRIORITY_SELECT} WHERE p.id = ?")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn add_priority(&self, new: NewPriority) -> StoreResult<Priority> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let priority = insert_priority(&mut tx, &new, version)
            .await?
            .ok_or_else(|| StoreError::Conflict("That priority was already added.".into()))?;
        tx.commit().await?;
        Ok(priority)
    }

    async fn edit_priority(
        &self,
        id: Uuid,
        draft: PriorityDraft,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Priority> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let changed = sqlx::query(q("UPDATE priorities SET text = ?, pinned = ?, version = ?
             WHERE id = ? AND retired_at IS NULL"))
        .bind(&draft.text)
        .bind(draft.pinned)
        .bind(version)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound("active priority"));
        }
        let priority = Self::priority_in(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound("priority"))?;
        record_event(&mut tx, &priority, "edited", by, at).await?;
        tx.commit().await?;
        Ok(priority)
    }

    async fn retire_priority(
        &self,
        id: Uuid,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<Priority> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let changed = sqlx::query(q(
            "UPDATE priorities SET retired_at = ?, retired_by_id = ?, version = ?
             WHERE id = ? AND retired_at IS NULL",
        ))
        .bind(at)
        .bind(by)
        .bind(version)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound("active priority"));
        }
        let priority = Self::priority_in(&mut tx, id)
            .await?
            .ok_or(StoreError::NotFound("priority"))?;
        record_event(&mut tx, &priority, "retired", by, at).await?;
        tx.commit().await?;
        Ok(priority)
    }
}
