//! A technician's day, as the today page gets it, on every backend this run covers.

mod common;

use chrono::NaiveTime;
use common::*;
use domain::PriorityDraft;
use testdb::TestDb;

#[tokio::test]
async fn a_technician_gets_their_own_stops_in_order_with_what_matters_to_each_customer() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        let diner = customer(store, "Green Fork Diner", Some(p.sam.id)).await;
        let bakery = customer(store, "Bakery", Some(p.priya.id)).await;
        let wish = PriorityDraft {
            text: "Same technician every time".into(),
            pinned: true,
        };
        service::priorities::add(&state, &p.sam, dorothy.id, wish)
            .await
            .unwrap();
        // Scheduled out of order: the route puts the nine o'clock stop first.
        for (customer, hour) in [(diner.id, 11), (dorothy.id, 9), (bakery.id, 8)] {
            let start = NaiveTime::from_hms_opt(hour, 0, 0);
            service::visits::add_one_off(&state, &p.office, customer, today(), start, None)
                .await
                .unwrap();
        }

        let office = service::today::today(&state, &p.office).await;
        assert_eq!(office.unwrap_err().status(), 403, "technicians only");
        let route = service::today::today(&state, &p.sam).await.unwrap();
        assert_eq!(route.date, today(), "{}", db.backend);
        let names: Vec<&str> = route
            .stops
            .iter()
            .map(|s| s.customer.name.as_str())
            .collect();
        assert_eq!(names, ["Dorothy's", "Green Fork Diner"], "{}", db.backend);
        assert_eq!(route.stops[0].priorities.len(), 1, "{}", db.backend);
        assert!(route.stops[1].priorities.is_empty(), "{}", db.backend);
        let priyas = service::today::today(&state, &p.priya).await.unwrap();
        assert_eq!(priyas.stops.len(), 1, "only her own: {}", db.backend);
    }
}
