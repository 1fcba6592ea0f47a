use super::audit::{self, Entry};
use super::q;
use super::{next_version, Backend};
use crate::{NewVisit, StoreError, StoreResult, Visits};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::Visit;
use uuid::Uuid;

pub(super) const VISIT_COLUMNS: &str =
    "id, customer_id, technician_id, scheduled_on, window_start, \
     window_end, position, status, arrived_at, departed_at, skip_reason, version, \
     priorities_acknowledged_at";

#[async_trait]
impl Visits for Backend {
    async fn create_visit(&self, v: NewVisit, at: DateTime<Utc>) -> StoreResult<Visit> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let visit: Visit = sqlx::query_as(q(&format!(
            "INSERT INTO visits (id, customer_id, technician_id, scheduled_on, window_start,
                window_end, position, status, arrived_at, departed_at, skip_reason,
                created_at, updated_at, version, plan_id, plan_occurrence, placed_version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             RETURNING {VISIT_COLUMNS}"
        )))
        .bind(v.id)
        .bind(v.customer_id)
        .bind(v.technician_id)
        .bind(v.scheduled_on)
        .bind(v.window_start)
        .bind(v.window_end)
        .bind(v.position)
        .bind(v.status)
        .bind(v.arrived_at)
        .bind(v.departed_at)
        .bind(&v.skip_reason)
        .bind(at)
        .bind(at)
        .bind(version)
        .bind(v.plan.map(|(plan, _)| plan))
        .bind(v.plan.map(|(_, occurrence)| occurrence))
        .bind(version)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_or(e, "That visit already exists."))?;
        if v.created_by.is_some() {
            let entry = Entry {
                entity: "visit",
                entity_id: visit.id,
                customer_id: Some(visit.customer_id),
                action: "scheduled",
                detail: format!("for {}", visit.scheduled_on),
            };
            audit::record(&mut tx, entry, v.created_by, at).await?;
        }
        tx.commit().await?;
        Ok(visit)
    }

    async fn technician_day(&self, technician_id: Uuid, day: NaiveDate) -> StoreResult<Vec<Visit>> {
        self.technician_visits(technician_id, day, day).await
    }

    async fn technician_visits(
        &self,
        technician_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits
             WHERE technician_id = ? AND scheduled_on BETWEEN ? AND ?
             ORDER BY scheduled_on, position, window_start IS NULL, window_start, id"
        )))
        .bind(technician_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn customer_notes(
        &self,
        customer_id: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<domain::sync::VisitNote>> {
        Ok(sqlx::query_as(q(
            "SELECT id, visit_id, customer_id, author_id, body, written_at, version FROM visit_notes
             WHERE customer_id = ? ORDER BY written_at DESC, id DESC LIMIT ?",
        ))
        .bind(customer_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn customer_visits(
        &self,
        customer_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits
             WHERE customer_id = ? AND scheduled_on BETWEEN ? AND ?
             ORDER BY scheduled_on, position, id"
        )))
        .bind(customer_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }
}
