//! The admin's API tokens, on every backend this run covers.

mod common;

use common::*;
use service::api_tokens::{self, TOKEN_PREFIX};
use service::ServiceError;
use testdb::TestDb;

#[tokio::test]
async fn only_the_admin_makes_lists_and_revokes_tokens() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let p = people(&state.store).await;

        for someone in [&p.office, &p.sam] {
            let made = api_tokens::make(&state, someone, "Accounts").await;
            assert_eq!(made.unwrap_err().status(), 403, "{}", db.backend);
            let listed = api_tokens::list(&state, someone).await;
            assert_eq!(listed.unwrap_err().status(), 403, "{}", db.backend);
        }
        let unnamed = api_tokens::make(&state, &p.admin, "  ").await;
        assert!(
            matches!(unnamed, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );
        let long = api_tokens::make(&state, &p.admin, &"x".repeat(101)).await;
        assert!(long
            .unwrap_err()
            .to_string()
            .contains("up to 100 characters"));

        let token = api_tokens::make(&state, &p.admin, " Accounts ")
            .await
            .unwrap();
        assert!(
            token.starts_with(TOKEN_PREFIX) && token.len() > 40,
            "{token}"
        );
        let rows = api_tokens::list(&state, &p.admin).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", db.backend);
        assert_eq!(rows[0].name, "Accounts", "{}", db.backend);
        assert_eq!(rows[0].made, "2026-03-10 12:00 by ada", "{}", db.backend);
        assert_eq!(
            (rows[0].last_used.clone(), rows[0].revoked.clone()),
            (None, None)
        );

        let by_office = api_tokens::revoke(&state, &p.office, rows[0].id).await;
        assert_eq!(by_office.unwrap_err().status(), 403, "{}", db.backend);
        api_tokens::revoke(&state, &p.admin, rows[0].id)
            .await
            .unwrap();
        let rows = api_tokens::list(&state, &p.admin).await.unwrap();
        assert_eq!(rows[0].revoked.as_deref(), Some("2026-03-10 12:00"));
    }
}
