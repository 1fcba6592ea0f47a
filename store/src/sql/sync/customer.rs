//! Pushed changes to customers: field edits and new priorities.

use super::super::customers::{stamp_field, CUSTOMER_COLUMNS};
use super::super::priorities::insert_priority;
use super::visit::ID_TAKEN;
use super::{q, rejected, serves, Apply, Audit, Ctx, Tx, NOT_YOURS};
use crate::{NewPriority, StoreResult};
use async_trait::async_trait;
use domain::sync::{
    judge_edit, AddPriority, EditCustomer, EditVerdict, FieldStamp, FieldWrite, Mutation, Outcome,
};
use domain::{new_id, Customer};
use uuid::Uuid;

#[async_trait]
impl Apply for EditCustomer {
    async fn apply(
        &self,
        tx: &mut Tx<'_>,
        ctx: &Ctx<'_>,
        mutation: &Mutation,
    ) -> StoreResult<Outcome> {
        edit(tx, ctx, mutation, self).await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "customer",
            id: self.customer_id,
            action: "edited",
            detail: format!("{}: {}", self.field.as_str().replace('_', " "), self.value),
        })
    }
}

#[async_trait]
impl Apply for AddPriority {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        add_priority(tx, ctx, self).await
    }

    /// A priority records its own history (`record_event`).
    fn audit(&self) -> Option<Audit> {
        None
    }
}

/// Applies a field edit made on the device's copy of the customer, unless the field changed on
/// the server after that copy: then nothing is overwritten and both values are recorded.
async fn edit(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    mutation: &Mutation,
    edit: &EditCustomer,
) -> StoreResult<Outcome> {
    if !serves(tx, ctx, edit.customer_id).await? {
        return Ok(rejected(NOT_YOURS));
    }
    let customer: Option<Customer> = sqlx::query_as(q(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
    )))
    .bind(edit.customer_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(mut customer) = customer else {
        return Ok(rejected("That customer no longer exists."));
    };
    let stamp: Option<(i64, Option<Uuid>, Option<i64>)> = sqlx::query_as(q(
        "SELECT version, device_id, device_seq FROM field_versions
         WHERE entity = 'customer' AND entity_id = ? AND field = ?",
    ))
    .bind(edit.customer_id)
    .bind(edit.field.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let stamp = stamp.map(|(version, device, seq)| FieldStamp {
        version,
        device: device.zip(seq),
    });
    let value = edit.value.trim().to_string();
    let server_value = edit.field.get(&customer).to_string();
    let write = FieldWrite {
        base_version: edit.base_version,
        device_id: ctx.device_id,
        seq: mutation.seq,
        value: &value,
    };
    if judge_edit(stamp, &server_value, write) == EditVerdict::Conflict {
        sqlx::query(q(
            "INSERT INTO conflicts (id, entity, entity_id, field, server_value, device_value, user_id, mutation_id, at)
             VALUES (?, 'customer', ?, ?, ?, ?, ?, ?, ?)",
        ))
        .bind(new_id())
        .bind(edit.customer_id)
        .bind(edit.field.as_str())
        .bind(&server_value)
        .bind(&value)
        .bind(ctx.user.id)
        .bind(mutation.id)
        .bind(ctx.at)
        .execute(&mut **tx)
        .await?;
        let field = edit.field.as_str().to_string();
        return Ok(Outcome::Conflict {
            field,
            server_value,
            your_value: value,
        });
    }
    edit.field.set(&mut customer, value);
    sqlx::query(q("UPDATE customers SET phone = ?, access_notes = ?, updated_at = ?, version = ? WHERE id = ?"))
        .bind(&customer.phone)
        .bind(&customer.access_notes)
        .bind(ctx.at)
        .bind(ctx.version)
        .bind(edit.customer_id)
        .execute(&mut **tx)
        .await?;
    let writer = Some((ctx.device_id, mutation.seq));
    stamp_field(tx, edit.customer_id, edit.field, ctx.version, writer).await?;
    Ok(Outcome::Applied)
}

async fn add_priority(tx: &mut Tx<'_>, ctx: &Ctx<'_>, new: &AddPriority) -> StoreResult<Outcome> {
    let AddPriority {
        priority_id,
        customer_id,
        ..
    } = *new;
    if !serves(tx, ctx, customer_id).await? {
        return Ok(rejected(NOT_YOURS));
    }
    // The office's rule (it trims the text), and the office's INSERT.
    let draft = match new.draft().validate() {
        Ok(draft) => draft,
        Err(reason) => return Ok(rejected(reason)),
    };
    let priority = NewPriority {
        id: priority_id,
        customer_id,
        draft,
        heard_by_id: ctx.user.id,
        heard_role: ctx.user.role,
        heard_at: ctx.made_at,
    };
    if insert_priority(tx, &priority, ctx.version).await?.is_some() {
        return Ok(Outcome::Applied);
    }
    let text = priority.draft.text.as_str();
    // The id is taken by another mutation's priority (a re-send never gets here): the same
    // priority again is harmless, another one is refused (see `visit::add_note`).
    let (of, said, heard_by): (Uuid, String, Uuid) = sqlx::query_as(q(
        "SELECT customer_id, text, heard_by_id FROM priorities WHERE id = ?",
    ))
    .bind(priority_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(
        if (of, said.as_str(), heard_by) == (customer_id, text, ctx.user.id) {
            Outcome::Duplicate
        } else {
            rejected(ID_TAKEN)
        },
    )
}
