//! The two schemas, as the migrations leave them, checked against what depends on them: the
//! copy to PostgreSQL names every table (a table left out is silently not copied), and the
//! SQLite and PostgreSQL migrations build the same tables with the same columns (a column
//! added on one side only works in the tests of one backend and fails in production on the
//! other).

use std::collections::{BTreeMap, BTreeSet};
use store::copy::{COPIED_APART, TABLES};
use testdb::{TestDb, TEST_DATABASE_URL};

/// A table's columns: name → may it hold NULL.
type Columns = BTreeMap<String, bool>;
type Schema = BTreeMap<String, Columns>;

/// The schema of a freshly migrated database.
async fn schema(db: &TestDb) -> Schema {
    // Opening the store applies the migrations.
    store::connect(&db.url).await.unwrap();
    match db.backend {
        "postgres" => postgres_schema(&db.url).await,
        _ => sqlite_schema(&db.url).await,
    }
}

async fn sqlite_schema(url: &str) -> Schema {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table,) in tables {
        // name, notnull, pk: a primary key is never NULL on PostgreSQL; on SQLite a
        // non-integer one may be unless declared NOT NULL, which no insert relies on.
        let columns: Vec<(String, bool, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info(?)")
                .bind(&table)
                .fetch_all(&pool)
                .await
                .unwrap();
        let columns = columns
            .into_iter()
            .map(|(name, not_null, pk)| (name, !not_null && pk == 0))
            .collect();
        schema.insert(table, columns);
    }
    pool.close().await;
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table, column, nullable) in columns {
        schema
            .entry(table)
            .or_default()
            .insert(column, nullable == "YES");
    }
    pool.close().await;
    schema
}

#[tokio::test]
async fn the_copy_names_every_table_the_migrations_make() {
    for db in TestDb::all().await {
        let tables: BTreeSet<String> = schema(&db).await.into_keys().collect();
        let copied: BTreeSet<String> = TABLES.iter().map(|t| t.to_string()).collect();
        let apart: BTreeSet<String> = COPIED_APART.iter().map(|t| t.to_string()).collect();
        let expected: BTreeSet<String> = copied.union(&apart).cloned().collect();
        let forgotten: Vec<_> = tables.difference(&expected).collect();
        assert!(
            forgotten.is_empty(),
            "{}: tables store::copy::TABLES does not copy: {forgotten:?}; add each to TABLES \
             (after the tables it refers to) or, if copied another way, to COPIED_APART",
            db.backend
        );
        let gone: Vec<_> = copied.difference(&tables).collect();
        assert!(
            gone.is_empty(),
            "{}: store::copy::TABLES names tables the migrations do not make: {gone:?}",
            db.backend
        );
        assert_eq!(copied.len(), TABLES.len(), "a table is listed twice");
    }
}

#[tokio::test]
async fn the_sqlite_and_postgresql_schemas_have_the_same_columns() {
    let Ok(server) = std::env::var(TEST_DATABASE_URL) else {
        eprintln!("note: {TEST_DATABASE_URL} is not set; the schema comparison was skipped");
        return;
    };
    let sqlite = schema(&TestDb::sqlite()).await;
    let postgres = schema(&TestDb::postgres(&server).await).await;
    let mut differences = Vec::new();
    let tables: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for table in tables {
        // Each side records its own migrations, in its own way.
        if table == "_sqlx_migrations" {
            continue;
        }
        let (Some(lite), Some(pg)) = (sqlite.get(table), postgres.get(table)) else {
            let only = if sqlite.contains_key(table) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            differences.push(format!("table {table}: only on {only}"));
            continue;
        };
        let columns: BTreeSet<&String> = lite.keys().chain(pg.keys()).collect();
        for column in columns {
            match (lite.get(column), pg.get(column)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => differences.push(format!(
                    "{table}.{column}: {} on SQLite, {} on PostgreSQL",
                    nullability(*a),
                    nullability(*b)
                )),
                (Some(_), None) => differences.push(format!("{table}.{column}: only on SQLite")),
                (None, _) => differences.push(format!("{table}.{column}: only on PostgreSQL")),
            }
        }
    }
    assert!(
        differences.is_empty(),
        "the migrations of store/migrations/sqlite and store/migrations/postgres disagree; \
         add a migration on the side that lacks it:\n{}",
        differences.join("\n")
    );
}

fn nullability(nullable: bool) -> &'static str {
    if nullable {
        "NULL allowed"
    } else {
        "NOT NULL"
    }
}
