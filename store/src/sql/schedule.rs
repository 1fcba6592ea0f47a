//! The day board: every technician's day, and moving visits between days and people.

use super::audit::{self, Entry};
use super::visits::VISIT_COLUMNS;
use super::{next_version, promises, Backend};
use super::{q, Db};
use crate::{ContinuityBreak, Schedule, StoreError, StoreResult, VisitMove};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::continuity::PastVisit;
use domain::{new_id, Visit, VisitStatus};
use sqlx::Transaction;
use uuid::Uuid;

type Tx<'a> = Transaction<'a, Db>;

async fn visit_in(tx: &mut Tx<'_>, id: Uuid) -> StoreResult<Option<Visit>> {
    Ok(sqlx::query_as(q(&format!(
        "SELECT {VISIT_COLUMNS} FROM visits WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Tells `technician`'s next pull to drop the visit. Written before the visit's own new
/// version, so a pull that sees both applies the drop first and the visit (if still theirs)
/// after.
pub(super) async fn record_exit(
    tx: &mut Tx<'_>,
    technician_id: Uuid,
    visit_id: Uuid,
) -> StoreResult<()> {
    let version = next_version(tx).await?;
    sqlx::query(q(
        "INSERT INTO scope_exits (technician_id, visit_id, version) VALUES (?, ?, ?)",
    ))
    .bind(technician_id)
    .bind(visit_id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn name_of(tx: &mut Tx<'_>, user: Option<Uuid>) -> StoreResult<String> {
    let Some(id) = user else {
        return Ok("nobody (unassigned)".into());
    };
    let name: Option<(String,)> = sqlx::query_as(q("SELECT name FROM users WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(name
        .map(|(n,)| n)
        .unwrap_or_else(|| "an unknown user".into()))
}

#[async_trait]
impl Schedule for Backend {
    async fn get_visit(&self, id: Uuid) -> StoreResult<Option<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn visits_on(&self, day: NaiveDate) -> StoreResult<Vec<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE scheduled_on = ?
             ORDER BY technician_id, position, window_start IS NULL, window_start, id"
        )))
        .bind(day)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn move_visit(&self, mv: VisitMove, at: DateTime<Utc>) -> StoreResult<Visit> {
        if mv.continuity_break.is_some() && mv.technician_id.is_none() {
            return Err(StoreError::Conflict(
                "A continuity break needs the technician who is going instead.".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        // The write lock first, before any read (see `next_version`).
        next_version(&mut tx).await?;
        let Some(before) = visit_in(&mut tx, mv.visit_id).await? else {
            return Err(StoreError::NotFound("visit"));
        };
        if before.status != VisitStatus::Scheduled {
            return Err(StoreError::Conflict(format!(
                "This visit is already {}; it can no longer be moved.",
                before.status.label().to_lowercase()
            )));
        }
        let changes_hands =
            before.technician_id != mv.technician_id || before.scheduled_on != mv.day;
        if let (Some(old), true) = (before.technician_id, changes_hands) {
            record_exit(&mut tx, old, before.id).await?;
        }
        // The day it lands in, in order, with the visit at its new place.
        let mut lane: Vec<(Uuid, i64)> = sqlx::query_as(q("SELECT id, position FROM visits
             WHERE technician_id IS NOT DISTINCT FROM ? AND scheduled_on = ? AND id != ?
             ORDER BY position, window_start IS NULL, window_start, id"))
        .bind(mv.technician_id)
        .bind(mv.day)
        .bind(mv.visit_id)
        .fetch_all(&mut *tx)
        .await?;
        let place = mv.position.unwrap_or(lane.len()).min(lane.len());
        lane.insert(place, (mv.visit_id, -1));
        for (index, (id, position)) in lane.into_iter().enumerate() {
            let index = index as i64;
            if id == mv.visit_id {
                let version = next_version(&mut tx).await?;
                sqlx::query(q(
                    // Placed anew (another person or day, not just reordered): the phone that
                    // now has it gets its customer too (see `pull`).
                    "UPDATE visits SET technician_id = ?1, scheduled_on = ?2, position = ?3,
                        updated_at = ?4, version = ?5,
                        placed_version = CASE WHEN technician_id IS NOT DISTINCT FROM ?1
                            AND scheduled_on = ?2 THEN placed_version ELSE ?5 END
                     WHERE id = ?6",
                ))
                .bind(mv.technician_id)
                .bind(mv.day)
                .bind(index)
                .bind(at)
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            } else if position != index {
                let version = next_version(&mut tx).await?;
                sqlx::query(q(
                    "UPDATE visits SET position = ?, version = ? WHERE id = ?",
                ))
                .bind(index)
                .bind(version)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let to = name_of(&mut tx, mv.technician_id).await?;
        let detail = if changes_hands {
            format!("to {to} on {}", mv.day)
        } else {
            format!("to place {} in {to}'s day", place + 1)
        };
        let entry = Entry {
            entity: "visit",
            entity_id: before.id,
            customer_id: Some(before.customer_id),
            action: if changes_hands { "moved" } else { "reordered" },
            detail,
        };
        audit::record(&mut tx, entry, Some(mv.by), at).await?;
        if let (Some(b), Some(technician_id)) = (&mv.continuity_break, mv.technician_id) {
            // (checked above: a break always names who is going)
            let promise = promises::insert(&mut tx, &b.promise, at).await?;
            let assigned: Option<(Option<Uuid>,)> = sqlx::query_as(q(
                "SELECT assigned_technician_id FROM customers WHERE id = ?",
            ))
            .bind(before.customer_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(q(
                "INSERT INTO continuity_breaks (id, visit_id, customer_id, assigned_technician_id,
                    technician_id, reason, reason_text, promise_id, by_user_id, at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(new_id())
            .bind(before.id)
            .bind(before.customer_id)
            .bind(assigned.and_then(|(a,)| a))
            .bind(technician_id)
            .bind(b.reason)
            .bind(b.reason_text.trim())
            .bind(promise.id)
            .bind(mv.by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = Entry {
                entity: "visit",
                entity_id: before.id,
                customer_id: Some(before.customer_id),
                action: "continuity break",
                detail: format!("{to}: {}", b.reason.describe(&b.reason_text)),
            };
            audit::record(&mut tx, entry, Some(mv.by), at).await?;
        }
        let visit = visit_in(&mut tx, mv.visit_id)
            .await?
            .ok_or(StoreError::NotFound("visit"))?;
        tx.commit().await?;
        Ok(visit)
    }

    async fn continuity_breaks(&self, customer_id: Uuid) -> StoreResult<Vec<ContinuityBreak>> {
        Ok(sqlx::query_as(q(
            "SELECT id, visit_id, customer_id, assigned_technician_id, technician_id, reason,
                reason_text, by_user_id, at
             FROM continuity_breaks WHERE customer_id = ? ORDER BY at DESC",
        ))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn break_counts(&self, since: DateTime<Utc>) -> StoreResult<Vec<(Uuid, i64)>> {
        Ok(sqlx::query_as(q(
            "SELECT customer_id, COUNT(*) FROM continuity_breaks WHERE at >= ?
             GROUP BY customer_id",
        ))
        .bind(since)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn past_visits(
        &self,
        since: NaiveDate,
        until: NaiveDate,
    ) -> StoreResult<Vec<(Uuid, PastVisit)>> {
        let rows: Vec<(Uuid, NaiveDate, Option<Uuid>, VisitStatus)> = sqlx::query_as(q(
            "SELECT customer_id, scheduled_on, technician_id, status FROM visits
             WHERE scheduled_on >= ? AND scheduled_on < ? AND status IN ('done', 'skipped')",
        ))
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(customer, day, technician_id, status)| {
                (
                    customer,
                    PastVisit {
                        day,
                        technician_id,
                        status,
                    },
                )
            })
            .collect())
    }
}
