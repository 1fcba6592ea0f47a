//! The import's rules as tables: headers, each row's action and reason, and what changes.

use super::*;
use crate::{Customer, Role, UserSummary};
use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

fn person(name: &str, email: &str, role: Role) -> UserSummary {
    UserSummary {
        id: Uuid::now_v7(),
        email: email.into(),
        name: name.into(),
        role,
    }
}

fn known(name: &str, phone: &str, technician: Option<Uuid>, priorities: &[&str]) -> Known {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Known {
        customer: Customer {
            id: Uuid::now_v7(),
            name: name.into(),
            contact_name: String::new(),
            address: "1 High St".into(),
            phone: phone.into(),
            email: String::new(),
            access_notes: String::new(),
            assigned_technician_id: technician,
            backup_technician_id: None,
            created_at: at,
            updated_at: at,
            version: 7,
        },
        priorities: priorities.iter().map(|p| p.to_string()).collect(),
        latest_version: 7,
    }
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

fn rows(cells: &[&[&str]]) -> Vec<Row> {
    cells
        .iter()
        .enumerate()
        .map(|(i, r)| Row {
            line: i as u64 + 2,
            cells: r.iter().map(|c| c.to_string()).collect(),
        })
        .collect()
}

#[test]
fn headers_are_recognised_however_a_spreadsheet_spells_them() {
    let cases = [
        ("Name", Some(Field::Name)),
        ("E-mail", Some(Field::Email)),
        ("Access Notes", Some(Field::AccessNotes)),
        ("access_notes", Some(Field::AccessNotes)),
        ("Assigned technician", Some(Field::Technician)),
        ("backup_technician", Some(Field::BackupTechnician)),
        (" Phone number ", Some(Field::Phone)),
        ("Customer ID", Some(Field::Id)),
        ("Favourite colour", None),
    ];
    for (header, field) in cases {
        assert_eq!(Field::recognise(header), field, "{header}");
    }
    for field in Field::ALL {
        assert_eq!(
            Field::recognise(field.key()),
            Some(field),
            "the export's own headers"
        );
        assert_eq!(Field::from_key(field.key()), Some(field));
    }
}

#[test]
fn unknown_headers_wait_for_a_choice_and_the_name_is_required() {
    let none = BTreeMap::new();
    let map = map_columns(&headers(&["Site", "Tel", "Gate"]), &none);
    assert!(map.columns[0].needs_choice && map.columns[0].field.is_none());
    assert_eq!(map.columns[1].field, Some(Field::Phone));
    assert_eq!(
        map.problem.as_deref(),
        Some("No column holds the customer's name; choose which column it is.")
    );

    let chosen = BTreeMap::from([
        ("Site".to_string(), "name".to_string()),
        ("Gate".to_string(), IGNORE.to_string()),
    ]);
    let map = map_columns(&headers(&["Site", "Tel", "Gate"]), &chosen);
    assert_eq!(map.problem, None);
    assert_eq!(map.columns[0].field, Some(Field::Name));
    assert!(!map.columns[2].needs_choice && map.columns[2].field.is_none());

    let twice = BTreeMap::from([("Site".to_string(), "phone".to_string())]);
    let map = map_columns(&headers(&["Name", "Site", "Tel"]), &twice);
    assert!(map.problem.unwrap().contains("Both \"Site\" and \"Tel\""));

    let nonsense = BTreeMap::from([("Site".to_string(), "shoe_size".to_string())]);
    let map = map_columns(&headers(&["Name", "Site"]), &nonsense);
    assert!(map
        .problem
        .unwrap()
        .contains("\"shoe_size\" is not something"));
}

#[test]
fn each_row_is_created_updated_left_alone_or_rejected_with_a_reason() {
    let sam = person("Sam Lee", "sam@x.example", Role::Technician);
    let priya = person("Priya Shah", "priya@x.example", Role::Technician);
    let office = person("Olive Office", "office@x.example", Role::Office);
    let dorothy = known(
        "Dorothy's Gifts",
        "0161 1",
        Some(sam.id),
        &["Same technician"],
    );
    let twin_a = known("Twin", "1", None, &[]);
    let twin_b = known("Twin", "2", None, &[]);
    let customers = [dorothy.clone(), twin_a, twin_b];
    let people = [sam.clone(), priya.clone(), office];
    let existing = Existing {
        customers: &customers,
        people: &people,
        everyone: &people,
    };
    let columns = map_columns(
        &headers(&["Name", "Phone", "Technician", "Priorities"]),
        &BTreeMap::new(),
    )
    .columns;
    let plans = plan(
        &columns,
        &rows(&[
            &[
                "New Cafe",
                "0161 2",
                "priya@x.example",
                "Quiet before 9\nPark round the back",
            ],
            &["dorothy's gifts ", "0161 1", "Sam Lee", "same technician"],
            &["Dorothy's Gifts", "0161 9", "", "Call first"],
            &["Twin", "3", "", ""],
            &["Other", "", "Olive Office", ""],
            &["", "5", "", ""],
            &["new cafe", "", "", ""],
            &["Long", "", "", &"x".repeat(600)],
            &["", "", "", ""],
        ]),
        &existing,
    );
    let summary: Vec<(Action, &str)> = plans
        .iter()
        .map(|p| (p.action, p.detail.as_str()))
        .collect();
    assert_eq!(
        summary[0],
        (
            Action::Create,
            "new customer; technician Priya Shah; 2 new priorities"
        )
    );
    assert_eq!(summary[1], (Action::Unchanged, "already as in the file"));
    assert_eq!(
        summary[2],
        (
            Action::Reject,
            "Line 3 already imports this customer; keep one of the two lines."
        )
    );
    assert_eq!(summary[3].0, Action::Reject);
    assert!(summary[3].1.contains("2 customers are called \"Twin\""));
    assert!(summary[4]
        .1
        .contains("No active technician is called \"Olive Office\""));
    assert_eq!(
        summary[5],
        (
            Action::Reject,
            "The name is empty; every customer needs one."
        )
    );
    assert!(summary[6].1.starts_with("Line 2 already imports"));
    assert!(summary[7].1.starts_with("Priority \"xxx"));
    assert_eq!(summary[8], (Action::Reject, "The row is empty."));
    assert_eq!(plans[0].line, 2);

    let create = plans[0].change.as_ref().unwrap();
    assert_eq!(create.expected_version, None);
    assert_eq!(create.technicians, Some((Some(priya.id), None)));
    assert_eq!(create.new_priorities.len(), 2);
    assert_eq!(create.draft.as_ref().unwrap().phone, "0161 2");
    assert!(plans[1].change.is_none() && plans[3].change.is_none());
    assert_eq!(
        Counts::of(&plans),
        Counts {
            create: 1,
            update: 0,
            unchanged: 1,
            reject: 7
        }
    );
}

#[test]
fn an_update_says_what_changes_and_blank_cells_keep_what_is_there() {
    let sam = person("Sam Lee", "sam@x.example", Role::Technician);
    let priya = person("Priya Shah", "priya@x.example", Role::Technician);
    let dorothy = known(
        "Dorothy's Gifts",
        "0161 1",
        Some(sam.id),
        &["Same technician"],
    );
    let customers = [dorothy.clone()];
    let people = [sam.clone(), priya.clone()];
    let existing = Existing {
        customers: &customers,
        people: &people,
        everyone: &people,
    };
    let id = dorothy.customer.id.to_string();
    let columns = map_columns(
        &headers(&[
            "id",
            "name",
            "phone",
            "address",
            "backup_technician",
            "priorities",
        ]),
        &BTreeMap::new(),
    )
    .columns;
    let plans = plan(
        &columns,
        &rows(&[&[
            &id,
            "",
            "0161 9",
            "",
            "PRIYA@x.example",
            "Same technician\nNo loud radios",
        ]]),
        &existing,
    );
    assert_eq!(plans[0].action, Action::Update);
    assert_eq!(
        plans[0].detail,
        "phone; technician Sam Lee, backup Priya Shah; 1 new priority"
    );
    let change = plans[0].change.as_ref().unwrap();
    assert_eq!(change.id, dorothy.customer.id);
    assert_eq!(change.expected_version, Some(7));
    let draft = change.draft.as_ref().unwrap();
    assert_eq!(
        (
            draft.name.as_str(),
            draft.address.as_str(),
            draft.phone.as_str()
        ),
        ("Dorothy's Gifts", "1 High St", "0161 9")
    );
    assert_eq!(change.technicians, Some((Some(sam.id), Some(priya.id))));
    assert_eq!(change.new_priorities[0].text, "No loud radios");

    // An id Rapport has not seen (a move from another installation) keeps that id.
    let moved = Uuid::now_v7().to_string();
    let plans = plan(
        &columns,
        &rows(&[
            &[&moved, "Moved In", "", "", "", ""],
            &["not-an-id", "X", "", "", "", ""],
        ]),
        &existing,
    );
    assert_eq!(plans[0].action, Action::Create);
    assert_eq!(plans[0].change.as_ref().unwrap().id.to_string(), moved);
    assert!(plans[1]
        .detail
        .contains("\"not-an-id\" is not a Rapport customer id"));

    // Two lines with one new id are one customer: the second is refused, not a clash.
    let plans = plan(
        &columns,
        &rows(&[
            &[&moved, "Moved In", "", "", "", ""],
            &[&moved, "Renamed", "", "", "", ""],
        ]),
        &existing,
    );
    assert_eq!(plans[0].action, Action::Create);
    assert!(plans[1]
        .detail
        .starts_with("Line 2 already imports this customer"));
}

#[test]
fn a_customer_keeps_a_technician_who_has_left_but_nobody_new_gets_one() {
    let chris = person("Chris Walker", "chris@x.example", Role::Technician);
    let kept = known("Kept", "1", Some(chris.id), &[]);
    let customers = [kept];
    let everyone = [chris];
    let existing = Existing {
        customers: &customers,
        people: &[],
        everyone: &everyone,
    };
    let columns = map_columns(&headers(&["name", "technician"]), &BTreeMap::new()).columns;
    let plans = plan(
        &columns,
        &rows(&[&["Kept", "chris@x.example"], &["Fresh", "chris@x.example"]]),
        &existing,
    );
    assert_eq!(plans[0].action, Action::Unchanged);
    assert_eq!(plans[1].action, Action::Reject);
    assert!(plans[1].detail.contains("No active technician"));
}

#[test]
fn a_rejected_line_claims_nothing_and_changes_after_the_preview_are_found() {
    let sam = person("Sam Lee", "sam@x.example", Role::Technician);
    let mut dorothy = known("Dorothy's Gifts", "1", None, &["Quiet\nmornings"]);
    let customers = [dorothy.clone()];
    let people = [sam];
    let existing = Existing {
        customers: &customers,
        people: &people,
        everyone: &people,
    };
    let columns = map_columns(&headers(&["name", "email", "priorities"]), &BTreeMap::new()).columns;
    let plans = plan(
        &columns,
        &rows(&[
            &["Dorothy's Gifts", &"x".repeat(600), ""],
            &["Dorothy's Gifts", "", "Quiet mornings"],
        ]),
        &existing,
    );
    assert_eq!(plans[0].action, Action::Reject);
    assert_eq!(
        plans[1].action,
        Action::Unchanged,
        "the second line is judged on its own, and a priority exported on one line matches"
    );
    assert_eq!(plans[1].existing, Some(dorothy.customer.id));

    assert!(changed_since(&plans, &customers, 7).is_empty());
    dorothy.latest_version = 8;
    assert_eq!(changed_since(&plans, &[dorothy], 7), ["Dorothy's Gifts"]);
}

/// Every customer field is a column, by its own name: a field added to the customer is
/// imported and exported without a second list to remember.
#[test]
fn every_customer_field_is_a_column_by_its_name() {
    for field in crate::customer::DRAFT_FIELDS {
        let column = Field::from_key(field.name)
            .unwrap_or_else(|| panic!("no import column for the customer field {}", field.name));
        assert_eq!(column.draft_field(), Some(field));
    }
}
