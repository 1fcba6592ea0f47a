//! Which column of the file holds what: headers recognised however a spreadsheet spells them,
//! and the person's own choices for the rest.

use crate::customer::{DraftField, DRAFT_FIELDS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

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

    /// The customer field this column fills, if it is one of [`DRAFT_FIELDS`] (the column is
    /// named after it, so a new customer field is importable and exported by its name).
    pub fn draft_field(self) -> Option<DraftField> {
        DRAFT_FIELDS.into_iter().find(|f| f.name == self.key())
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
