//! The plan and one-off visit rules, called as every adapter calls them, on every backend this
//! run covers: who may schedule, what a plan must say, and the visits it brings.

mod common;

use chrono::{Datelike, Duration, NaiveTime, Weekday};
use common::*;
use domain::plan::Frequency;
use service::plans::{self, PlanInput};
use service::ServiceError;
use testdb::TestDb;
use uuid::Uuid;

fn weekly(customer_id: Uuid) -> PlanInput {
    PlanInput {
        customer_id,
        plan_id: None,
        service_type: "Pest control".into(),
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays: vec![Weekday::Tue],
        months: vec![],
        window_start: NaiveTime::from_hms_opt(9, 0, 0),
        window_end: NaiveTime::from_hms_opt(10, 0, 0),
        technician: None,
        starts_on: today(),
        ends_on: None,
    }
}

/// A change that breaks one rule of a plan, and what the office is told.
type Spoiled = (fn(&mut PlanInput), &'static str);

fn message(result: Result<String, ServiceError>) -> String {
    result.unwrap_err().to_string()
}

#[tokio::test]
async fn a_plan_is_checked_field_by_field_and_saving_it_schedules_its_visits() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        let save = |input| plans::save(&state, &p.office, input);

        let by_sam = plans::save(&state, &p.sam, weekly(dorothy.id)).await;
        assert_eq!(by_sam.unwrap_err().status(), 403, "{}", db.backend);
        let nobody = save(weekly(domain::new_id())).await;
        assert_eq!(nobody.unwrap_err().status(), 404, "{}", db.backend);
        let cases: Vec<Spoiled> = vec![
            (|i| i.service_type = " ".into(), "Name the service"),
            (|i| i.interval = 0, "Repeat every 1 to 52"),
            (|i| i.interval = 53, "Repeat every 1 to 52"),
            (|i| i.frequency = Frequency::Seasonal, "Choose the months"),
            (
                |i| i.window_end = NaiveTime::from_hms_opt(8, 0, 0),
                "The window must end after it starts.",
            ),
            (
                |i| i.ends_on = Some(i.starts_on - Duration::days(1)),
                "The plan must end after it starts.",
            ),
        ];
        for (spoil, says) in cases {
            let mut input = weekly(dorothy.id);
            spoil(&mut input);
            let said = message(save(input).await);
            assert!(said.contains(says), "{said} {}", db.backend);
        }
        let mut office_person = weekly(dorothy.id);
        office_person.technician = Some(p.office.id);
        assert_eq!(
            message(save(office_person).await),
            "Choose one of the technicians."
        );
        assert!(plans::parse_frequency("daily").is_err());
        assert_eq!(
            plans::parse_frequency(" monthly ").unwrap(),
            Frequency::Monthly
        );

        let mut input = weekly(dorothy.id);
        input.technician = Some(p.sam.id);
        let said = save(input).await.unwrap();
        assert!(said.starts_with("Plan saved: "), "{said}");
        assert!(!said.starts_with("Plan saved: 0 visits added"), "{said}");
        let visits = store
            .customer_visits(dorothy.id, today(), today() + Duration::weeks(4))
            .await
            .unwrap();
        assert!(visits.iter().all(|v| v.technician_id == Some(p.sam.id)));
        assert!(visits
            .iter()
            .all(|v| v.scheduled_on.weekday() == Weekday::Tue));
        let page = service::customers::detail(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        assert_eq!(page.plans.len(), 1, "{}", db.backend);
        assert_eq!(page.plans[0].technician.as_deref(), Some("sam"));
    }
}

#[tokio::test]
async fn a_one_off_visit_goes_to_the_customers_technician_today_or_later() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        let nine = NaiveTime::from_hms_opt(9, 0, 0);
        let add = |who, date, start, end| {
            service::visits::add_one_off(&state, who, dorothy.id, date, start, end)
        };

        let by_sam = add(&p.sam, today(), None, None).await;
        assert_eq!(by_sam.unwrap_err().status(), 403, "{}", db.backend);
        let yesterday = add(&p.office, today() - Duration::days(1), None, None).await;
        assert_eq!(
            yesterday.unwrap_err().to_string(),
            "Choose today or a day to come."
        );
        let backwards = add(&p.office, today(), nine, NaiveTime::from_hms_opt(8, 0, 0)).await;
        assert!(matches!(backwards, Err(ServiceError::Invalid(_))));

        let visit = add(&p.office, today() + Duration::days(2), nine, None)
            .await
            .unwrap();
        assert_eq!(visit.technician_id, Some(p.sam.id), "{}", db.backend);
        assert_eq!(visit.window_start, nine, "{}", db.backend);
    }
}
