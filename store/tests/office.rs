mod common;

// Office features of the store: plans that generate visits, the day board's moves, continuity
// breaks, the promise ledger and the call log, and the audit trail (the demo's at-risk story is
// told through the service layer, in `service/tests/continuity.rs`).
// Written against `DynStore` only, so the PostgreSQL store can run the same tests; each test
// gets its own temporary SQLite file.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use common::{at, customer, stores, user};
use domain::continuity::BreakReason;
use domain::plan::{local_to_utc, Frequency, ServicePlan};
use domain::sync::{AdvanceVisit, Change, Decoded, Mutation, Outcome, PullResponse};
use domain::{new_id, PromiseOrigin, PromiseStatus, Role, UserSummary, Visit, VisitStatus};
use std::collections::HashMap;
use store::{
    DynStore, Generated, NewBreak, NewPromise, NewVisit, PromiseFilter, PullScope, StoreError,
    VisitMove,
};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

/// A weekly plan with an 08:00–10:00 window.
fn weekly_plan(
    customer_id: Uuid,
    technician: Uuid,
    starts_on: NaiveDate,
    weekdays: Vec<Weekday>,
) -> ServicePlan {
    ServicePlan {
        id: new_id(),
        customer_id,
        service_type: "General pest control".into(),
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays,
        months: vec![],
        window_start: Some(hm(8, 0)),
        window_end: Some(hm(10, 0)),
        technician_id: Some(technician),
        starts_on,
        ends_on: None,
        version: 0,
    }
}

fn monthly_plan(customer_id: Uuid, technician: Uuid, starts_on: NaiveDate) -> ServicePlan {
    ServicePlan {
        frequency: Frequency::Monthly,
        ..weekly_plan(customer_id, technician, starts_on, vec![])
    }
}

/// A one-off visit, scheduled by `by` (so it has a "scheduled" line in the audit trail).
fn one_off(customer_id: Uuid, tech: Uuid, day: NaiveDate, position: i64, by: Uuid) -> NewVisit {
    NewVisit {
        id: new_id(),
        plan: None,
        created_by: Some(by),
        customer_id,
        technician_id: Some(tech),
        scheduled_on: day,
        window_start: None,
        window_end: None,
        position,
        status: VisitStatus::Scheduled,
        arrived_at: None,
        departed_at: None,
        skip_reason: None,
    }
}

fn new_promise(
    customer_id: Uuid,
    owner: Uuid,
    text: &str,
    due_on: NaiveDate,
    origin: PromiseOrigin,
) -> NewPromise {
    NewPromise {
        id: new_id(),
        customer_id,
        owner_id: owner,
        text: text.into(),
        due_on,
        due_time: None,
        origin,
        visit_id: None,
        created_by: owner,
    }
}

/// The technician finishes the visit on their phone: the real sync path, not a back door.
async fn mark_done(store: &DynStore, tech: &UserSummary, visit_id: Uuid, when: DateTime<Utc>) {
    let device = new_id();
    store
        .register_device(device, tech.id, "", when)
        .await
        .unwrap();
    let mutation = Mutation {
        id: new_id(),
        seq: 1,
        made_at: when,
        change: Change::AdvanceVisit(AdvanceVisit {
            visit_id,
            status: VisitStatus::Done,
            at: when,
            skip_reason: None,
        }),
    };
    let outcomes = store
        .apply_push(
            device,
            tech,
            &[Decoded::Readable(mutation)],
            when,
            when.date_naive(),
        )
        .await
        .unwrap();
    assert_eq!(outcomes, [Outcome::Applied]);
}

/// A technician's phone pulling March and April 2026 in one page.
async fn pull(store: &DynStore, technician: Uuid, cursor: i64) -> PullResponse {
    let scope = PullScope {
        technician_id: Some(technician),
        from: d(2026, 3, 1),
        to: d(2026, 4, 30),
        entered_after: None,
    };
    let page = store.pull(&scope, cursor, 5000).await.unwrap();
    assert!(!page.more, "one page is enough for these tests");
    page
}

fn ids(visits: &[Visit]) -> Vec<Uuid> {
    visits.iter().map(|v| v.id).collect()
}

fn days(visits: &[Visit]) -> Vec<NaiveDate> {
    visits.iter().map(|v| v.scheduled_on).collect()
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn generating_a_plans_visits_twice_creates_them_once() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        // 2026-03-03 is a Tuesday.
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();

        // Eight weeks: Monday 2 March to Sunday 26 April, eight Tuesdays.
        let (from, to) = (d(2026, 3, 2), d(2026, 4, 26));
        let expected = plan.occurrences(from, to);
        assert_eq!(expected.len(), 8);

        let first = t
            .store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();
        assert_eq!(
            first,
            Generated {
                created: 8,
                updated: 0,
                removed: 0
            }
        );
        let second = t
            .store
            .generate_visits(plan.id, from, to, at(2))
            .await
            .unwrap();
        assert_eq!(
            second,
            Generated::default(),
            "nothing to do the second time"
        );

        let visits = t.store.customer_visits(c.id, from, to).await.unwrap();
        assert_eq!(
            days(&visits),
            expected,
            "one visit per plan date, no duplicates"
        );
        for v in &visits {
            assert_eq!(v.technician_id, Some(sam.id));
            assert_eq!(
                (v.window_start, v.window_end),
                (Some(hm(8, 0)), Some(hm(10, 0)))
            );
            assert_eq!(v.status, VisitStatus::Scheduled);
        }
        // Only the run that changed something is in the plan's history.
        let history = t.store.history("plan", plan.id).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["created", "generated visits"]);
    }
}

#[tokio::test]
async fn editing_a_plan_changes_only_future_unstarted_visits() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        let (from, to) = (d(2026, 3, 2), d(2026, 4, 26));
        t.store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();

        // Today is Tuesday 17 March: Sam did today's visit this morning.
        let today = d(2026, 3, 17);
        let before = t.store.customer_visits(c.id, from, to).await.unwrap();
        let todays = before.iter().find(|v| v.scheduled_on == today).unwrap();
        mark_done(&t.store, &sam, todays.id, utc(2026, 3, 17, 10, 0)).await;
        let before = t.store.customer_visits(c.id, from, to).await.unwrap();
        let by_day: HashMap<NaiveDate, Visit> =
            before.iter().map(|v| (v.scheduled_on, v.clone())).collect();
        let sams_cursor = pull(&t.store, sam.id, 0).await.cursor;

        // The customer now wants every other week, Tuesdays and Thursdays, in the afternoon.
        let edited = ServicePlan {
            interval: 2,
            weekdays: vec![Weekday::Tue, Weekday::Thu],
            window_start: Some(hm(13, 0)),
            window_end: Some(hm(15, 0)),
            ..plan.clone()
        };
        let edited = t
            .store
            .save_plan(edited, office.id, utc(2026, 3, 17, 14, 0))
            .await
            .unwrap();
        assert_eq!(edited.interval, 2);
        let report = t
            .store
            .generate_visits(plan.id, today, to, utc(2026, 3, 17, 14, 0))
            .await
            .unwrap();
        // New plan from today: Tue 17 (done), Thu 19, Tue 31, Thu 2, Tue 14, Thu 16.
        // Old unstarted Tuesdays: 24 and 7 and 21 go, 31 and 14 get the new window,
        // Thursdays 19, 2 and 16 are new.
        assert_eq!(
            report,
            Generated {
                created: 3,
                updated: 2,
                removed: 3
            }
        );

        let after = t.store.customer_visits(c.id, from, to).await.unwrap();
        // The past and the finished visit are history: exactly as they were.
        for day in [d(2026, 3, 3), d(2026, 3, 10), today] {
            let now = after.iter().find(|v| v.scheduled_on == day).unwrap();
            assert_eq!(now, &by_day[&day], "{day} must not change");
        }
        assert_eq!(by_day[&today].status, VisitStatus::Done);
        assert_eq!(by_day[&today].window_start, Some(hm(8, 0)));

        // The future follows the new plan.
        let future: Vec<Visit> = after
            .iter()
            .filter(|v| v.scheduled_on > today)
            .cloned()
            .collect();
        assert_eq!(
            days(&future),
            edited.occurrences(today + Duration::days(1), to)
        );
        assert_eq!(
            days(&future),
            [
                d(2026, 3, 19),
                d(2026, 3, 31),
                d(2026, 4, 2),
                d(2026, 4, 14),
                d(2026, 4, 16)
            ]
        );
        for v in &future {
            assert_eq!(v.status, VisitStatus::Scheduled);
            assert_eq!(
                (v.window_start, v.window_end),
                (Some(hm(13, 0)), Some(hm(15, 0)))
            );
            assert_eq!(v.technician_id, Some(sam.id));
        }
        // Dates both plans share keep their visit (updated, not replaced)...
        for day in [d(2026, 3, 31), d(2026, 4, 14)] {
            let now = future.iter().find(|v| v.scheduled_on == day).unwrap();
            assert_eq!(now.id, by_day[&day].id);
            assert!(now.version > by_day[&day].version);
        }
        // ...and the visits on dates the plan no longer has are gone.
        for day in [d(2026, 3, 24), d(2026, 4, 7), d(2026, 4, 21)] {
            let gone = t.store.get_visit(by_day[&day].id).await.unwrap();
            assert!(gone.is_none(), "{day} should have been removed");
        }
        // Sam's phone drops the removed visits and gets the new and updated ones.
        let page = pull(&t.store, sam.id, sams_cursor).await;
        let removed: Vec<Uuid> = [d(2026, 3, 24), d(2026, 4, 7), d(2026, 4, 21)]
            .iter()
            .map(|day| by_day[day].id)
            .collect();
        assert_eq!(sorted(page.removed_visits.clone()), sorted(removed));
        assert_eq!(sorted(ids(&page.visits)), sorted(ids(&future)));

        // And the edited plan is stable too.
        let again = t
            .store
            .generate_visits(plan.id, today, to, utc(2026, 3, 17, 15, 0))
            .await
            .unwrap();
        assert_eq!(again, Generated::default());
    }
}

#[tokio::test]
async fn a_new_technician_on_the_plan_takes_over_future_visits_and_the_old_phone_drops_them() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        let (from, to) = (d(2026, 3, 2), d(2026, 4, 26));
        t.store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();
        let today = d(2026, 3, 17);
        let visits = t.store.customer_visits(c.id, from, to).await.unwrap();
        let todays = visits.iter().find(|v| v.scheduled_on == today).unwrap().id;
        mark_done(&t.store, &sam, todays, utc(2026, 3, 17, 10, 0)).await;

        // Both phones are in sync.
        let sams = pull(&t.store, sam.id, 0).await;
        assert_eq!(sams.visits.len(), 8);
        let priyas = pull(&t.store, priya.id, 0).await;
        assert!(priyas.visits.is_empty());

        // From today on, Priya does this customer.
        let handed = ServicePlan {
            technician_id: Some(priya.id),
            ..plan.clone()
        };
        t.store
            .save_plan(handed, office.id, utc(2026, 3, 17, 14, 0))
            .await
            .unwrap();
        let report = t
            .store
            .generate_visits(plan.id, today, to, utc(2026, 3, 17, 14, 0))
            .await
            .unwrap();
        // The five unstarted Tuesdays after today; today's (done) stays Sam's.
        assert_eq!(
            report,
            Generated {
                created: 0,
                updated: 5,
                removed: 0
            }
        );

        let after = t.store.customer_visits(c.id, from, to).await.unwrap();
        let (moved, kept): (Vec<Visit>, Vec<Visit>) =
            after.into_iter().partition(|v| v.scheduled_on > today);
        assert!(moved.iter().all(|v| v.technician_id == Some(priya.id)));
        assert!(kept.iter().all(|v| v.technician_id == Some(sam.id)));
        assert_eq!(kept.len(), 3, "3, 10 and 17 March stay Sam's");

        // Sam's phone is told to drop exactly the visits it lost, and no longer gets them.
        let sams = pull(&t.store, sam.id, sams.cursor).await;
        assert_eq!(sorted(sams.removed_visits.clone()), sorted(ids(&moved)));
        assert!(sams.visits.iter().all(|v| v.technician_id == Some(sam.id)));
        // Priya's phone gets them, with the customer.
        let priyas = pull(&t.store, priya.id, priyas.cursor).await;
        assert_eq!(sorted(ids(&priyas.visits)), sorted(ids(&moved)));
        assert!(priyas.customers.iter().any(|x| x.id == c.id));
        assert!(priyas.removed_visits.is_empty());
    }
}

#[tokio::test]
async fn a_visit_given_away_on_purpose_keeps_its_technician_when_the_plan_changes_hands() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        let jake = user(&t.store, "jake@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        let (from, to) = (d(2026, 3, 2), d(2026, 4, 26));
        t.store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();

        // Sam is away on the 24th: the dispatcher sends Priya, on purpose.
        let day = d(2026, 3, 24);
        let visits = t.store.customer_visits(c.id, day, day).await.unwrap();
        let mut tell = new_promise(
            c.id,
            office.id,
            "Tell Dorothy who is coming",
            d(2026, 3, 23),
            PromiseOrigin::ContinuityBreak,
        );
        tell.visit_id = Some(visits[0].id);
        let mv = VisitMove {
            visit_id: visits[0].id,
            technician_id: Some(priya.id),
            day,
            position: None,
            by: office.id,
            continuity_break: Some(NewBreak {
                reason: BreakReason::Vacation,
                reason_text: String::new(),
                promise: tell,
            }),
        };
        t.store.move_visit(mv, at(10)).await.unwrap();

        // Then the plan goes to Jake: every unstarted visit follows, except the deliberate one.
        let handed = ServicePlan {
            technician_id: Some(jake.id),
            ..plan.clone()
        };
        t.store.save_plan(handed, office.id, at(11)).await.unwrap();
        let today = d(2026, 3, 17);
        let report = t
            .store
            .generate_visits(plan.id, today, to, at(11))
            .await
            .unwrap();
        assert_eq!(report.updated, 5, "{report:?}");
        for v in t.store.customer_visits(c.id, today, to).await.unwrap() {
            let expected = if v.scheduled_on == day {
                priya.id
            } else {
                jake.id
            };
            assert_eq!(v.technician_id, Some(expected), "{}", v.scheduled_on);
        }
    }
}

#[tokio::test]
async fn a_monthly_plan_on_the_31st_falls_back_to_the_last_day_of_short_months() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;

        // 2027 is a common year, 2028 a leap year.
        let cases = [
            (
                d(2027, 1, 31),
                d(2027, 5, 31),
                vec![
                    d(2027, 1, 31),
                    d(2027, 2, 28),
                    d(2027, 3, 31),
                    d(2027, 4, 30),
                    d(2027, 5, 31),
                ],
            ),
            (
                d(2028, 1, 31),
                d(2028, 4, 30),
                vec![
                    d(2028, 1, 31),
                    d(2028, 2, 29),
                    d(2028, 3, 31),
                    d(2028, 4, 30),
                ],
            ),
        ];
        for (starts_on, to, expected) in cases {
            let c = customer(&t.store, &format!("Shop {starts_on}"), Some(sam.id)).await;
            let plan = monthly_plan(c.id, sam.id, starts_on);
            let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
            let from = d(starts_on.year(), 1, 1);
            let report = t
                .store
                .generate_visits(plan.id, from, to, at(1))
                .await
                .unwrap();
            assert_eq!(report.created as usize, expected.len());
            let visits = t.store.customer_visits(c.id, from, to).await.unwrap();
            assert_eq!(days(&visits), expected, "plan from {starts_on}");
            // Regenerating from the middle of the run (after a short month) finds them all.
            let again = t
                .store
                .generate_visits(plan.id, d(starts_on.year(), 3, 1), to, at(2))
                .await
                .unwrap();
            assert_eq!(again, Generated::default(), "plan from {starts_on}");
        }
    }
}

#[tokio::test]
async fn a_weekly_visit_keeps_its_local_time_and_weekday_across_daylight_saving() {
    let ny = chrono_tz::America::New_York;
    // 2027's spring-forward is Sunday 14 March, 02:00 EST -> 03:00 EDT.
    assert_eq!(
        local_to_utc(&ny, d(2027, 3, 9), hm(8, 0)),
        utc(2027, 3, 9, 13, 0),
        "08:00 EST is 13:00 UTC"
    );
    assert_eq!(
        local_to_utc(&ny, d(2027, 3, 16), hm(8, 0)),
        utc(2027, 3, 16, 12, 0),
        "08:00 EDT is 12:00 UTC"
    );
    // 02:30 does not exist that night: the first moment after the gap, 03:00 EDT.
    assert_eq!(
        local_to_utc(&ny, d(2027, 3, 14), hm(2, 30)),
        utc(2027, 3, 14, 7, 0)
    );
    // 01:30 happens twice on 7 November 2027: the earlier one (EDT).
    assert_eq!(
        local_to_utc(&ny, d(2027, 11, 7), hm(1, 30)),
        utc(2027, 11, 7, 5, 30)
    );

    // A plan's visits across the change stay on Tuesdays at 08:00 local.
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        // 2027-03-02 is a Tuesday.
        let plan = weekly_plan(c.id, sam.id, d(2027, 3, 2), vec![]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        let (from, to) = (d(2027, 3, 1), d(2027, 3, 31));
        t.store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();
        let visits = t.store.customer_visits(c.id, from, to).await.unwrap();
        assert_eq!(
            days(&visits),
            [
                d(2027, 3, 2),
                d(2027, 3, 9),
                d(2027, 3, 16),
                d(2027, 3, 23),
                d(2027, 3, 30)
            ]
        );
        for v in &visits {
            assert_eq!(v.scheduled_on.weekday(), Weekday::Tue);
            assert_eq!(v.window_start, Some(hm(8, 0)));
            let start = local_to_utc(&ny, v.scheduled_on, v.window_start.unwrap());
            let utc_hour = if v.scheduled_on < d(2027, 3, 14) {
                13
            } else {
                12
            };
            assert_eq!(start, v.scheduled_on.and_time(hm(utc_hour, 0)).and_utc());
        }
    }
}

#[test]
fn a_time_in_a_half_hour_daylight_saving_gap_becomes_the_end_of_the_gap() {
    // Lord Howe Island springs forward 30 minutes, 02:00 -> 02:30, on 4 October 2026. The
    // first moment after the gap is 02:30 local (+11:00), 15:30 UTC the day before.
    let lord_howe = chrono_tz::Australia::Lord_Howe;
    for missing in [hm(2, 0), hm(2, 15)] {
        assert_eq!(
            local_to_utc(&lord_howe, d(2026, 10, 4), missing),
            utc(2026, 10, 3, 15, 30),
            "{missing}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The day board
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn moving_visits_reorders_a_day_and_hands_visits_between_phones() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        let day = d(2026, 3, 10);
        let mut sams = vec![];
        for (n, name) in ["A", "B", "C"].into_iter().enumerate() {
            let c = customer(&t.store, name, Some(sam.id)).await;
            let v = one_off(c.id, sam.id, day, n as i64, office.id);
            sams.push(t.store.create_visit(v, at(1)).await.unwrap());
        }
        let (va, vb, vc) = (sams[0].clone(), sams[1].clone(), sams[2].clone());
        // Priya has a stop of her own that day, so her phone already has a cursor.
        let d_customer = customer(&t.store, "D", Some(priya.id)).await;
        let vd = one_off(d_customer.id, priya.id, day, 0, office.id);
        let vd = t.store.create_visit(vd, at(1)).await.unwrap();
        let sam_cursor = pull(&t.store, sam.id, 0).await.cursor;
        let priya_first = pull(&t.store, priya.id, 0).await;
        assert_eq!(ids(&priya_first.visits), [vd.id]);

        let mv = |visit: &Visit, tech: &UserSummary, position: Option<usize>| VisitMove {
            visit_id: visit.id,
            technician_id: Some(tech.id),
            day,
            position,
            by: office.id,
            continuity_break: None,
        };

        // C goes first in Sam's day.
        t.store
            .move_visit(mv(&vc, &sam, Some(0)), at(9))
            .await
            .unwrap();
        let board = t.store.visits_on(day).await.unwrap();
        let sams_day: Vec<Visit> = board
            .into_iter()
            .filter(|v| v.technician_id == Some(sam.id))
            .collect();
        assert_eq!(ids(&sams_day), [vc.id, va.id, vb.id]);
        let positions: Vec<i64> = sams_day.iter().map(|v| v.position).collect();
        assert_eq!(positions, [0, 1, 2]);
        let route = t.store.technician_day(sam.id, day).await.unwrap();
        assert_eq!(ids(&route), [vc.id, va.id, vb.id]);
        // A reorder keeps every visit on Sam's phone: new positions, nothing to drop.
        let page = pull(&t.store, sam.id, sam_cursor).await;
        assert!(page.removed_visits.is_empty());
        assert!(page.visits.iter().any(|v| v.id == vc.id && v.position == 0));
        let sam_cursor = page.cursor;

        // B goes to Priya, after her own stop.
        let moved = t
            .store
            .move_visit(mv(&vb, &priya, None), at(9))
            .await
            .unwrap();
        assert_eq!(moved.technician_id, Some(priya.id));
        assert_eq!(moved.position, 1);
        let page = pull(&t.store, sam.id, sam_cursor).await;
        assert_eq!(page.removed_visits, [vb.id]);
        assert!(page.visits.iter().all(|v| v.id != vb.id));
        // Priya's phone gets the visit and its customer (whose own record did not change).
        let page = pull(&t.store, priya.id, priya_first.cursor).await;
        assert_eq!(ids(&page.visits), [vb.id]);
        assert!(page.customers.iter().any(|c| c.id == vb.customer_id));
        let history = t.store.history("visit", vb.id).await.unwrap();
        assert_eq!(history.last().unwrap().action, "moved");

        // A finished visit stays where it was done.
        mark_done(&t.store, &sam, va.id, utc(2026, 3, 10, 11, 0)).await;
        let refused = t.store.move_visit(mv(&va, &priya, None), at(11)).await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(_))),
            "{refused:?}"
        );
        let va_now = t.store.get_visit(va.id).await.unwrap().unwrap();
        assert_eq!(va_now.technician_id, Some(sam.id));
        assert_eq!(va_now.status, VisitStatus::Done);
    }
}

#[tokio::test]
async fn a_move_that_breaks_continuity_records_the_break_its_promise_and_the_audit_trail() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        let day = d(2026, 3, 12);
        let visit = one_off(c.id, sam.id, day, 0, office.id);
        let visit = t.store.create_visit(visit, at(1)).await.unwrap();

        // Sam is sick: Priya goes, and somebody has to tell Dorothy.
        let mut tell = new_promise(
            c.id,
            office.id,
            "Tell Dorothy that Priya is coming",
            d(2026, 3, 11),
            PromiseOrigin::ContinuityBreak,
        );
        tell.visit_id = Some(visit.id);
        let mv = VisitMove {
            visit_id: visit.id,
            technician_id: Some(priya.id),
            day,
            position: None,
            by: office.id,
            continuity_break: Some(NewBreak {
                reason: BreakReason::Sick,
                reason_text: " Sam has the flu ".into(),
                promise: tell.clone(),
            }),
        };
        let moved = t.store.move_visit(mv, at(10)).await.unwrap();
        assert_eq!(moved.technician_id, Some(priya.id));

        let promise = t.store.get_promise(tell.id).await.unwrap().unwrap();
        assert_eq!(promise.status, PromiseStatus::Open);
        assert_eq!(promise.origin, PromiseOrigin::ContinuityBreak);
        assert_eq!(promise.owner_id, office.id);
        assert_eq!(promise.visit_id, Some(visit.id));

        let breaks = t.store.continuity_breaks(c.id).await.unwrap();
        assert_eq!(breaks.len(), 1);
        let b = &breaks[0];
        assert_eq!(b.visit_id, visit.id);
        assert_eq!(b.reason, BreakReason::Sick);
        assert_eq!(b.reason_text, "Sam has the flu");
        assert_eq!(b.assigned_technician_id, Some(sam.id));
        assert_eq!(b.technician_id, priya.id);
        assert_eq!(b.by_user_id, office.id);
        assert_eq!(
            t.store.break_counts(at(9)).await.unwrap(),
            [(c.id, 1)],
            "counted from before the break"
        );
        assert!(t.store.break_counts(at(11)).await.unwrap().is_empty());

        // The visit's own history, oldest first, all by the dispatcher.
        let history = t.store.history("visit", visit.id).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["scheduled", "moved", "continuity break"]);
        assert!(history.iter().all(|e| e.by_user_id == Some(office.id)));
        assert!(
            history[2].detail.contains("Sam has the flu"),
            "{:?}",
            history[2]
        );

        // The customer's history, newest first, has the break, its promise and the move.
        let all = t.store.customer_history(c.id, 50).await.unwrap();
        let position = |entity: &str, action: &str| {
            all.iter()
                .position(|e| e.entity == entity && e.action == action)
                .unwrap_or_else(|| panic!("no {entity} {action} in {all:?}"))
        };
        let (broke, promised, went) = (
            position("visit", "continuity break"),
            position("promise", "made"),
            position("visit", "moved"),
        );
        assert!(broke < promised && promised < went, "newest first: {all:?}");
        for i in [broke, promised, went] {
            assert_eq!(all[i].by_user_id, Some(office.id));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Promises and calls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_promise_ledger_filters_orders_and_closes_once() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", Some(sam.id)).await;
        let other = customer(&t.store, "Hillside Bakery", Some(sam.id)).await;

        // Made out of due order, so the order of the list is the store's doing.
        let make = |customer: Uuid, owner: Uuid, text: &str, due: u32| {
            new_promise(
                customer,
                owner,
                text,
                d(2026, 3, due),
                PromiseOrigin::Office,
            )
        };
        let mut made = vec![];
        for p in [
            make(c.id, office.id, "Send the report", 10),
            make(other.id, sam.id, "Bring bait stations", 20),
            make(c.id, sam.id, "Check the back door", 5),
            make(other.id, office.id, "Confirm the day", 12),
        ] {
            made.push(t.store.create_promise(p, at(1)).await.unwrap());
        }
        let texts =
            |list: Vec<domain::Promise>| list.into_iter().map(|p| p.text).collect::<Vec<String>>();
        let open_by = |day: u32| PromiseFilter {
            status: Some(PromiseStatus::Open),
            due_by: Some(d(2026, 3, day)),
            ..Default::default()
        };
        assert_eq!(
            texts(t.store.promises(&open_by(12)).await.unwrap()),
            ["Check the back door", "Send the report", "Confirm the day"]
        );
        let mine = PromiseFilter {
            owner_id: Some(sam.id),
            ..Default::default()
        };
        assert_eq!(
            texts(t.store.promises(&mine).await.unwrap()),
            ["Check the back door", "Bring bait stations"]
        );
        let dorothys = PromiseFilter {
            customer_id: Some(c.id),
            ..Default::default()
        };
        assert_eq!(
            texts(t.store.promises(&dorothys).await.unwrap()),
            ["Check the back door", "Send the report"]
        );

        // Kept once; a second close is refused either way.
        let report = &made[0];
        let kept = t
            .store
            .close_promise(report.id, PromiseStatus::Kept, None, office.id, at(9))
            .await
            .unwrap();
        assert_eq!(kept.status, PromiseStatus::Kept);
        assert_eq!(kept.closed_at, Some(at(9)));
        assert!(kept.version > report.version);
        for status in [PromiseStatus::Kept, PromiseStatus::Dropped] {
            let again = t
                .store
                .close_promise(report.id, status, Some("x".into()), office.id, at(10))
                .await;
            assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        }
        let still = t.store.get_promise(report.id).await.unwrap().unwrap();
        assert_eq!(
            (still.status, still.closed_at),
            (PromiseStatus::Kept, Some(at(9)))
        );
        let missing = t
            .store
            .close_promise(new_id(), PromiseStatus::Kept, None, office.id, at(10))
            .await;
        assert!(
            matches!(missing, Err(StoreError::NotFound(_))),
            "{missing:?}"
        );

        // Dropped with a reason, which is kept.
        let confirm = &made[3];
        let reason = "Customer cancelled the service".to_string();
        t.store
            .close_promise(
                confirm.id,
                PromiseStatus::Dropped,
                Some(reason.clone()),
                office.id,
                at(9),
            )
            .await
            .unwrap();
        let dropped = t.store.get_promise(confirm.id).await.unwrap().unwrap();
        assert_eq!(dropped.status, PromiseStatus::Dropped);
        assert_eq!(dropped.drop_reason, Some(reason.clone()));

        // Closed promises leave the open list.
        assert_eq!(
            texts(t.store.promises(&open_by(31)).await.unwrap()),
            ["Check the back door", "Bring bait stations"]
        );
        // And each close is in the promise's history, by whoever closed it.
        let history = t.store.history("promise", confirm.id).await.unwrap();
        let lines: Vec<(&str, &str)> = history
            .iter()
            .map(|e| (e.action.as_str(), e.detail.as_str()))
            .collect();
        assert_eq!(lines[1], ("dropped", reason.as_str()));
        assert_eq!(history[1].by_user_id, Some(office.id));
        assert_eq!(history[0].action, "made");
    }
}

#[tokio::test]
async fn closing_a_promise_as_open_is_refused() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let c = customer(&t.store, "Hillside Bakery", None).await;
        let p = new_promise(
            c.id,
            office.id,
            "Confirm the day",
            d(2026, 3, 10),
            PromiseOrigin::Office,
        );
        let p = t.store.create_promise(p, at(1)).await.unwrap();
        // "Close" means kept or dropped; an open promise marked open has not been closed.
        let closed = t
            .store
            .close_promise(p.id, PromiseStatus::Open, None, office.id, at(2))
            .await;
        assert!(closed.is_err(), "{closed:?}");
        let still = t.store.get_promise(p.id).await.unwrap().unwrap();
        assert_eq!(still.closed_at, None, "an open promise has no closing time");
        let history = t.store.history("promise", p.id).await.unwrap();
        assert_eq!(history.len(), 1, "{history:?}");
    }
}

#[tokio::test]
async fn a_call_asking_for_a_callback_logs_the_call_and_its_promise_together() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let c = customer(&t.store, "Hillside Bakery", None).await;

        let mut callback = new_promise(
            c.id,
            office.id,
            "Call Marco back about the oven room",
            d(2026, 3, 10),
            PromiseOrigin::Call,
        );
        callback.due_time = Some(hm(17, 0));
        let call = t
            .store
            .log_call(
                c.id,
                "Asked whether the new oven room needs treating".into(),
                Some(callback.clone()),
                office.id,
                at(10),
            )
            .await
            .unwrap();
        assert_eq!(call.promise_id, Some(callback.id));
        assert_eq!(call.by_user_id, office.id);
        let promise = t.store.get_promise(callback.id).await.unwrap().unwrap();
        assert_eq!(promise.origin, PromiseOrigin::Call);
        assert_eq!(promise.status, PromiseStatus::Open);
        assert_eq!(promise.due_time, Some(hm(17, 0)));

        // A call with nothing to call back about has no promise.
        let plain = t
            .store
            .log_call(
                c.id,
                "Thanked us for last week".into(),
                None,
                office.id,
                at(11),
            )
            .await
            .unwrap();
        assert_eq!(plain.promise_id, None);

        // Newest first.
        let calls = t.store.calls_of(c.id).await.unwrap();
        assert_eq!(calls, [plain, call.clone()]);
        let customer_history = t.store.customer_history(c.id, 50).await.unwrap();
        assert!(customer_history
            .iter()
            .any(|e| e.entity == "call" && e.entity_id == call.id && e.action == "logged"));
    }
}

#[tokio::test]
async fn visits_generated_long_ago_reach_the_phone_when_their_day_comes_into_the_window() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let c = customer(&t.store, "Hillside Bakery", Some(sam.id)).await;
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        // Eight weeks generated on 2 March.
        t.store
            .generate_visits(plan.id, d(2026, 3, 2), d(2026, 4, 26), at(2))
            .await
            .unwrap();

        // The phone syncs on 2 March: its window ends on 16 March.
        let window = |today: NaiveDate, known_to| PullScope {
            technician_id: Some(sam.id),
            from: today - Duration::days(7),
            to: today + Duration::days(14),
            entered_after: known_to,
        };
        let mut cache = client::Cache::default();
        let first = t
            .store
            .pull(&window(d(2026, 3, 2), None), 0, 5000)
            .await
            .unwrap();
        cache.apply_pull(&first);
        let held = |cache: &client::Cache| {
            let mut days: Vec<NaiveDate> = cache.visits.values().map(|v| v.scheduled_on).collect();
            days.sort();
            days
        };
        assert_eq!(held(&cache), [d(2026, 3, 3), d(2026, 3, 10)]);

        // Later that day the customer mentions a priority: the phone's cursor moves past every
        // version written so far, the far-off visits' included.
        t.store
            .add_priority(store::NewPriority {
                id: new_id(),
                customer_id: c.id,
                draft: domain::PriorityDraft {
                    text: "Ovens run all morning".into(),
                    pinned: false,
                },
                heard_by_id: sam.id,
                heard_role: Role::Technician,
                heard_at: at(3),
            })
            .await
            .unwrap();
        let same_day = t
            .store
            .pull(
                &window(d(2026, 3, 2), cache.window.map(|(_, to)| to)),
                first.cursor,
                5000,
            )
            .await
            .unwrap();
        cache.apply_pull(&same_day);
        assert_eq!(same_day.priorities.len(), 1);

        // A week later nothing was written, but 17 March has come into the window.
        let known_to = cache.window.map(|(_, to)| to);
        assert_eq!(known_to, Some(d(2026, 3, 16)));
        let later = t
            .store
            .pull(&window(d(2026, 3, 9), known_to), same_day.cursor, 5000)
            .await
            .unwrap();
        cache.apply_pull(&later);
        // The window is now 2–23 March: 17 March arrived.
        assert_eq!(
            held(&cache),
            [d(2026, 3, 3), d(2026, 3, 10), d(2026, 3, 17)]
        );
        // Without saying what it held, the phone would not have been sent the 17th.
        let blind = t
            .store
            .pull(&window(d(2026, 3, 9), None), same_day.cursor, 5000)
            .await
            .unwrap();
        assert!(blind.visits.is_empty());
    }
}

#[tokio::test]
async fn regenerating_an_unchanged_plan_leaves_the_dispatchers_moves_alone() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        // No assigned technician: giving a visit to Priya is no continuity break.
        let c = customer(&t.store, "Corner Hardware", None).await;
        let plan = weekly_plan(c.id, sam.id, d(2026, 3, 3), vec![Weekday::Tue]);
        let plan = t.store.save_plan(plan, office.id, at(1)).await.unwrap();
        let (from, to) = (d(2026, 3, 2), d(2026, 4, 26));
        t.store
            .generate_visits(plan.id, from, to, at(1))
            .await
            .unwrap();
        let day = d(2026, 3, 24);
        let visit = t.store.customer_visits(c.id, day, day).await.unwrap()[0].id;
        let mv = VisitMove {
            visit_id: visit,
            technician_id: Some(priya.id),
            day,
            position: None,
            by: office.id,
            continuity_break: None,
        };
        t.store.move_visit(mv, at(2)).await.unwrap();

        // The hourly roll-forward runs: the plan has not changed, so the move stands.
        let report = t
            .store
            .generate_visits(plan.id, from, to, at(3))
            .await
            .unwrap();
        assert_eq!(report, Generated::default());
        let after = t.store.get_visit(visit).await.unwrap().unwrap();
        assert_eq!(after.technician_id, Some(priya.id));
    }
}
