//! About forty customers, each with priorities in their own words: who they are, and what they
//! told the office or their technician matters to them.

use crate::{DOROTHY, SAME_TECHNICIAN};
use chrono::{DateTime, Duration, Utc};
use domain::{new_id, CustomerDraft, PriorityDraft, UserSummary};
use store::{NewPriority, Store, StoreResult};
use uuid::Uuid;

pub(crate) struct DemoCustomer {
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

/// In a fixed order: a customer's place decides their technician and plan (see `seed`), and
/// Dorothy comes first. Kept as a table, one customer to an entry (rustfmt would spread it over
/// three hundred lines).
#[rustfmt::skip]
pub(crate) const CUSTOMERS: &[DemoCustomer] = &[
    c(DOROTHY, "Dorothy Hale", "14 Main St", &[SAME_TECHNICIAN, "Day of service does not matter"]),
    c("Hillside Bakery", "Marco Rossi", "220 Hill Rd", &[
        "Come before 6 am or after 2 pm — ovens run all morning",
        "No sprays near the flour store",
    ]),
    c("Ruth Abernathy", "", "9 Willow Ln", &[
        "Call 30 min before arriving",
        "Hard of hearing — knock loudly, then wait",
    ]),
    c("Green Fork Diner", "Luis Mendez", "77 Station Ave", &[
        "Inspection report must be on file before the health visit in spring",
    ]),
    c("The Okafor family", "Chidi Okafor", "31 Birch Ct", &[
        "Dog in back yard — keep the gate shut",
        "Kids' nap 1–3 pm, please be quiet",
    ]),
    c("Maple Street Dental", "Dr. Anne Kim", "401 Maple St", &[
        "Service after 5 pm only — patients all day",
    ]),
    c("Tom Becker", "", "5 Quarry Rd", &["Text, don't call — works night shifts"]),
    c("Lakeview Apartments", "Gina Park (manager)", "1200 Lakeview Dr", &[
        "Check in at the office for keys",
        "Bill the management company, not tenants",
    ]),
    c("Sunrise Daycare", "Beth Collins", "88 Elm St", &[
        "Only child-safe products; leave the label for the file",
        "Visits before 7 am or on weekends",
    ]),
    c("Helen Zhou", "", "42 Cedar Ave", &[
        "Shoes off inside",
        "Wants a written summary after each visit",
    ]),
    c("Corner Hardware", "Walt Jensen", "3 Market Sq", &[
        "Park behind the store, not in customer spots",
    ]),
    c("The Patel residence", "Raj Patel", "19 Orchard Way", &[
        "No pesticides near the vegetable garden",
    ]),
    c("St. Mark's Church", "Fr. Daniel", "100 Church St", &[
        "Never on Sundays or during funerals — check the board",
    ]),
    c("Grace Thompson", "", "8 Fern Hollow", &[
        "Cat indoors — don't leave doors open",
        "Same technician every time if possible",
    ]),
    c("Riverside Storage", "Kim Lau", "600 River Rd", &[
        "Gate code changes monthly — call the office for it",
    ]),
    c("Bluebird Cafe", "Sofia Alvarez", "52 Main St", &["Spanish preferred — Priya can translate"]),
    c("Frank Morelli", "", "27 Pine St", &["Use the side entrance; front door sticks"]),
    c("Oak Ridge HOA", "Denise Ward", "1 Oak Ridge Blvd", &[
        "Report to the board chair, not individual owners",
    ]),
    c("Harbor Fish Market", "Ken Sato", "2 Harbor Walk", &[
        "Mondays closed — any other day is fine",
    ]),
    c("Linda Osei", "", "63 Spruce Dr", &["Allergic to strong smells — ventilate after treatment"]),
    c("Northside Gym", "Chris Bell", "900 North Ave", &[
        "Treat the locker rooms before 5 am opening",
    ]),
    c("The Nguyen family", "Bao Nguyen", "12 Aspen Ct", &[
        "Grandmother at home — speaks Vietnamese only",
    ]),
    c("Pine Valley Vet Clinic", "Dr. Sarah Moss", "45 Valley Rd", &[
        "Animal-safe products only",
        "Call the front desk on arrival",
    ]),
    c("George Whitfield", "", "7 Hawthorn Pl", &[
        "Retired engineer — likes to hear exactly what was done",
    ]),
    c("Downtown Books", "Ava Reed", "18 King St", &[
        "Quiet please — reading hour Saturday mornings",
    ]),
    c("Maria Santos", "", "33 Poplar St", &["Prefers mornings before 10"]),
    c("Greenleaf Florist", "Nora Quinn", "61 Main St", &[
        "Keep treatments away from the cold room",
    ]),
    c("The Brennan house", "Kevin Brennan", "4 Lilac Ln", &[
        "Two dogs — call first so they can be brought in",
    ]),
    c("Summit Office Park", "Facilities desk", "2500 Summit Pkwy", &[
        "Badge in at security; allow 15 minutes",
    ]),
    c("Irene Kowalski", "", "58 Juniper Rd", &["Widowed, lives alone — a friendly word matters"]),
    c("Copper Kettle Pub", "Liam O'Neill", "90 Front St", &[
        "Before 11 am only — kitchen opens at noon",
    ]),
    c("Westbrook School", "Mr. Harris", "300 School Ln", &["During school holidays only"]),
    c("Paul and Jenna Ford", "", "21 Meadow Dr", &[
        "Newborn at home — no treatments indoors for now",
    ]),
    c("Evergreen Motel", "Raj Desai", "1500 Highway 9", &[
        "Start with rooms 1–6; they turn over first",
    ]),
    c("Sylvia Martin", "", "11 Rosewood Ave", &["Call 30 min before arriving"]),
    c("Hometown Pharmacy", "Gary Lin", "70 Main St", &["Technician must sign the visitor log"]),
    c("Dave Kowal", "", "39 Ironwood St", &["Gate is padlocked — key under the blue pot"]),
    c("Fresh Market Grocery", "Tina Brooks", "480 Commerce St", &[
        "Wants the same technician who knows the loading dock",
    ]),
    c("Ana Costa", "", "26 Magnolia Ct", &["Portuguese speaker; her son translates on weekends"]),
    c("Riverbend Senior Living", "Helen Ruiz", "700 River Rd", &[
        "Residents nap 1–3 pm; use the service corridor",
    ]),
];

/// Creates the `i`th customer, assigned to `tech`, with their priorities; returns its id.
pub(crate) async fn seed_customer(
    store: &dyn Store,
    i: usize,
    demo: &DemoCustomer,
    tech: &UserSummary,
    office: &UserSummary,
    now: DateTime<Utc>,
) -> StoreResult<Uuid> {
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
    Ok(id)
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
