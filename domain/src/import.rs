//! Importing customers from a spreadsheet: which column holds what, and what each row would
//! do (create, update, leave alone, or reject, with the reason) before anything is written.
//!
//! Pure: the caller reads the file and loads what exists. The same plan serves the preview
//! and the import itself, so what the office saw is what happens.

use crate::{Customer, CustomerDraft, PriorityDraft, Role, UserSummary};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Name,
    ContactName,
    Address,
    Phone,
    Email,
    AccessNotes,
    Technician,
    BackupTechnician,
    Priorities,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Id,
        Field::Name,
        Field::ContactName,
        Field::Address,
        Field::Phone,
        Field::Email,
        Field::AccessNotes,
        Field::Technician,
        Field::BackupTechnician,
        Field::Priorities,
    ];

    /// The header Rapport's own export writes, and the value a mapping choice sends.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::ContactName => "contact_name",
            Field::Address => "address",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::AccessNotes => "access_notes",
            Field::Technician => "technician",
            Field::BackupTechnician => "backup_technician",
            Field::Priorities => "priorities",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Id => "Rapport customer id",
            Field::Name => "Name",
            Field::ContactName => "Contact name",
            Field::Address => "Address",
            Field::Phone => "Phone",
            Field::Email => "Email",
            Field::AccessNotes => "Access notes",
            Field::Technician => "Technician (email or name)",
            Field::BackupTechnician => "Backup technician (email or name)",
            Field::Priorities => "Priorities (one per line)",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The field a header names, however a spreadsheet spells it ("E-mail", "Access Notes",
    /// "Assigned technician"). Headers it does not know go to the person to map.
    pub fn recognise(header: &str) -> Option<Field> {
        let squashed: String = header
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match squashed.as_str() {
            "id" | "customerid" | "rapportid" => Field::Id,
            "name" | "customer" | "customername" | "company" | "business" => Field::Name,
            "contact" | "contactname" | "contactperson" => Field::ContactName,
            "address" | "siteaddress" | "streetaddress" => Field::Address,
            "phone" | "telephone" | "tel" | "phonenumber" | "mobile" => Field::Phone,
            "email" | "emailaddress" => Field::Email,
            "accessnotes" | "access" | "accessinstructions" | "gatecode" => Field::AccessNotes,
            "technician" | "assignedtechnician" | "tech" => Field::Technician,
            "backup" | "backuptechnician" | "backuptech" => Field::BackupTechnician,
            "priorities" | "priority" | "whatmatters" => Field::Priorities,
            _ => return None,
        })
    }
}

/// A column of the file and what it was taken to hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    /// None: the column is ignored.
    pub field: Option<Field>,
    /// The header was not recognised and the person has not said what it holds yet.
    pub needs_choice: bool,
}

/// The columns, and what stops the import until the person fixes the mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnMap {
    pub columns: Vec<Column>,
    pub problem: Option<String>,
}

/// The choice for a column the person mapped by hand: a field's key, or this.
pub const IGNORE: &str = "ignore";

/// Maps headers to fields: the person's choices first, then headers Rapport recognises.
/// A header nobody recognised is ignored until the person chooses (`needs_choice`).
pub fn map_columns(headers: &[String], choices: &BTreeMap<String, String>) -> ColumnMap {
    let mut problem = None;
    let columns: Vec<Column> = headers
        .iter()
        .map(|header| {
            let (field, needs_choice) = match choices.get(header).map(String::as_str) {
                Some(IGNORE) => (None, false),
                Some(key) => match Field::from_key(key) {
                    Some(field) => (Some(field), false),
                    None => {
                        problem.get_or_insert(format!(
                            "\"{key}\" is not something a column can hold (column \"{header}\")."
                        ));
                        (None, false)
                    }
                },
                None => {
                    let field = Field::recognise(header);
                    (field, field.is_none())
                }
            };
            Column {
                header: header.clone(),
                field,
                needs_choice,
            }
        })
        .collect();
    let mut seen: HashMap<Field, &str> = HashMap::new();
    for column in &columns {
        if let Some(field) = column.field {
            if let Some(first) = seen.insert(field, &column.header) {
                problem.get_or_insert(format!(
                    "Both \"{first}\" and \"{}\" are taken as {}; choose one and ignore the other.",
                    column.header,
                    field.label().to_lowercase()
                ));
            }
        }
    }
    if !seen.contains_key(&Field::Name) {
        problem.get_or_insert(
            "No column holds the customer's name; choose which column it is.".to_string(),
        );
    }
    ColumnMap { columns, problem }
}

/// A customer already in Rapport, with the texts of their current priorities.
#[derive(Clone, Debug)]
pub struct Known {
    pub customer: Customer,
    pub priorities: Vec<String>,
    /// The newest version among the customer and their priorities: a preview made before
    /// it no longer shows what an import would do to them.
    pub latest_version: i64,
}

/// What is in Rapport, for matching rows against.
pub struct Existing<'a> {
    pub customers: &'a [Known],
    /// People rows may name as technician; only active technicians can be assigned.
    pub people: &'a [UserSummary],
    /// Everyone, former staff too: a row may keep the technician a customer already has.
    pub everyone: &'a [UserSummary],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Reject,
}

/// What one row of the file would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowPlan {
    /// The line of the file the row starts on (the header is line 1).
    pub line: u64,
    pub name: String,
    pub action: Action,
    /// For a change, what changes; for a rejection, why and what to do.
    pub detail: String,
    /// The customer already in Rapport the line is about, if any.
    pub existing: Option<Uuid>,
    #[serde(skip)]
    pub change: Option<Change>,
}

/// A write the import makes for one row.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub id: Uuid,
    /// None: a new customer.
    pub expected_version: Option<i64>,
    /// The customer's fields after the import (None: they stay as they are).
    pub draft: Option<CustomerDraft>,
    /// The technicians after the import (None: they stay as they are).
    pub technicians: Option<(Option<Uuid>, Option<Uuid>)>,
    pub new_priorities: Vec<PriorityDraft>,
}

/// One row of the file, as cells in column order, with the line it starts on.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Plans every row. Rows are independent: a rejected row never stops the others.
pub fn plan(columns: &[Column], rows: &[Row], existing: &Existing) -> Vec<RowPlan> {
    let by_id: HashMap<Uuid, &Known> = existing
        .customers
        .iter()
        .map(|k| (k.customer.id, k))
        .collect();
    let mut by_name: HashMap<String, Vec<&Known>> = HashMap::new();
    for known in existing.customers {
        by_name
            .entry(fold(&known.customer.name))
            .or_default()
            .push(known);
    }
    let mut planner = Planner {
        columns,
        by_id,
        by_name,
        people: existing.people,
        everyone: existing.everyone,
        taken: HashMap::new(),
    };
    rows.iter().map(|row| planner.row(row)).collect()
}

/// A line that passed its checks.
struct Judged {
    action: Action,
    detail: String,
    change: Option<Change>,
    /// What makes another line the same customer.
    claim: String,
    existing: Option<Uuid>,
}

struct Planner<'a> {
    columns: &'a [Column],
    by_id: HashMap<Uuid, &'a Known>,
    by_name: HashMap<String, Vec<&'a Known>>,
    people: &'a [UserSummary],
    everyone: &'a [UserSummary],
    /// Customers (by id, or by name for new ones) an earlier line already imports.
    taken: HashMap<String, u64>,
}

impl<'a> Planner<'a> {
    fn cell(&self, row: &Row, field: Field) -> Option<String> {
        let index = self.columns.iter().position(|c| c.field == Some(field))?;
        let value = row.cells.get(index)?.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    fn row(&mut self, row: &Row) -> RowPlan {
        let name = self.cell(row, Field::Name).unwrap_or_default();
        let (action, detail, change, existing) = match self.judge(row, &name) {
            Ok(judged) => {
                // Only a line that passes claims its customer: a rejected one imports nothing.
                self.taken.insert(judged.claim, row.line);
                (judged.action, judged.detail, judged.change, judged.existing)
            }
            Err(reason) => (Action::Reject, reason, None, None),
        };
        RowPlan {
            line: row.line,
            name,
            action,
            detail,
            existing,
            change,
        }
    }

    fn judge(&self, row: &Row, name: &str) -> Result<Judged, String> {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            return Err("The row is empty.".into());
        }
        let known = self.find(row, name)?;
        let id = match (known, self.cell(row, Field::Id)) {
            (Some(k), _) => k.customer.id,
            (None, Some(raw)) => parse_id(&raw)?,
            (None, None) => crate::new_id(),
        };
        // What makes two lines the same customer: the id, else (for a new one) the name.
        let claim = match (known, self.cell(row, Field::Id)) {
            (Some(_), _) | (None, Some(_)) => id.to_string(),
            (None, None) => fold(name),
        };
        if let Some(first) = self.taken.get(&claim) {
            return Err(format!(
                "Line {first} already imports this customer; keep one of the two lines."
            ));
        }

        // Blank cells keep what is there: an import adds and corrects, it never erases.
        let current = known.map(|k| &k.customer);
        let keep = |field: Field, now: Option<&String>| -> String {
            self.cell(row, field)
                .or_else(|| now.cloned())
                .unwrap_or_default()
        };
        // A name matched whatever its case stays as Rapport spells it.
        let name = match current {
            Some(c) if fold(&c.name) == fold(name) => c.name.clone(),
            _ => keep(Field::Name, current.map(|c| &c.name)),
        };
        let draft = CustomerDraft {
            name,
            contact_name: keep(Field::ContactName, current.map(|c| &c.contact_name)),
            address: keep(Field::Address, current.map(|c| &c.address)),
            phone: keep(Field::Phone, current.map(|c| &c.phone)),
            email: keep(Field::Email, current.map(|c| &c.email)),
            access_notes: keep(Field::AccessNotes, current.map(|c| &c.access_notes)),
        }
        .validate()?;

        let now_assigned = current.and_then(|c| c.assigned_technician_id);
        let now_backup = current.and_then(|c| c.backup_technician_id);
        let assigned = match self.cell(row, Field::Technician) {
            Some(who) => Some(self.technician(&who, now_assigned)?),
            None => now_assigned,
        };
        let backup = match self.cell(row, Field::BackupTechnician) {
            Some(who) => Some(self.technician(&who, now_backup)?),
            None => now_backup,
        };
        if assigned.is_some() && assigned == backup {
            return Err("The technician and the backup are the same person; name two people, or leave the backup empty.".into());
        }

        let mut have: HashSet<String> = known
            .map(|k| k.priorities.iter().map(|p| fold(p)).collect())
            .unwrap_or_default();
        let mut new_priorities = Vec::new();
        for text in self
            .cell(row, Field::Priorities)
            .unwrap_or_default()
            .lines()
        {
            if text.trim().is_empty() || !have.insert(fold(text)) {
                continue;
            }
            let draft = PriorityDraft {
                text: text.to_string(),
                pinned: false,
            }
            .validate()
            .map_err(|e| format!("Priority \"{}\": {e}", text.trim()))?;
            new_priorities.push(draft);
        }

        let mut what = Vec::new();
        let fields_changed = match current {
            Some(c) => changed_fields(c, &draft),
            None => Vec::new(),
        };
        let technicians_changed = current.map_or(assigned.is_some() || backup.is_some(), |c| {
            (c.assigned_technician_id, c.backup_technician_id) != (assigned, backup)
        });
        what.extend(fields_changed.iter().map(|f| f.to_string()));
        if technicians_changed {
            let who = self.name_of(assigned).unwrap_or("nobody");
            what.push(match backup {
                Some(_) => format!(
                    "technician {who}, backup {}",
                    self.name_of(backup).unwrap_or("nobody")
                ),
                None => format!("technician {who}"),
            });
        }
        match new_priorities.len() {
            0 => {}
            1 => what.push("1 new priority".into()),
            n => what.push(format!("{n} new priorities")),
        }
        let action = match current {
            None => Action::Create,
            Some(_) if what.is_empty() => Action::Unchanged,
            Some(_) => Action::Update,
        };
        let detail = match action {
            Action::Create if what.is_empty() => "new customer".to_string(),
            Action::Create => format!("new customer; {}", what.join("; ")),
            Action::Unchanged => "already as in the file".to_string(),
            _ => what.join("; "),
        };
        let change = (action != Action::Unchanged).then(|| Change {
            id,
            expected_version: current.map(|c| c.version),
            draft: (current.is_none() || !fields_changed.is_empty()).then_some(draft),
            technicians: technicians_changed.then_some((assigned, backup)),
            new_priorities,
        });
        Ok(Judged {
            action,
            detail,
            change,
            claim,
            existing: known.map(|k| k.customer.id),
        })
    }

    /// The customer a row is about: by id when the file has one, else by name.
    fn find(&self, row: &Row, name: &str) -> Result<Option<&'a Known>, String> {
        if let Some(raw) = self.cell(row, Field::Id) {
            // A valid id Rapport has not seen makes a customer with that id (a move from
            // another Rapport keeps its ids).
            return Ok(self.by_id.get(&parse_id(&raw)?).copied());
        }
        if name.is_empty() {
            return Err("The name is empty; every customer needs one.".into());
        }
        match self.by_name.get(&fold(name)).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one)),
            Some(many) => Err(format!(
                "{} customers are called \"{name}\"; add an id column (from an export) to say which.",
                many.len()
            )),
        }
    }

    /// The technician a cell names. The one the customer has now may stay even if they have
    /// left (an export of today's data imports again unchanged); new ones must be active.
    fn technician(&self, who: &str, now: Option<Uuid>) -> Result<Uuid, String> {
        let wanted = fold(who);
        let is_wanted = |p: &UserSummary| fold(&p.email) == wanted || fold(&p.name) == wanted;
        if let Some(now) = self.everyone.iter().find(|p| Some(p.id) == now) {
            if is_wanted(now) {
                return Ok(now.id);
            }
        }
        let matches: Vec<&UserSummary> = self
            .people
            .iter()
            .filter(|p| p.role == Role::Technician && is_wanted(p))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.id),
            [] => Err(format!(
                "No active technician is called \"{who}\"; give their email or name as it is in Rapport."
            )),
            _ => Err(format!(
                "More than one technician is called \"{who}\"; give their email instead."
            )),
        }
    }

    fn name_of(&self, id: Option<Uuid>) -> Option<&str> {
        let id = id?;
        self.everyone
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
    }
}

fn parse_id(raw: &str) -> Result<Uuid, String> {
    Uuid::parse_str(raw).map_err(|_| {
        format!("\"{raw}\" is not a Rapport customer id; leave the id empty for a new customer.")
    })
}

/// Names and texts match whatever their case and spacing (a priority typed over two lines is
/// exported on one).
fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn changed_fields(before: &Customer, after: &CustomerDraft) -> Vec<&'static str> {
    [
        ("name", &before.name, &after.name),
        ("contact", &before.contact_name, &after.contact_name),
        ("address", &before.address, &after.address),
        ("phone", &before.phone, &after.phone),
        ("email", &before.email, &after.email),
        ("access notes", &before.access_notes, &after.access_notes),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(name, ..)| name)
    .collect()
}

/// How many rows do what, for the preview's summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub reject: usize,
}

impl Counts {
    pub fn of(plans: &[RowPlan]) -> Counts {
        let mut counts = Counts::default();
        for plan in plans {
            *match plan.action {
                Action::Create => &mut counts.create,
                Action::Update => &mut counts.update,
                Action::Unchanged => &mut counts.unchanged,
                Action::Reject => &mut counts.reject,
            } += 1;
        }
        counts
    }
}

/// What the import page sends: the file's text, and the person's choices for its columns
/// (header → a field's key, or `ignore`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub csv: String,
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// For the import: the `based_on` of the preview the person saw.
    #[serde(default)]
    pub based_on: Option<i64>,
}

/// The preview of a file, before anything is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub columns: Vec<Column>,
    /// What must be fixed (in the mapping) before the file can be imported.
    pub problem: Option<String>,
    pub counts: Counts,
    /// The rows that would change something or are rejected, in file order (the first few
    /// hundred); rows already as in the file are only counted.
    pub rows: Vec<RowPlan>,
    pub rows_not_shown: usize,
    /// What Rapport held when the preview was made (its version); the import refuses to go
    /// ahead if a customer in the file has changed since.
    pub based_on: i64,
}

/// The customers a file touches that changed after the preview it was imported from.
pub fn changed_since<'a>(plans: &[RowPlan], known: &'a [Known], based_on: i64) -> Vec<&'a str> {
    let touched: HashSet<Uuid> = plans.iter().filter_map(|p| p.existing).collect();
    known
        .iter()
        .filter(|k| touched.contains(&k.customer.id) && k.latest_version > based_on)
        .map(|k| k.customer.name.as_str())
        .collect()
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    /// Priorities added to new and existing customers.
    pub priorities: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

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
        let columns =
            map_columns(&headers(&["name", "email", "priorities"]), &BTreeMap::new()).columns;
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
}
