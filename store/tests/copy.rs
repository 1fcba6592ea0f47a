//! Moving a SQLite installation to PostgreSQL keeps every record, id and version.

use chrono::{Duration, SubsecRound, Utc};
use domain::{new_id, PriorityDraft, Role};
use store::{CustomerFilter, NewPriority, PullScope, StoreError};
use testdb::{TestDb, TEST_DATABASE_URL};

#[tokio::test]
async fn a_sqlite_installation_copies_to_postgresql_and_carries_on_there() {
    let Ok(server) = std::env::var(TEST_DATABASE_URL) else {
        eprintln!("note: {TEST_DATABASE_URL} is not set; the copy to PostgreSQL was skipped");
        return;
    };
    let (from, to) = (TestDb::sqlite(), TestDb::postgres(&server).await);
    let sqlite = store::connect(&from.url).await.unwrap();
    // PostgreSQL keeps microseconds; the app's clock gives no finer (see `Clock`).
    let now = Utc::now().trunc_subsecs(6);
    let today = now.date_naive();
    demo::seed(sqlite.as_ref(), today, now).await.unwrap();
    // Something in every sequence-numbered table.
    sqlite
        .record_login_failure("someone@example.com", now)
        .await
        .unwrap();

    let report = store::copy::sqlite_to_postgres(&from.url, &to.url)
        .await
        .unwrap();
    let copied = |table: &str| report.iter().find(|(t, _)| t == table).unwrap().1;
    assert_eq!(copied("customers"), 40);
    assert!(copied("visits") > 200, "{report:?}");
    assert!(
        copied("audit_log") > 0 && copied("scope_exits") > 0,
        "{report:?}"
    );

    let pg = store::connect(&to.url).await.unwrap();
    let all = CustomerFilter {
        limit: 1000,
        ..Default::default()
    };
    assert_eq!(
        sqlite.list_customers(&all).await.unwrap(),
        pg.list_customers(&all).await.unwrap()
    );
    // A phone's next pull is the same whichever database answers it.
    let sam = sqlite
        .list_users(Some(Role::Technician))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "sam@rapport.example")
        .unwrap();
    for technician_id in [None, Some(sam.id)] {
        let scope = PullScope {
            technician_id,
            from: today - Duration::days(7),
            to: today + Duration::days(14),
            entered_after: None,
        };
        assert_eq!(
            sqlite.pull(&scope, 0, 5000).await.unwrap(),
            pg.pull(&scope, 0, 5000).await.unwrap()
        );
    }
    let dorothy = sqlite.list_customers(&all).await.unwrap()[0].id;
    assert_eq!(
        sqlite.customer_history(dorothy, 100).await.unwrap(),
        pg.customer_history(dorothy, 100).await.unwrap()
    );

    // Work carries on in PostgreSQL: versions continue past the copied ones.
    let today_only = PullScope {
        technician_id: None,
        from: today,
        to: today,
        entered_after: None,
    };
    let cursor = pg.pull(&today_only, 0, 5000).await.unwrap().cursor;
    let added = pg
        .add_priority(NewPriority {
            id: new_id(),
            customer_id: dorothy,
            draft: PriorityDraft {
                text: "Moved to PostgreSQL".into(),
                pinned: false,
            },
            heard_by_id: sam.id,
            heard_role: Role::Technician,
            heard_at: Utc::now(),
        })
        .await
        .unwrap();
    assert!(added.version > cursor);
    pg.record_login_failure("someone@example.com", Utc::now())
        .await
        .unwrap();

    // Copying again into a database with data is refused.
    let again = store::copy::sqlite_to_postgres(&from.url, &to.url).await;
    assert!(matches!(again, Err(StoreError::Refused(_))), "{again:?}");
}
