//! Moving an installation from SQLite to PostgreSQL: every row of every table, with the same
//! ids and versions, so phones keep syncing from where they were.

use crate::{StoreError, StoreResult};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Connection, Postgres, QueryBuilder, Row, SqliteConnection};
use std::str::FromStr;
use uuid::Uuid;

/// Tables in an order that satisfies their foreign keys. A table left out would silently not
/// be copied: `store/tests/schema.rs` checks this list against the migrated databases.
pub const TABLES: &[&str] = &[
    "settings",
    "users",
    "sessions",
    "calendar_feeds",
    "api_tokens",
    "login_failures",
    "customers",
    "priorities",
    "priority_events",
    "service_plans",
    "visits",
    "visit_notes",
    "promises",
    "devices",
    "device_sessions",
    "applied_mutations",
    "tombstones",
    "field_versions",
    "conflicts",
    "scope_exits",
    "continuity_breaks",
    "calls",
    "audit_log",
];

/// Tables copied on their own, not row by row: `org_state` (the version counter, carried over
/// so pulls continue) and sqlx's record of the migrations applied (each side has its own).
pub const COPIED_APART: &[&str] = &["org_state", "_sqlx_migrations"];

/// Tables whose ids come from a sequence in PostgreSQL: the sequence continues after the copy.
const SERIAL_TABLES: &[&str] = &["login_failures", "scope_exits", "audit_log"];

const BATCH: usize = 500;

/// Rows copied per table.
pub type CopyReport = Vec<(String, u64)>;

/// Copies the SQLite database at `from` into the PostgreSQL database at `to`, which must be
/// empty (it is migrated first). All in one PostgreSQL transaction: a failed copy leaves the
/// target as it was.
pub async fn sqlite_to_postgres(from: &str, to: &str) -> StoreResult<CopyReport> {
    // Both are brought to the latest schema first, so their columns match.
    crate::sqlite::SqliteStore::open(from).await?;
    crate::postgres::PgStore::open(to).await?;
    let mut source =
        SqliteConnection::connect_with(&SqliteConnectOptions::from_str(from)?.read_only(true))
            .await?;
    let target = PgPoolOptions::new().max_connections(1).connect(to).await?;
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&target)
        .await?;
    if users > 0 {
        return Err(StoreError::Refused(
            "The PostgreSQL database already has data; copy into an empty database.".into(),
        ));
    }
    let mut tx = target.begin().await?;
    let mut report = vec![];
    for table in TABLES {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&mut *tx)
        .await?;
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        let rows: Vec<SqliteRow> =
            sqlx::query(&format!("SELECT {} FROM {table}", names.join(", ")))
                .fetch_all(&mut source)
                .await?;
        for chunk in rows.chunks(BATCH) {
            let mut insert: QueryBuilder<Postgres> =
                QueryBuilder::new(format!("INSERT INTO {table} ({}) ", names.join(", ")));
            let mut failed = None;
            insert.push_values(chunk, |mut values, row| {
                for (i, (name, kind)) in columns.iter().enumerate() {
                    if let Err(e) = push_value(&mut values, row, i, kind) {
                        failed.get_or_insert(format!("{table}.{name}: {e}"));
                    }
                }
            });
            if let Some(e) = failed {
                return Err(StoreError::Other(format!("cannot copy {e}")));
            }
            insert.build().execute(&mut *tx).await?;
        }
        report.push((table.to_string(), rows.len() as u64));
    }
    for table in SERIAL_TABLES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *tx)
        .await?;
    }
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM org_state WHERE id = 1")
        .fetch_one(&mut source)
        .await?;
    sqlx::query("UPDATE org_state SET version = $1 WHERE id = 1")
        .bind(version)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    target.close().await;
    Ok(report)
}

/// Reads column `i` of a SQLite row as the type PostgreSQL has for it.
fn push_value(
    values: &mut sqlx::query_builder::Separated<'_, '_, Postgres, &'static str>,
    row: &SqliteRow,
    i: usize,
    pg_type: &str,
) -> Result<(), sqlx::Error> {
    match pg_type {
        "uuid" => values.push_bind(row.try_get::<Option<Uuid>, _>(i)?),
        "bigint" | "integer" => values.push_bind(row.try_get::<Option<i64>, _>(i)?),
        "boolean" => values.push_bind(row.try_get::<Option<bool>, _>(i)?),
        "timestamp with time zone" => values.push_bind(row.try_get::<Option<DateTime<Utc>>, _>(i)?),
        "date" => values.push_bind(row.try_get::<Option<NaiveDate>, _>(i)?),
        "time without time zone" => values.push_bind(row.try_get::<Option<NaiveTime>, _>(i)?),
        _ => values.push_bind(row.try_get::<Option<String>, _>(i)?),
    };
    Ok(())
}
