//! Pulling changes by version.
//!
//! Every synced row carries the organisation version of its last write (see `next_version`),
//! and writers take versions one at a time (SQLite's single writer; PostgreSQL's row lock on
//! `org_state`), so versions become visible in order and a cursor never skips a change.
//! Versions are unique per row (see `next_version`), so a page can be cut after any version
//! without leaving part of a write behind.

use super::customers::CUSTOMER_COLUMNS;
use super::priorities::PRIORITY_SELECT as PRIORITY;
use super::promises::PROMISE_COLUMNS as PROMISE;
use super::visits::VISIT_COLUMNS as VISIT;
use super::{q, Db};
use crate::{PullScope, StoreResult};
use domain::sync::{Promise, PullResponse, VisitNote};
use domain::{Customer, Priority, Visit};
use std::collections::HashSet;
use uuid::Uuid;

type Tx<'c> = sqlx::Transaction<'c, Db>;

/// A visit `v` of technician ?1 in their window, ?2 to ?3 (`domain::sync::window`): what puts
/// a customer in a technician's scope, for the pull and for access (`customers::served_by`).
pub(super) const IN_WINDOW: &str = "v.technician_id = ?1 AND v.scheduled_on BETWEEN ?2 AND ?3";

/// Rows after the cursor (?4) in the caller's scope, in version order. For a technician: rows
/// of the customers with one of their visits in the window (?1 technician, ?2 from, ?3 to),
/// found through that technician's visits. The `+` keeps both planners off the version index,
/// which would walk every row written since the cursor (every customer, on a first sync)
/// whoever it belongs to, so the cost would grow with the whole database. The office's
/// scope is everything (?1 is NULL), read by version.
fn in_scope(scope: &PullScope, customer: &str, version: &str) -> String {
    if scope.technician_id.is_some() {
        format!(
            "{customer} IN (SELECT v.customer_id FROM visits v WHERE {IN_WINDOW})
             AND +{version} > ?4 ORDER BY +{version}"
        )
    } else {
        format!("?1 IS NULL AND ?2 <= ?3 AND {version} > ?4 ORDER BY {version}")
    }
}

pub async fn pull(
    pool: &sqlx::Pool<Db>,
    scope: &PullScope,
    cursor: i64,
    limit: usize,
) -> StoreResult<PullResponse> {
    let limit = limit.clamp(1, 5000);
    let fetch = limit as i64 + 1;
    // One snapshot for the whole page: separate statements could each see a different set of
    // commits, and a cursor taken from a later one would skip what an earlier one missed.
    let mut tx = super::read_snapshot(pool).await?;
    let tx = &mut tx;
    // Everything up to here is in the snapshot, in scope or not: a complete page moves the
    // cursor to it, so the next pull looks only at what was written after (not at every
    // row written since the phone's last change in scope).
    let (latest,): (i64,) = sqlx::query_as("SELECT version FROM org_state WHERE id = 1")
        .fetch_one(&mut **tx)
        .await?;
    let visits: Vec<Visit> = query(
        tx,
        scope,
        cursor,
        fetch,
        &if scope.technician_id.is_some() {
            format!(
                "SELECT {VISIT} FROM visits v WHERE {IN_WINDOW}
                 AND +version > ?4 ORDER BY +version LIMIT ?5"
            )
        } else {
            format!(
                "SELECT {VISIT} FROM visits WHERE ?1 IS NULL
                 AND scheduled_on BETWEEN ?2 AND ?3 AND version > ?4 ORDER BY version LIMIT ?5"
            )
        },
    )
    .await?;
    let customers: Vec<Customer> = query(
        tx,
        scope,
        cursor,
        fetch,
        &format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {} LIMIT ?5",
            in_scope(scope, "id", "version")
        ),
    )
    .await?;
    let priorities: Vec<Priority> = query(
        tx,
        scope,
        cursor,
        fetch,
        &format!(
            "{PRIORITY} WHERE {} LIMIT ?5",
            in_scope(scope, "p.customer_id", "p.version")
        ),
    )
    .await?;
    let promises: Vec<Promise> = query(
        tx,
        scope,
        cursor,
        fetch,
        &format!(
            "SELECT {PROMISE} FROM promises WHERE {} LIMIT ?5",
            in_scope(scope, "customer_id", "version")
        ),
    )
    .await?;
    let notes: Vec<VisitNote> = query(
        tx,
        scope,
        cursor,
        fetch,
        &format!(
            "SELECT {NOTE} FROM visit_notes WHERE {} LIMIT ?5",
            in_scope(scope, "customer_id", "version")
        ),
    )
    .await?;

    // Only a technician's phone has a scope to leave.
    let exits: Vec<(Uuid, i64)> = query(
        tx,
        scope,
        cursor,
        fetch,
        "SELECT visit_id, version FROM scope_exits
         WHERE technician_id = ?1 AND version > ?4
         ORDER BY version LIMIT ?5",
    )
    .await?;

    let fetched = PullResponse {
        visits,
        customers,
        priorities,
        promises,
        notes,
        ..Default::default()
    };
    let mut versions = synced_versions(&fetched);
    versions.push(exits.iter().map(|r| r.1).collect());
    let full_table = versions.iter().any(|v| v.len() > limit);
    let mut all: Vec<i64> = versions.concat();
    all.sort_unstable();
    let Some(&cut) = all.get(limit.min(all.len()).saturating_sub(1)) else {
        // Nothing written since the cursor; days may still have come into the window.
        let mut page = PullResponse {
            cursor: latest.max(cursor),
            window: Some((scope.from, scope.to)),
            ..Default::default()
        };
        add_visits_entering_window(tx, scope, &mut page).await?;
        add_customers_entering_scope(tx, scope, cursor, &mut page).await?;
        return Ok(page);
    };
    // Anything above the cut-off waits for the next page.
    let more = full_table || all.iter().any(|&v| v > cut);
    let mut page = up_to(fetched, cut);
    page.cursor = if more { cut } else { latest.max(cut) };
    page.more = more;
    page.removed_visits = exits
        .into_iter()
        .filter(|r| r.1 <= cut)
        .map(|r| r.0)
        .collect();
    page.window = Some((scope.from, scope.to));
    add_visits_entering_window(tx, scope, &mut page).await?;
    add_customers_entering_scope(tx, scope, cursor, &mut page).await?;
    Ok(page)
}

/// The versions of every synced table's rows. Destructured without `..`, so a table added to
/// the page does not compile until its rows count here (and in [`up_to`]).
fn synced_versions(page: &PullResponse) -> Vec<Vec<i64>> {
    let PullResponse {
        cursor: _,
        more: _,
        customers,
        priorities,
        visits,
        notes,
        promises,
        removed_visits: _,
        window: _,
    } = page;
    vec![
        customers.iter().map(|r| r.version).collect(),
        priorities.iter().map(|r| r.version).collect(),
        visits.iter().map(|r| r.version).collect(),
        notes.iter().map(|r| r.version).collect(),
        promises.iter().map(|r| r.version).collect(),
    ]
}

/// The rows written at or before `cut`: the rest waits for the next page.
fn up_to(page: PullResponse, cut: i64) -> PullResponse {
    let PullResponse {
        cursor,
        more,
        customers,
        priorities,
        visits,
        notes,
        promises,
        removed_visits,
        window,
    } = page;
    let keep = |v: i64| v <= cut;
    PullResponse {
        cursor,
        more,
        customers: customers.into_iter().filter(|r| keep(r.version)).collect(),
        priorities: priorities.into_iter().filter(|r| keep(r.version)).collect(),
        visits: visits.into_iter().filter(|r| keep(r.version)).collect(),
        notes: notes.into_iter().filter(|r| keep(r.version)).collect(),
        promises: promises.into_iter().filter(|r| keep(r.version)).collect(),
        removed_visits,
        window,
    }
}

/// A technician's visits whose day has come into the window since the device's last pull
/// (`entered_after`): written long ago, so below the cursor, but new to the device.
async fn add_visits_entering_window(
    tx: &mut Tx<'_>,
    scope: &PullScope,
    page: &mut PullResponse,
) -> StoreResult<()> {
    let (Some(technician), Some(after)) = (scope.technician_id, scope.entered_after) else {
        return Ok(());
    };
    if after >= scope.to {
        return Ok(());
    }
    let entering: Vec<Visit> = sqlx::query_as(q(&format!(
        "SELECT {VISIT} FROM visits
         WHERE technician_id = ? AND scheduled_on > ? AND scheduled_on <= ?"
    )))
    .bind(technician)
    .bind(after.max(scope.from - chrono::Duration::days(1)))
    .bind(scope.to)
    .fetch_all(&mut **tx)
    .await?;
    let known: HashSet<Uuid> = page.visits.iter().map(|v| v.id).collect();
    page.visits
        .extend(entering.into_iter().filter(|v| !known.contains(&v.id)));
    Ok(())
}

/// Customers new to a technician's phone since `?4` (the cursor), up to `?5` (this page's
/// cut): one of their visits in the window was placed (created, given to this technician, or
/// moved to its day) in that range, or its day came into the window after `?6` (the last day
/// the phone held). Parameters ?1–?3 as in [`in_scope`].
const ENTERING: &str = "SELECT customer_id FROM visits
     WHERE technician_id = ?1 AND scheduled_on BETWEEN ?2 AND ?3
       AND ((placed_version > ?4 AND placed_version <= ?5) OR scheduled_on > ?6)";

/// A customer new to the phone comes whole, however old their own rows: the customer, every
/// priority, the open promises and the last notes, so the stop can be served offline. Their
/// versions may be below the cursor, which is why the version filter alone would miss them.
async fn add_customers_entering_scope(
    tx: &mut Tx<'_>,
    scope: &PullScope,
    cursor: i64,
    page: &mut PullResponse,
) -> StoreResult<()> {
    let Some(technician) = scope.technician_id else {
        return Ok(()); // the office's scope is everything: nothing enters it
    };
    let entering = Entering {
        technician,
        scope,
        cursor,
        cut: page.cursor,
    };
    let customers: Vec<Customer> = entering
        .rows(
            tx,
            format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id IN ({ENTERING})"),
        )
        .await?;
    let priorities: Vec<Priority> = entering
        .rows(
            tx,
            format!("{PRIORITY} WHERE p.customer_id IN ({ENTERING})"),
        )
        .await?;
    let promises: Vec<Promise> = entering
        .rows(
            tx,
            format!(
        "SELECT {PROMISE} FROM promises WHERE status = 'open' AND customer_id IN ({ENTERING})"
    ),
        )
        .await?;
    // What happened last time: each customer's most recent notes.
    let notes: Vec<VisitNote> = entering
        .rows(
            tx,
            format!(
                "SELECT {NOTE} FROM (
            SELECT {NOTE}, ROW_NUMBER() OVER (
                PARTITION BY customer_id ORDER BY written_at DESC, id DESC) AS recent
            FROM visit_notes WHERE customer_id IN ({ENTERING})
         ) AS latest WHERE recent <= {RECENT_NOTES}"
            ),
        )
        .await?;
    merge_new(&mut page.customers, customers, |c| c.id);
    merge_new(&mut page.priorities, priorities, |p| p.id);
    merge_new(&mut page.promises, promises, |p| p.id);
    merge_new(&mut page.notes, notes, |n| n.id);
    Ok(())
}

/// The parameters of [`ENTERING`].
struct Entering<'a> {
    technician: Uuid,
    scope: &'a PullScope,
    cursor: i64,
    cut: i64,
}

impl Entering<'_> {
    async fn rows<T>(&self, tx: &mut Tx<'_>, sql: String) -> StoreResult<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
    {
        Ok(sqlx::query_as(q(&sql))
            .bind(self.technician)
            .bind(self.scope.from)
            .bind(self.scope.to)
            .bind(self.cursor)
            .bind(self.cut)
            .bind(self.scope.entered_after)
            .fetch_all(&mut **tx)
            .await?)
    }
}

/// Adds the rows the page does not already carry.
fn merge_new<T>(page: &mut Vec<T>, rows: Vec<T>, id: impl Fn(&T) -> Uuid) {
    let known: HashSet<Uuid> = page.iter().map(&id).collect();
    page.extend(rows.into_iter().filter(|r| !known.contains(&id(r))));
}

async fn query<T>(
    tx: &mut Tx<'_>,
    scope: &PullScope,
    cursor: i64,
    fetch: i64,
    sql: &str,
) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    Ok(sqlx::query_as(q(sql))
        .bind(scope.technician_id)
        .bind(scope.from)
        .bind(scope.to)
        .bind(cursor)
        .bind(fetch)
        .fetch_all(&mut **tx)
        .await?)
}

/// Notes sent with a customer coming into a phone's scope (the phone keeps as many).
const RECENT_NOTES: usize = 5;
const NOTE: &str = "id, visit_id, customer_id, author_id, body, written_at, version";
