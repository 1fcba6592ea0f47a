//! The at-risk list as the office page gets it, on the demo's story, on every backend.

mod common;

use common::*;
use domain::continuity::BreakReason;
use domain::{PromiseStatus, Role};
use std::collections::BTreeSet;
use store::PromiseFilter;
use testdb::TestDb;
use uuid::Uuid;

#[tokio::test]
async fn the_demo_puts_dorothy_at_the_top_of_the_at_risk_list() {
    for db in TestDb::all().await {
        eprintln!("backend: {}", db.backend);
        let state = state(&db).await;
        demo::seed(state.store.as_ref(), today(), now())
            .await
            .unwrap();
        let users = |role| state.store.list_users(Some(role));
        let office = users(Role::Office).await.unwrap().remove(0);
        let technician = users(Role::Technician).await.unwrap().remove(0);

        let refused = service::continuity::at_risk(&state, &technician).await;
        assert_eq!(refused.unwrap_err().status(), 403, "the office's list");

        let ranked = service::continuity::at_risk(&state, &office).await.unwrap();
        assert!(ranked.len() > 1, "{ranked:?}");
        let top = &ranked[0];
        assert_eq!(top.customer_name, demo::DOROTHY, "{ranked:#?}");
        assert!(top.score > ranked[1].score, "Dorothy is clearly first");
        assert_eq!(top.continuity.completed, 10);
        assert_eq!(top.continuity.technicians, 4);
        assert_eq!(top.continuity.by_assigned, 5);
        assert_eq!(
            top.reasons[..2],
            ["4 technicians in the last 10 visits", "1 continuity break"]
        );

        // Some promises are overdue right now (open and due before today), and their
        // customers are on the list for it.
        let overdue = state
            .store
            .promises(&PromiseFilter {
                status: Some(PromiseStatus::Open),
                due_by: Some(today() - chrono::Duration::days(1)),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(!overdue.is_empty());
        assert!(overdue
            .iter()
            .all(|p| p.status == PromiseStatus::Open && p.due_on < today()));
        let overdue_customers: BTreeSet<Uuid> = overdue.iter().map(|p| p.customer_id).collect();
        assert!(ranked
            .iter()
            .any(|r| overdue_customers.contains(&r.customer_id)
                && r.reasons.iter().any(|x| x.contains("overdue promise"))));

        // Exactly one continuity break for Dorothy: Sam's vacation next week.
        let breaks = state
            .store
            .continuity_breaks(top.customer_id)
            .await
            .unwrap();
        assert_eq!(breaks.len(), 1, "{breaks:?}");
        assert_eq!(breaks[0].reason, BreakReason::Vacation);
    }
}
