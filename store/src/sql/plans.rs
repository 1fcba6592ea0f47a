//! Service plans and the visits they generate.

use super::audit::{self, Entry};
use super::schedule::record_exit;
use super::visits::VISIT_COLUMNS;
use super::{next_version, Backend};
use super::{q, Db};
use crate::{Generated, Plans, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::plan::{format_weekdays, parse_months, parse_weekdays, Frequency, ServicePlan};
use domain::{Visit, VisitStatus};
use sqlx::Transaction;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

type Tx<'a> = Transaction<'a, Db>;

const PLAN_COLUMNS: &str = "id, customer_id, service_type, frequency, interval_count, \
     preferred_days, months, window_start, window_end, technician_id, starts_on, ends_on, version";

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: Uuid,
    customer_id: Uuid,
    service_type: String,
    frequency: Frequency,
    interval_count: i64,
    preferred_days: String,
    months: String,
    window_start: Option<NaiveTime>,
    window_end: Option<NaiveTime>,
    technician_id: Option<Uuid>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    version: i64,
}

impl PlanRow {
    fn into_plan(self) -> ServicePlan {
        ServicePlan {
            id: self.id,
            customer_id: self.customer_id,
            service_type: self.service_type,
            frequency: self.frequency,
            interval: self.interval_count.clamp(1, 52) as u32,
            // Stored by `save_plan` from parsed values, so these parse.
            weekdays: parse_weekdays(&self.preferred_days).unwrap_or_default(),
            months: parse_months(&self.months).unwrap_or_default(),
            window_start: self.window_start,
            window_end: self.window_end,
            technician_id: self.technician_id,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            version: self.version,
        }
    }
}

async fn plan_in(tx: &mut Tx<'_>, id: Uuid) -> StoreResult<Option<ServicePlan>> {
    let row: Option<PlanRow> = sqlx::query_as(q(&format!(
        "SELECT {PLAN_COLUMNS} FROM service_plans WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(PlanRow::into_plan))
}

/// Removes an unstarted visit that nobody has worked on. One with notes, promises or a
/// continuity break is left for the dispatcher; returns whether it went.
async fn remove_visit(tx: &mut Tx<'_>, visit: &Visit) -> StoreResult<bool> {
    let gone = sqlx::query(q(
        "DELETE FROM visits WHERE id = ?1 AND status = 'scheduled'
           AND NOT EXISTS (SELECT 1 FROM visit_notes WHERE visit_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM promises WHERE visit_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM continuity_breaks WHERE visit_id = ?1)",
    ))
    .bind(visit.id)
    .execute(&mut **tx)
    .await?;
    if gone.rows_affected() == 0 {
        return Ok(false);
    }
    if let Some(technician) = visit.technician_id {
        record_exit(tx, technician, visit.id).await?;
    }
    Ok(true)
}

/// Gives an unstarted visit the plan's window and technician, once per version of the plan:
/// a visit already following this version was changed since by the dispatcher (moved,
/// reassigned) and stays as they left it. When the plan itself changes, its visits follow,
/// except that one given to someone else on purpose (a recorded continuity break) keeps its
/// technician.
async fn follow_plan(
    tx: &mut Tx<'_>,
    plan: &ServicePlan,
    visit: &Visit,
    followed: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    if followed.is_some_and(|v| v >= plan.version) {
        return Ok(false);
    }
    let (deliberate,): (bool,) = sqlx::query_as(q(
        "SELECT EXISTS (SELECT 1 FROM continuity_breaks WHERE visit_id = ?)",
    ))
    .bind(visit.id)
    .fetch_one(&mut **tx)
    .await?;
    let technician = if deliberate {
        visit.technician_id
    } else {
        plan.technician_id
    };
    let same_window =
        (visit.window_start, visit.window_end) == (plan.window_start, plan.window_end);
    if same_window && technician == visit.technician_id {
        // Nothing a phone would see: note the plan version without a new row version.
        sqlx::query(q("UPDATE visits SET plan_version = ? WHERE id = ?"))
            .bind(plan.version)
            .bind(visit.id)
            .execute(&mut **tx)
            .await?;
        return Ok(false);
    }
    if let (Some(old), true) = (visit.technician_id, technician != visit.technician_id) {
        record_exit(tx, old, visit.id).await?;
    }
    let version = next_version(tx).await?;
    sqlx::query(q(
        "UPDATE visits SET window_start = ?, window_end = ?, technician_id = ?, updated_at = ?,
            version = ?, plan_version = ?,
            placed_version = CASE WHEN technician_id IS NOT DISTINCT FROM ? THEN placed_version ELSE ? END
         WHERE id = ?",
    ))
    .bind(plan.window_start)
    .bind(plan.window_end)
    .bind(technician)
    .bind(at)
    .bind(version)
    .bind(plan.version)
    // Given to someone else: their phone must get the customer with it (see `pull`).
    .bind(technician)
    .bind(version)
    .bind(visit.id)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

#[async_trait]
impl Plans for Backend {
    async fn save_plan(
        &self,
        plan: ServicePlan,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<ServicePlan> {
        let mut tx = self.pool.begin().await?;
        // The write lock first, before any read (see `next_version`).
        next_version(&mut tx).await?;
        let before = plan_in(&mut tx, plan.id).await?;
        if before
            .as_ref()
            .is_some_and(|b| b.customer_id != plan.customer_id)
        {
            return Err(StoreError::Conflict(
                "That plan belongs to another customer.".into(),
            ));
        }
        let version = next_version(&mut tx).await?;
        sqlx::query(q(
            "INSERT INTO service_plans (id, customer_id, service_type, frequency, interval_count,
                preferred_days, months, window_start, window_end, technician_id, starts_on,
                ends_on, created_at, updated_at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)
             ON CONFLICT (id) DO UPDATE SET service_type = ?3, frequency = ?4,
                interval_count = ?5, preferred_days = ?6, months = ?7, window_start = ?8,
                window_end = ?9, technician_id = ?10, starts_on = ?11, ends_on = ?12,
                updated_at = ?13, version = ?14",
        ))
        .bind(plan.id)
        .bind(plan.customer_id)
        .bind(plan.service_type.trim())
        .bind(plan.frequency)
        .bind(i64::from(plan.interval.max(1)))
        .bind(format_weekdays(&plan.weekdays))
        .bind(
            plan.months
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(","),
        )
        .bind(plan.window_start)
        .bind(plan.window_end)
        .bind(plan.technician_id)
        .bind(plan.starts_on)
        .bind(plan.ends_on)
        .bind(at)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        let entry = Entry {
            entity: "plan",
            entity_id: plan.id,
            customer_id: Some(plan.customer_id),
            action: if before.is_some() {
                "edited"
            } else {
                "created"
            },
            detail: format!("{}: {}", plan.service_type.trim(), plan.describe()),
        };
        audit::record(&mut tx, entry, Some(by), at).await?;
        let saved = plan_in(&mut tx, plan.id)
            .await?
            .ok_or(StoreError::NotFound("plan"))?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn get_plan(&self, id: Uuid) -> StoreResult<Option<ServicePlan>> {
        let mut conn = self.pool.begin().await?;
        plan_in(&mut conn, id).await
    }

    async fn plans_of(&self, customer_id: Uuid) -> StoreResult<Vec<ServicePlan>> {
        let rows: Vec<PlanRow> = sqlx::query_as(q(&format!(
            "SELECT {PLAN_COLUMNS} FROM service_plans WHERE customer_id = ? ORDER BY starts_on, id"
        )))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(PlanRow::into_plan).collect())
    }

    async fn all_plans(&self) -> StoreResult<Vec<ServicePlan>> {
        let rows: Vec<PlanRow> = sqlx::query_as(q(&format!(
            "SELECT {PLAN_COLUMNS} FROM service_plans ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(PlanRow::into_plan).collect())
    }

    async fn generate_visits(
        &self,
        plan_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
        at: DateTime<Utc>,
    ) -> StoreResult<Generated> {
        let mut tx = self.pool.begin().await?;
        // The write lock first, before any read (see `next_version`).
        next_version(&mut tx).await?;
        let plan = plan_in(&mut tx, plan_id)
            .await?
            .ok_or(StoreError::NotFound("plan"))?;
        let dates: BTreeSet<NaiveDate> = plan.occurrences(from, to).into_iter().collect();
        // The plan's own visits from `from` on, keyed by which plan date each one is.
        let existing: Vec<(NaiveDate, Visit, Option<i64>)> = {
            let rows: Vec<(NaiveDate, Uuid, Option<i64>)> =
                sqlx::query_as(q("SELECT plan_occurrence, id, plan_version FROM visits
                 WHERE plan_id = ? AND plan_occurrence >= ? AND plan_occurrence <= ?"))
                .bind(plan_id)
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
            // Two queries, not one per visit: the roller runs this for every plan, hourly.
            let mut by_id: HashMap<Uuid, Visit> = sqlx::query_as::<_, Visit>(q(&format!(
                "SELECT {VISIT_COLUMNS} FROM visits
                 WHERE plan_id = ? AND plan_occurrence >= ? AND plan_occurrence <= ?"
            )))
            .bind(plan_id)
            .bind(from)
            .bind(to)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
            let visits: Vec<(NaiveDate, Visit, Option<i64>)> = rows
                .into_iter()
                .filter_map(|(occurrence, id, followed)| {
                    Some((occurrence, by_id.remove(&id)?, followed))
                })
                .collect();
            visits
        };
        let mut report = Generated::default();
        let had: BTreeSet<NaiveDate> = existing.iter().map(|(d, ..)| *d).collect();
        for (occurrence, visit, followed) in &existing {
            // Under way, finished, or already in the past: history, never rewritten.
            if visit.status != VisitStatus::Scheduled || visit.scheduled_on < from {
                continue;
            }
            if !dates.contains(occurrence) {
                report.removed += u32::from(remove_visit(&mut tx, visit).await?);
            } else {
                let changed = follow_plan(&mut tx, &plan, visit, *followed, at).await?;
                report.updated += u32::from(changed);
            }
        }
        for date in dates.difference(&had) {
            let version = next_version(&mut tx).await?;
            let (position,): (i64,) =
                sqlx::query_as(q("SELECT COALESCE(MAX(position) + 1, 0) FROM visits
                 WHERE technician_id IS NOT DISTINCT FROM ? AND scheduled_on = ?"))
                .bind(plan.technician_id)
                .bind(date)
                .fetch_one(&mut *tx)
                .await?;
            let inserted = sqlx::query(q(
                "INSERT INTO visits (id, customer_id, plan_id, plan_occurrence, technician_id,
                    scheduled_on, window_start, window_end, position, status, created_at,
                    updated_at, version, plan_version, placed_version)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?, ?, ?, ?)
                 ON CONFLICT (plan_id, plan_occurrence) DO NOTHING",
            ))
            .bind(domain::new_id())
            .bind(plan.customer_id)
            .bind(plan.id)
            .bind(date)
            .bind(plan.technician_id)
            .bind(date)
            .bind(plan.window_start)
            .bind(plan.window_end)
            .bind(position)
            .bind(at)
            .bind(at)
            .bind(version)
            .bind(plan.version)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            report.created += inserted.rows_affected() as u32;
        }
        if report != Generated::default() {
            let entry = Entry {
                entity: "plan",
                entity_id: plan.id,
                customer_id: Some(plan.customer_id),
                action: "generated visits",
                detail: format!(
                    "{} created, {} updated, {} removed",
                    report.created, report.updated, report.removed
                ),
            };
            audit::record(&mut tx, entry, None, at).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}
