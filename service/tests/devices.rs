//! The admin's devices: listing, signing out and allowing again, on every backend this run
//! covers.

mod common;

use common::*;
use service::devices;
use testdb::TestDb;

#[tokio::test]
async fn only_the_admin_lists_signs_out_and_allows_devices_again() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let p = people(&state.store).await;
        let phone = domain::new_id();
        state
            .store
            .register_device(phone, p.sam.id, "", now())
            .await
            .unwrap();

        for someone in [&p.office, &p.sam] {
            let listed = devices::list(&state, someone).await;
            assert_eq!(listed.unwrap_err().status(), 403, "{}", db.backend);
            let revoked = devices::revoke(&state, someone, phone).await;
            assert_eq!(revoked.unwrap_err().status(), 403, "{}", db.backend);
            let allowed = devices::allow(&state, someone, phone).await;
            assert_eq!(allowed.unwrap_err().status(), 403, "{}", db.backend);
        }
        let rows = devices::list(&state, &p.admin).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", db.backend);
        assert_eq!(rows[0].owner, "sam", "{}", db.backend);
        assert_eq!(rows[0].first_seen, "2026-03-10 12:00", "{}", db.backend);
        assert_eq!(rows[0].signed_out, None, "{}", db.backend);

        devices::revoke(&state, &p.admin, phone).await.unwrap();
        let rows = devices::list(&state, &p.admin).await.unwrap();
        assert_eq!(rows[0].signed_out.as_deref(), Some("2026-03-10 12:00"));
        devices::allow(&state, &p.admin, phone).await.unwrap();
        let rows = devices::list(&state, &p.admin).await.unwrap();
        assert_eq!(rows[0].signed_out, None, "{}", db.backend);
    }
}
