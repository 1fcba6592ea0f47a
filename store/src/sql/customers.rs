use super::audit::{self, Entry};
use super::{like_pattern, next_version, Backend};
use super::{q, Db};
use crate::{CustomerFilter, Customers, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::customer::DRAFT_FIELDS;
use domain::sync::CustomerField;
use domain::{Customer, CustomerDraft, CustomerSummary};
use sqlx::Transaction;
use uuid::Uuid;

pub(super) const CUSTOMER_COLUMNS: &str =
    "id, name, contact_name, address, phone, email, access_notes, \
     assigned_technician_id, backup_technician_id, created_at, updated_at, version";

/// A technician (?1) serves a customer (`c`) they are assigned to or back up, or have a visit
/// with in their window (?2 to ?3, from `domain::sync::window`): the same visits that bring the
/// customer to their phone. A visit long past gives no access: the customer's history is the
/// office's to read, not every technician's who once stood in the shop.
pub(super) fn served_by() -> String {
    format!(
        "(c.assigned_technician_id = ?1 OR c.backup_technician_id = ?1
          OR EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND {}))",
        super::pull::IN_WINDOW
    )
}

fn change<'a>(action: &'a str, customer: &Customer, detail: String) -> Entry<'a> {
    Entry {
        entity: "customer",
        entity_id: customer.id,
        customer_id: Some(customer.id),
        action,
        detail,
    }
}

/// "phone, access notes": which fields an edit changed, for the audit trail.
fn changed_fields(before: &Customer, after: &Customer) -> String {
    let changed = CustomerDraft::of(before).changed_fields(&CustomerDraft::of(after));
    if changed.is_empty() {
        "nothing changed".into()
    } else {
        changed.join(", ")
    }
}

/// `name, contact_name, …`: the draft's columns, from its one description.
pub(super) fn draft_columns() -> String {
    let names: Vec<&str> = DRAFT_FIELDS.iter().map(|f| f.name).collect();
    names.join(", ")
}

/// `name = ?, contact_name = ?, …`: an UPDATE of every draft field, bound by [`bind_draft`].
pub(super) fn draft_assignments() -> String {
    let sets: Vec<String> = DRAFT_FIELDS
        .iter()
        .map(|f| format!("{} = ?", f.name))
        .collect();
    sets.join(", ")
}

/// Binds the draft's fields in the order of [`draft_columns`] and [`draft_assignments`].
pub(super) fn bind_draft<'q, O>(
    mut query: sqlx::query::QueryAs<'q, Db, O, <Db as sqlx::Database>::Arguments<'q>>,
    draft: &'q CustomerDraft,
) -> sqlx::query::QueryAs<'q, Db, O, <Db as sqlx::Database>::Arguments<'q>> {
    for field in DRAFT_FIELDS {
        query = query.bind(field.of(draft));
    }
    query
}

#[async_trait]
impl Customers for Backend {
    async fn list_customers(&self, filter: &CustomerFilter) -> StoreResult<Vec<CustomerSummary>> {
        let served = if filter.served_by.is_some() {
            served_by()
        } else {
            "(?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL)".to_string()
        };
        let technician = filter.served_by.map(|(id, _)| id);
        let window = filter
            .served_by
            .map(|(_, today)| domain::sync::window(today));
        let sql = format!(
            "SELECT c.id, c.name, c.address, c.phone, u.name AS assigned_technician_name,
                (SELECT p.text FROM priorities p
                 WHERE p.customer_id = c.id AND p.retired_at IS NULL
                 ORDER BY p.pinned DESC, p.heard_at DESC LIMIT 1) AS top_priority
             FROM customers c LEFT JOIN users u ON u.id = c.assigned_technician_id
             WHERE {served}
               AND (?4 = '%%' OR lower(c.name) LIKE lower(?4) ESCAPE '\\'
                    OR lower(c.contact_name) LIKE lower(?4) ESCAPE '\\'
                    OR lower(c.address) LIKE lower(?4) ESCAPE '\\' OR c.phone LIKE ?4 ESCAPE '\\')
             ORDER BY lower(c.name), c.id
             LIMIT ?5"
        );
        let limit = if filter.limit > 0 { filter.limit } else { 500 };
        Ok(sqlx::query_as(q(&sql))
            .bind(technician)
            .bind(window.map(|(from, _)| from))
            .bind(window.map(|(_, to)| to))
            .bind(like_pattern(filter.search.trim()))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }

    async fn get_customer(&self, id: Uuid) -> StoreResult<Option<Customer>> {
        Ok(sqlx::query_as(q(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn create_customer(
        &self,
        id: Uuid,
        draft: CustomerDraft,
        assigned_technician_id: Option<Uuid>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let new = NewCustomer {
            id,
            draft: &draft,
            technicians: (assigned_technician_id, None),
            version,
            at,
        };
        let customer = insert_customer(&mut tx, new)
            .await
            .map_err(|e| StoreError::unique_or(e, "That customer already exists."))?;
        let customer: Customer = customer;
        let entry = change("created", &customer, customer.name.clone());
        audit::record(&mut tx, entry, by, at).await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn update_customer(
        &self,
        id: Uuid,
        draft: CustomerDraft,
        expected_version: Option<i64>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let before: Option<Customer> = sqlx::query_as(q(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        // Checked under the write lock taken above, so no edit can slip in between.
        if let (Some(before), Some(expected)) = (&before, expected_version) {
            if before.version != expected {
                return Err(StoreError::Conflict(
                    "This customer changed since you opened the form (on a technician's phone \
                     or by someone in the office). Reload the page to see the change, then edit \
                     again."
                        .into(),
                ));
            }
        }
        if let Some(before) = &before {
            stamp_office_edits(&mut tx, before, &draft, version).await?;
        }
        let sql = format!(
            "UPDATE customers SET {}, updated_at = ?, version = ?
             WHERE id = ? RETURNING {CUSTOMER_COLUMNS}",
            draft_assignments()
        );
        let customer = bind_draft(sqlx::query_as(q(&sql)), &draft)
            .bind(at)
            .bind(version)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("customer"))?;
        let customer: Customer = customer;
        let changed = before
            .map(|b| changed_fields(&b, &customer))
            .unwrap_or_default();
        audit::record(&mut tx, change("edited", &customer, changed), by, at).await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn set_technicians(
        &self,
        id: Uuid,
        assigned: Option<Uuid>,
        backup: Option<Uuid>,
        by: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let mut tx = self.pool.begin().await?;
        let version = next_version(&mut tx).await?;
        let customer = sqlx::query_as(q(&format!(
            "UPDATE customers SET assigned_technician_id = ?, backup_technician_id = ?,
                updated_at = ?, version = ?
             WHERE id = ? RETURNING {CUSTOMER_COLUMNS}"
        )))
        .bind(assigned)
        .bind(backup)
        .bind(at)
        .bind(version)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("customer"))?;
        let customer: Customer = customer;
        let names: (Option<String>, Option<String>) = sqlx::query_as(q(
            "SELECT (SELECT name FROM users WHERE id = ?), (SELECT name FROM users WHERE id = ?)",
        ))
        .bind(assigned)
        .bind(backup)
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!(
            "assigned {}, backup {}",
            names.0.as_deref().unwrap_or("nobody"),
            names.1.as_deref().unwrap_or("nobody")
        );
        audit::record(
            &mut tx,
            change("technicians set", &customer, detail),
            by,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(customer)
    }

    async fn customer_conflicts(
        &self,
        customer_id: Uuid,
    ) -> StoreResult<Vec<domain::FieldConflict>> {
        Ok(sqlx::query_as(q(
            "SELECT c.id, c.field, c.server_value, c.device_value, u.name AS user_name, c.at
             FROM conflicts c JOIN users u ON u.id = c.user_id
             WHERE c.entity = 'customer' AND c.entity_id = ? AND c.resolved_at IS NULL
             ORDER BY c.at DESC",
        ))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn settle_conflict(
        &self,
        customer_id: Uuid,
        conflict_id: Uuid,
        take_device_value: bool,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // The write lock first, before any read (see `next_version`).
        next_version(&mut tx).await?;
        let row: Option<(String, String)> =
            sqlx::query_as(q("SELECT field, device_value FROM conflicts
             WHERE id = ? AND entity = 'customer' AND entity_id = ?"))
            .bind(conflict_id)
            .bind(customer_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((field, device_value)) = row else {
            return Err(StoreError::NotFound("conflict"));
        };
        // Marked settled first, and only if nobody else did: two people settling at once
        // cannot both apply a value.
        let settled = sqlx::query(q(
            "UPDATE conflicts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
        ))
        .bind(at)
        .bind(conflict_id)
        .execute(&mut *tx)
        .await?;
        if settled.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "Someone has settled this already.".into(),
            ));
        }
        if take_device_value {
            // Only the fields a phone can edit can conflict; anything else is not a column.
            let field = match field.as_str() {
                "phone" => CustomerField::Phone,
                "access_notes" => CustomerField::AccessNotes,
                other => return Err(StoreError::Other(format!("unknown conflict field {other}"))),
            };
            let version = next_version(&mut tx).await?;
            sqlx::query(q(&format!(
                "UPDATE customers SET {} = ?, updated_at = ?, version = ? WHERE id = ?",
                field.as_str()
            )))
            .bind(&device_value)
            .bind(at)
            .bind(version)
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
            stamp_field(&mut tx, customer_id, field, version, None).await?;
        }
        let entry = super::audit::Entry {
            entity: "customer",
            entity_id: customer_id,
            customer_id: Some(customer_id),
            action: "conflict settled",
            detail: if take_device_value {
                format!(
                    "{}: took the phone's value \"{device_value}\"",
                    field.replace('_', " ")
                )
            } else {
                format!("{}: kept the current value", field.replace('_', " "))
            },
        };
        super::audit::record(&mut tx, entry, Some(by), at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn technician_serves(
        &self,
        technician_id: Uuid,
        customer_id: Uuid,
        today: NaiveDate,
    ) -> StoreResult<bool> {
        let (from, to) = domain::sync::window(today);
        let (serves,): (bool,) = sqlx::query_as(q(&format!(
            "SELECT EXISTS (SELECT 1 FROM customers c WHERE c.id = ?4 AND {})",
            served_by()
        )))
        .bind(technician_id)
        .bind(from)
        .bind(to)
        .bind(customer_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(serves)
    }
}

/// A customer about to be written, with the version it gets.
pub(super) struct NewCustomer<'a> {
    pub id: Uuid,
    pub draft: &'a CustomerDraft,
    /// Assigned and backup.
    pub technicians: (Option<Uuid>, Option<Uuid>),
    pub version: i64,
    pub at: DateTime<Utc>,
}

/// Inserts a customer inside the caller's transaction (the caller says what a clash means).
pub(super) async fn insert_customer(
    tx: &mut Transaction<'_, Db>,
    new: NewCustomer<'_>,
) -> Result<Customer, sqlx::Error> {
    let (assigned, backup) = new.technicians;
    let sql = format!(
        "INSERT INTO customers (id, {}, assigned_technician_id, backup_technician_id,
            created_at, updated_at, version)
         VALUES (?, {}, ?, ?, ?, ?, ?)
         RETURNING {CUSTOMER_COLUMNS}",
        draft_columns(),
        vec!["?"; DRAFT_FIELDS.len()].join(", ")
    );
    bind_draft(sqlx::query_as(q(&sql)).bind(new.id), new.draft)
        .bind(assigned)
        .bind(backup)
        .bind(new.at)
        .bind(new.at)
        .bind(new.version)
        .fetch_one(&mut **tx)
        .await
}

/// Fields a phone can also edit remember the version of their last change: stamps those an
/// office edit (form or import) changes.
pub(super) async fn stamp_office_edits(
    tx: &mut Transaction<'_, Db>,
    before: &Customer,
    draft: &CustomerDraft,
    version: i64,
) -> StoreResult<()> {
    for (field, new) in [
        (CustomerField::Phone, &draft.phone),
        (CustomerField::AccessNotes, &draft.access_notes),
    ] {
        if field.get(before) != new {
            stamp_field(tx, before.id, field, version, None).await?;
        }
    }
    Ok(())
}

/// Records the version of a field's write and which device mutation made it (`None`: the office).
pub(super) async fn stamp_field(
    tx: &mut Transaction<'_, Db>,
    customer_id: Uuid,
    field: CustomerField,
    version: i64,
    device: Option<(Uuid, i64)>,
) -> StoreResult<()> {
    sqlx::query(q(
        "INSERT INTO field_versions (entity, entity_id, field, version, device_id, device_seq)
         VALUES ('customer', ?, ?, ?, ?, ?)
         ON CONFLICT (entity, entity_id, field) DO UPDATE SET version = excluded.version,
            device_id = excluded.device_id, device_seq = excluded.device_seq",
    ))
    .bind(customer_id)
    .bind(field.as_str())
    .bind(version)
    .bind(device.map(|(d, _)| d))
    .bind(device.map(|(_, s)| s))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
