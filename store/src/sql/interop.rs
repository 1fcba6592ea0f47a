//! Bulk reads for exports and the customer import's writes, all in one transaction.

use super::audit::{self, Entry};
use super::customers::{insert_customer, stamp_office_edits, NewCustomer, CUSTOMER_COLUMNS};
use super::priorities::{insert_priorities, PRIORITY_SELECT};
use super::visits::VISIT_COLUMNS;
use super::{next_versions, Backend};
use super::{q, Db};
use crate::{ImportReport, Interop, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::import::{Change, Known};
use domain::{Customer, CustomerDraft, Priority, Role, Visit};
use sqlx::Transaction;
use std::collections::HashMap;
use uuid::Uuid;

#[async_trait]
impl Interop for Backend {
    async fn known_customers(&self) -> StoreResult<Vec<Known>> {
        let customers: Vec<Customer> = sqlx::query_as(q(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY lower(name), id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut texts: HashMap<Uuid, Vec<String>> = HashMap::new();
        let mut latest: HashMap<Uuid, i64> = HashMap::new();
        for p in self.all_priorities().await? {
            let newest = latest.entry(p.customer_id).or_default();
            *newest = (*newest).max(p.version);
            if p.retired_at.is_none() {
                texts.entry(p.customer_id).or_default().push(p.text);
            }
        }
        Ok(customers
            .into_iter()
            .map(|customer| Known {
                priorities: texts.remove(&customer.id).unwrap_or_default(),
                latest_version: latest
                    .get(&customer.id)
                    .map_or(customer.version, |&p| p.max(customer.version)),
                customer,
            })
            .collect())
    }

    async fn current_version(&self) -> StoreResult<i64> {
        let (version,): (i64,) = sqlx::query_as(q("SELECT version FROM org_state WHERE id = 1"))
            .fetch_one(&self.pool)
            .await?;
        Ok(version)
    }

    async fn all_priorities(&self) -> StoreResult<Vec<Priority>> {
        // Pinned first, then newest: the order a priorities card shows.
        Ok(sqlx::query_as(q(&format!(
            "{PRIORITY_SELECT} ORDER BY p.customer_id, p.pinned DESC, p.heard_at DESC, p.id"
        )))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn all_visits(&self) -> StoreResult<Vec<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits ORDER BY scheduled_on, technician_id, position, id"
        )))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn visits_between(&self, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<Visit>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE scheduled_on BETWEEN ? AND ?
             ORDER BY scheduled_on, technician_id, position, id"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn customers_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Customer>> {
        let mut all: Vec<Customer> = Vec::new();
        // SQLite caps bound parameters; chunks keep a long list within the cap.
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id IN ({marks})");
            let mut query = sqlx::query_as(q(&sql));
            for id in chunk {
                query = query.bind(id);
            }
            all.extend(query.fetch_all(&self.pool).await?);
        }
        all.sort_by_cached_key(|c| (c.name.to_lowercase(), c.id));
        Ok(all)
    }

    async fn import_customers(
        &self,
        changes: &[Change],
        by: Uuid,
        by_role: Role,
        at: DateTime<Utc>,
    ) -> StoreResult<ImportReport> {
        let mut tx = self.pool.begin().await?;
        // One block of versions for the whole file: one round trip instead of one per row.
        let needed: usize = changes.iter().map(|c| 1 + c.new_priorities.len()).sum();
        let mut versions = next_versions(&mut tx, needed as i64).await?;
        let mut report = ImportReport::default();
        // Customers one statement each (a create can clash, an update checks its version);
        // their audit entries and the priorities are written in bulk after them.
        let mut entries = Vec::with_capacity(changes.len());
        let mut priorities = Vec::new();
        for change in changes {
            let version = versions.next().expect("a version per row");
            let entry = match change.expected_version {
                None => {
                    report.created += 1;
                    create(&mut tx, change, version, at).await?
                }
                Some(expected) => {
                    report.updated += 1;
                    update(&mut tx, change, expected, version, at).await?
                }
            };
            entries.push(entry);
            for draft in &change.new_priorities {
                let version = versions.next().expect("a version per priority");
                priorities.push((change.id, draft, version));
            }
        }
        audit::record_all(&mut tx, entries, by, at).await?;
        report.priorities = priorities.len();
        insert_priorities(&mut tx, (by, by_role, at), &priorities).await?;
        tx.commit().await?;
        Ok(report)
    }
}

fn imported(customer_id: Uuid, action: &'static str, detail: String) -> Entry<'static> {
    Entry {
        entity: "customer",
        entity_id: customer_id,
        customer_id: Some(customer_id),
        action,
        detail,
    }
}

/// Inserts a new customer; returns its audit entry.
async fn create(
    tx: &mut Transaction<'_, Db>,
    change: &Change,
    version: i64,
    at: DateTime<Utc>,
) -> StoreResult<Entry<'static>> {
    let draft = change.draft.as_ref().ok_or(StoreError::Other(
        "A new customer needs its details.".into(),
    ))?;
    let new = NewCustomer {
        id: change.id,
        draft,
        technicians: change.technicians.unwrap_or_default(),
        version,
        at,
    };
    insert_customer(tx, new).await.map_err(|e| {
        StoreError::unique_or(
            e,
            "A customer in the file was created by someone else meanwhile; preview again.",
        )
    })?;
    Ok(imported(
        change.id,
        "created",
        format!("{} (imported)", draft.name),
    ))
}

/// Updates a customer if it is still as the preview saw it; returns its audit entry.
async fn update(
    tx: &mut Transaction<'_, Db>,
    change: &Change,
    expected: i64,
    version: i64,
    at: DateTime<Utc>,
) -> StoreResult<Entry<'static>> {
    let before: Customer = sqlx::query_as(q(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
    )))
    .bind(change.id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound("customer"))?;
    // The preview was made from this version; a change since then could be overwritten.
    if before.version != expected {
        return Err(StoreError::Conflict(format!(
            "{} changed while the file was being imported; nothing was imported. Preview the file again.",
            before.name
        )));
    }
    let draft = change
        .draft
        .clone()
        .unwrap_or_else(|| CustomerDraft::of(&before));
    let (assigned, backup) = change
        .technicians
        .unwrap_or((before.assigned_technician_id, before.backup_technician_id));
    stamp_office_edits(tx, &before, &draft, version).await?;
    let sql = format!(
        "UPDATE customers SET {}, assigned_technician_id = ?, backup_technician_id = ?,
            updated_at = ?, version = ?
         WHERE id = ? RETURNING {CUSTOMER_COLUMNS}",
        super::customers::draft_assignments()
    );
    let _: Customer = super::customers::bind_draft(sqlx::query_as(q(&sql)), &draft)
        .bind(assigned)
        .bind(backup)
        .bind(at)
        .bind(version)
        .bind(change.id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(imported(change.id, "edited", "imported from a file".into()))
}
