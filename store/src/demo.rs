//! Demo data for a first look around: an office user, an admin, three technicians (and one who
//! has left), about forty customers with priorities in their own words, a service plan each
//! with two weeks of history and eight weeks of visits ahead, promises in every state, a
//! callback due today, and Dorothy's Gift Shop — four technicians in her last ten visits, and
//! a continuity break on her next one — at the top of the at-risk list.
//!
//! Seeded only when asked for (`--demo`) and only into an empty database. Deterministic, so a
//! demo looks the same every time and tests can name what they expect to find.

use crate::password::hash_password;
use crate::{NewBreak, NewPriority, NewPromise, NewUser, NewVisit, Store, StoreResult, VisitMove};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::continuity::BreakReason;
use domain::plan::{Frequency, ServicePlan};
use domain::{
    new_id, CustomerDraft, PriorityDraft, PromiseOrigin, PromiseStatus, Role, UserSummary,
    VisitStatus,
};
use uuid::Uuid;

pub const DEMO_PASSWORD: &str = "rapport-demo";

/// The demo accounts, as printed at start-up.
pub const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("Olivia Grant", "office@rapport.example", Role::Office),
    ("Avery Admin", "admin@rapport.example", Role::Admin),
    ("Sam Ortiz", "sam@rapport.example", Role::Technician),
    ("Priya Nair", "priya@rapport.example", Role::Technician),
    ("Jake Turner", "jake@rapport.example", Role::Technician),
];

/// The customer whose story Rapport exists for.
pub const DOROTHY: &str = "Dorothy's Gift Shop";
pub const SAME_TECHNICIAN: &str =
    "Same technician every time — strangers in the shop make her nervous";

struct DemoCustomer {
    name: &'static str,
    contact: &'static str,
    street: &'static str,
    priorities: &'static [&'static str],
}

const fn c(
    name: &'static str,
    contact: &'static str,
    street: &'static str,
    priorities: &'static [&'static str],
) -> DemoCustomer {
    DemoCustomer {
        name,
        contact,
        street,
        priorities,
    }
}

const CUSTOMERS: &[DemoCustomer] = &[
    c(
        DOROTHY,
        "Dorothy Hale",
        "14 Main St",
        &[SAME_TECHNICIAN, "Day of service does not matter"],
    ),
    c(
        "Hillside Bakery",
        "Marco Rossi",
        "220 Hill Rd",
        &[
            "Come before 6 am or after 2 pm — ovens run all morning",
            "No sprays near the flour store",
        ],
    ),
    c(
        "Ruth Abernathy",
        "",
        "9 Willow Ln",
        &[
            "Call 30 min before arriving",
            "Hard of hearing — knock loudly, then wait",
        ],
    ),
    c(
        "Green Fork Diner",
        "Luis Mendez",
        "77 Station Ave",
        &["Inspection report must be on file before the health visit in spring"],
    ),
    c(
        "The Okafor family",
        "Chidi Okafor",
        "31 Birch Ct",
        &[
            "Dog in back yard — keep the gate shut",
            "Kids' nap 1–3 pm, please be quiet",
        ],
    ),
    c(
        "Maple Street Dental",
        "Dr. Anne Kim",
        "401 Maple St",
        &["Service after 5 pm only — patients all day"],
    ),
    c(
        "Tom Becker",
        "",
        "5 Quarry Rd",
        &["Text, don't call — works night shifts"],
    ),
    c(
        "Lakeview Apartments",
        "Gina Park (manager)",
        "1200 Lakeview Dr",
        &[
            "Check in at the office for keys",
            "Bill the management company, not tenants",
        ],
    ),
    c(
        "Sunrise Daycare",
        "Beth Collins",
        "88 Elm St",
        &[
            "Only child-safe products; leave the label for the file",
            "Visits before 7 am or on weekends",
        ],
    ),
    c(
        "Helen Zhou",
        "",
        "42 Cedar Ave",
        &[
            "Shoes off inside",
            "Wants a written summary after each visit",
        ],
    ),
    c(
        "Corner Hardware",
        "Walt Jensen",
        "3 Market Sq",
        &["Park behind the store, not in customer spots"],
    ),
    c(
        "The Patel residence",
        "Raj Patel",
        "19 Orchard Way",
        &["No pesticides near the vegetable garden"],
    ),
    c(
        "St. Mark's Church",
        "Fr. Daniel",
        "100 Church St",
        &["Never on Sundays or during funerals — check the board"],
    ),
    c(
        "Grace Thompson",
        "",
        "8 Fern Hollow",
        &[
            "Cat indoors — don't leave doors open",
            "Same technician every time if possible",
        ],
    ),
    c(
        "Riverside Storage",
        "Kim Lau",
        "600 River Rd",
        &["Gate code changes monthly — call the office for it"],
    ),
    c(
        "Bluebird Cafe",
        "Sofia Alvarez",
        "52 Main St",
        &["Spanish preferred — Priya can translate"],
    ),
    c(
        "Frank Morelli",
        "",
        "27 Pine St",
        &["Use the side entrance; front door sticks"],
    ),
    c(
        "Oak Ridge HOA",
        "Denise Ward",
        "1 Oak Ridge Blvd",
        &["Report to the board chair, not individual owners"],
    ),
    c(
        "Harbor Fish Market",
        "Ken Sato",
        "2 Harbor Walk",
        &["Mondays closed — any other day is fine"],
    ),
    c(
        "Linda Osei",
        "",
        "63 Spruce Dr",
        &["Allergic to strong smells — ventilate after treatment"],
    ),
    c(
        "Northside Gym",
        "Chris Bell",
        "900 North Ave",
        &["Treat the locker rooms before 5 am opening"],
    ),
    c(
        "The Nguyen family",
        "Bao Nguyen",
        "12 Aspen Ct",
        &["Grandmother at home — speaks Vietnamese only"],
    ),
    c(
        "Pine Valley Vet Clinic",
        "Dr. Sarah Moss",
        "45 Valley Rd",
        &[
            "Animal-safe products only",
            "Call the front desk on arrival",
        ],
    ),
    c(
        "George Whitfield",
        "",
        "7 Hawthorn Pl",
        &["Retired engineer — likes to hear exactly what was done"],
    ),
    c(
        "Downtown Books",
        "Ava Reed",
        "18 King St",
        &["Quiet please — reading hour Saturday mornings"],
    ),
    c(
        "Maria Santos",
        "",
        "33 Poplar St",
        &["Prefers mornings before 10"],
    ),
    c(
        "Greenleaf Florist",
        "Nora Quinn",
        "61 Main St",
        &["Keep treatments away from the cold room"],
    ),
    c(
        "The Brennan house",
        "Kevin Brennan",
        "4 Lilac Ln",
        &["Two dogs — call first so they can be brought in"],
    ),
    c(
        "Summit Office Park",
        "Facilities desk",
        "2500 Summit Pkwy",
        &["Badge in at security; allow 15 minutes"],
    ),
    c(
        "Irene Kowalski",
        "",
        "58 Juniper Rd",
        &["Widowed, lives alone — a friendly word matters"],
    ),
    c(
        "Copper Kettle Pub",
        "Liam O'Neill",
        "90 Front St",
        &["Before 11 am only — kitchen opens at noon"],
    ),
    c(
        "Westbrook School",
        "Mr. Harris",
        "300 School Ln",
        &["During school holidays only"],
    ),
    c(
        "Paul and Jenna Ford",
        "",
        "21 Meadow Dr",
        &["Newborn at home — no treatments indoors for now"],
    ),
    c(
        "Evergreen Motel",
        "Raj Desai",
        "1500 Highway 9",
        &["Start with rooms 1–6; they turn over first"],
    ),
    c(
        "Sylvia Martin",
        "",
        "11 Rosewood Ave",
        &["Call 30 min before arriving"],
    ),
    c(
        "Hometown Pharmacy",
        "Gary Lin",
        "70 Main St",
        &["Technician must sign the visitor log"],
    ),
    c(
        "Dave Kowal",
        "",
        "39 Ironwood St",
        &["Gate is padlocked — key under the blue pot"],
    ),
    c(
        "Fresh Market Grocery",
        "Tina Brooks",
        "480 Commerce St",
        &["Wants the same technician who knows the loading dock"],
    ),
    c(
        "Ana Costa",
        "",
        "26 Magnolia Ct",
        &["Portuguese speaker; her son translates on weekends"],
    ),
    c(
        "Riverbend Senior Living",
        "Helen Ruiz",
        "700 River Rd",
        &["Residents nap 1–3 pm; use the service corridor"],
    ),
];

/// A technician who has left: their name stays on Dorothy's history, they can no longer log in.
pub const FORMER_TECHNICIAN: (&str, &str) = ("Chris Walker", "chris@rapport.example");

/// Who did Dorothy's last ten visits, oldest first (S = Sam, her technician): four different
/// faces in ten visits, the story Rapport exists to prevent.
const DOROTHY_HISTORY: [usize; 10] = [0, 0, 3, 0, 1, 0, 2, 1, 0, 1];

/// Seeds the demo into an empty store. `today` is the organisation's today.
pub async fn seed(store: &dyn Store, today: NaiveDate, now: DateTime<Utc>) -> StoreResult<()> {
    let users = seed_users(store, now).await?;
    let office = users
        .iter()
        .find(|u| u.role == Role::Office)
        .expect("demo office user");
    let techs: Vec<&UserSummary> = users
        .iter()
        .filter(|u| u.role == Role::Technician)
        .collect();
    let former = store
        .create_user(
            NewUser {
                email: FORMER_TECHNICIAN.1.into(),
                name: FORMER_TECHNICIAN.0.into(),
                role: Role::Technician,
                password_hash: hash_password(DEMO_PASSWORD),
            },
            now - Duration::days(400),
        )
        .await?;

    let mut per_tech = vec![0usize; techs.len()];
    let mut customers = vec![];
    for (i, demo) in CUSTOMERS.iter().enumerate() {
        let tech_index = i % techs.len();
        let tech = techs[tech_index];
        let id = new_id();
        let draft = CustomerDraft {
            name: demo.name.into(),
            contact_name: demo.contact.into(),
            address: format!("{}, Springfield", demo.street),
            phone: format!("(555) {:03}-{:04}", 100 + i, 1000 + i * 37),
            email: String::new(),
            access_notes: String::new(),
        };
        let created = now - Duration::days(400 - i as i64 * 5);
        store
            .create_customer(id, draft, Some(tech.id), None, created)
            .await?;
        seed_priorities(store, id, demo, i, tech, office, created).await?;
        let rank_for_tech = per_tech[tech_index];
        per_tech[tech_index] += 1;
        let history: Vec<Uuid> = if i == 0 {
            let people = [techs[0].id, techs[1].id, techs[2].id, former.id];
            DOROTHY_HISTORY.iter().map(|&p| people[p]).collect()
        } else {
            vec![]
        };
        let plan = PlanSeed {
            customer_id: id,
            i,
            rank_for_tech,
            technician_id: tech.id,
            history,
        };
        seed_plan(store, plan, office.id, today, now).await?;
        customers.push((id, tech.id));
    }
    store
        .set_user_disabled(former.id, Some(now - Duration::days(30)))
        .await?;
    seed_ledger(store, &customers, office, &techs, today, now).await?;
    Ok(())
}

async fn seed_users(store: &dyn Store, now: DateTime<Utc>) -> StoreResult<Vec<UserSummary>> {
    let mut users = Vec::new();
    for (name, email, role) in DEMO_USERS {
        let password_hash = hash_password(DEMO_PASSWORD);
        let user = NewUser {
            email: email.into(),
            name: name.into(),
            role,
            password_hash,
        };
        users.push(store.create_user(user, now).await?);
    }
    Ok(users)
}

async fn seed_priorities(
    store: &dyn Store,
    customer_id: Uuid,
    demo: &DemoCustomer,
    i: usize,
    tech: &UserSummary,
    office: &UserSummary,
    created: DateTime<Utc>,
) -> StoreResult<()> {
    for (n, text) in demo.priorities.iter().enumerate() {
        // The first priority is what the customer said when signing up (to the office);
        // later ones were heard by the technician on site.
        let hearer = if n == 0 { office } else { tech };
        let pinned = n == 0 && (text.contains("Same technician") || i.is_multiple_of(4));
        store
            .add_priority(NewPriority {
                id: new_id(),
                customer_id,
                draft: PriorityDraft {
                    text: (*text).into(),
                    pinned,
                },
                heard_by_id: hearer.id,
                heard_role: hearer.role,
                heard_at: created + Duration::days(n as i64 * 30 + 1),
            })
            .await?;
    }
    Ok(())
}

struct PlanSeed {
    customer_id: Uuid,
    i: usize,
    rank_for_tech: usize,
    technician_id: Uuid,
    /// Who did each of the oldest past visits (Dorothy only); the rest were the technician's.
    history: Vec<Uuid>,
}

/// A service plan every 1, 2 or 4 weeks, its past two weeks (longer for Dorothy) as done or
/// skipped visits, and its next eight weeks generated by the plan itself. Each technician's
/// first five customers are on today's route, so every demo technician has a day to work.
async fn seed_plan(
    store: &dyn Store,
    seed: PlanSeed,
    office: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let PlanSeed {
        customer_id,
        i,
        rank_for_tech,
        technician_id,
        history,
    } = seed;
    let period = [7i64, 14, 28][i % 3];
    let phase = if rank_for_tech < 5 {
        0
    } else {
        1 + (i as i64 % (period - 1))
    };
    let back = 14 + 7 * history.len().saturating_sub(2) as i64;
    let first = (-back..period)
        .find(|d| (d - phase).rem_euclid(period) == 0)
        .unwrap_or(0);
    let slot = rank_for_tech % 5;
    let plan = ServicePlan {
        id: new_id(),
        customer_id,
        service_type: ["General pest control", "Rodent check", "Termite inspection"][i % 3].into(),
        frequency: Frequency::Weekly,
        interval: (period / 7) as u32,
        weekdays: vec![],
        months: vec![],
        window_start: NaiveTime::from_hms_opt(8 + 2 * slot as u32, 0, 0),
        window_end: NaiveTime::from_hms_opt(10 + 2 * slot as u32, 0, 0),
        technician_id: Some(technician_id),
        starts_on: today + Duration::days(first),
        ends_on: None,
        version: 0,
    };
    let plan = store
        .save_plan(plan, office, now - Duration::days(back + 1))
        .await?;
    let past = plan.occurrences(plan.starts_on, today - Duration::days(1));
    for (n, date) in past.into_iter().enumerate() {
        let day = (date - today).num_days();
        let (status, arrived_at, departed_at, skip_reason) =
            past_outcome(i, day, date, plan.window_start);
        let visit = NewVisit {
            id: new_id(),
            plan: Some((plan.id, date)),
            created_by: None,
            customer_id,
            technician_id: Some(history.get(n).copied().unwrap_or(technician_id)),
            scheduled_on: date,
            window_start: plan.window_start,
            window_end: plan.window_end,
            position: slot as i64,
            status,
            arrived_at,
            departed_at,
            skip_reason,
        };
        store.create_visit(visit, now).await?;
    }
    let horizon = today + Duration::weeks(domain::plan::HORIZON_WEEKS);
    store.generate_visits(plan.id, today, horizon, now).await?;
    Ok(())
}

/// Promises in every state, so the ledger has something to show: some kept on time, some
/// late, some overdue right now; a callback due today; and a continuity break on Dorothy's
/// next visit (Sam is on vacation), with its promise to tell her who is coming.
async fn seed_ledger(
    store: &dyn Store,
    customers: &[(Uuid, Uuid)],
    office: &UserSummary,
    techs: &[&UserSummary],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let promise = |n: usize, owner: Uuid, text: &str, due: i64| NewPromise {
        id: new_id(),
        customer_id: customers[n].0,
        owner_id: owner,
        text: text.into(),
        due_on: today + Duration::days(due),
        due_time: None,
        origin: if owner == office.id {
            PromiseOrigin::Office
        } else {
            PromiseOrigin::Visit
        },
        visit_id: None,
        created_by: owner,
    };
    let ledger: [(usize, bool, &str, i64, Option<i64>); 8] = [
        // customer, by the office?, what, due (days from today), kept (days from today)
        (3, false, "Send a copy of the inspection report", -3, None),
        (
            5,
            true,
            "Call back about moving service to evenings",
            -1,
            None,
        ),
        (
            9,
            false,
            "Email the written summary of the last visit",
            -2,
            None,
        ),
        (
            1,
            false,
            "Bring flour-safe bait stations next time",
            -6,
            Some(-7),
        ),
        (2, true, "Confirm the new visit day by phone", -5, Some(-5)),
        (4, false, "Check the back fence for gaps", -9, Some(-4)),
        (
            7,
            true,
            "Send the invoice to the management company",
            -4,
            Some(-4),
        ),
        (
            10,
            false,
            "Leave a parking permit on the dashboard",
            3,
            None,
        ),
    ];
    for (n, by_office, text, due, kept) in ledger {
        let owner = if by_office { office.id } else { customers[n].1 };
        let made = now + Duration::days(due - 7);
        let p = store
            .create_promise(promise(n, owner, text, due), made)
            .await?;
        if let Some(kept) = kept {
            let at = now + Duration::days(kept);
            store
                .close_promise(p.id, PromiseStatus::Kept, None, owner, at)
                .await?;
        }
    }

    // A call this morning asking for a call back, due by the end of the business day.
    let mut callback = promise(1, office.id, "Call Marco back about the new oven room", 0);
    callback.origin = PromiseOrigin::Call;
    callback.due_time = NaiveTime::from_hms_opt(17, 0, 0);
    store
        .log_call(
            customers[1].0,
            "Marco asked whether the new oven room needs treating".into(),
            Some(callback),
            office.id,
            now - Duration::hours(2),
        )
        .await?;

    // Two requests the office took but has not given to anyone yet: on the board's
    // "Unassigned" lane, today and tomorrow.
    for (n, day) in [(20usize, 0i64), (31, 1)] {
        let visit = NewVisit {
            id: new_id(),
            plan: None,
            created_by: Some(office.id),
            customer_id: customers[n].0,
            technician_id: None,
            scheduled_on: today + Duration::days(day),
            window_start: NaiveTime::from_hms_opt(13, 0, 0),
            window_end: NaiveTime::from_hms_opt(15, 0, 0),
            position: 0,
            status: VisitStatus::Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
        };
        store.create_visit(visit, now - Duration::hours(3)).await?;
    }

    // Sam's on vacation for Dorothy's visit next week: Priya goes, and Dorothy must be told.
    let (dorothy, sam) = customers[0];
    let next_week = today + Duration::days(7);
    let visits = store.customer_visits(dorothy, next_week, next_week).await?;
    if let Some(visit) = visits.first() {
        let mut tell = promise(0, office.id, &format!("Tell {DOROTHY} who is coming"), 6);
        tell.origin = PromiseOrigin::ContinuityBreak;
        tell.visit_id = Some(visit.id);
        let priya = techs.iter().find(|t| t.id != sam).map(|t| t.id);
        let mv = VisitMove {
            visit_id: visit.id,
            technician_id: priya,
            day: next_week,
            position: None,
            by: office.id,
            continuity_break: Some(NewBreak {
                reason: BreakReason::Vacation,
                reason_text: "Sam is away that week".into(),
                promise: tell,
            }),
        };
        store.move_visit(mv, now - Duration::hours(1)).await?;
    }
    Ok(())
}

type Outcome = (
    VisitStatus,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn past_outcome(i: usize, day: i64, date: NaiveDate, start: Option<NaiveTime>) -> Outcome {
    if (i as i64 + day) % 11 == 0 {
        return (
            VisitStatus::Skipped,
            None,
            None,
            Some("Customer not home".into()),
        );
    }
    let arrive = date.and_time(start.unwrap_or_default()) + Duration::minutes(10 + (i % 20) as i64);
    let arrived = Utc.from_utc_datetime(&arrive);
    (
        VisitStatus::Done,
        Some(arrived),
        Some(arrived + Duration::minutes(35)),
        None,
    )
}
