use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person or business the company serves, with the one technician they know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub contact_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub access_notes: String,
    pub assigned_technician_id: Option<Uuid>,
    pub backup_technician_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// One line of the customer list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct CustomerSummary {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub assigned_technician_name: Option<String>,
    /// The first priority as the customer page shows it (pinned first), so the list already
    /// says what matters to each customer.
    pub top_priority: Option<String>,
}

/// Two values for one field: what the server had and what a phone wrote on an older copy.
/// Kept visible until the office settles it; nothing was overwritten.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct FieldConflict {
    pub id: Uuid,
    pub field: String,
    pub server_value: String,
    pub device_value: String,
    pub user_name: String,
    pub at: DateTime<Utc>,
}

/// The editable fields of a customer, as typed into a form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDraft {
    pub name: String,
    pub contact_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub access_notes: String,
}

pub const MAX_NAME: usize = 200;
pub const MAX_FIELD: usize = 500;
pub const MAX_NOTES: usize = 2000;
pub const MAX_PHONE: usize = 40;

/// One editable text field of a customer. [`DRAFT_FIELDS`] is the one description of them
/// that the store's SQL (columns, INSERT and UPDATE binding), the audit trail's list of what
/// changed, the CSV export and the import all read, so a field is added in one place.
#[derive(Clone, Copy)]
pub struct DraftField {
    /// The column, the CSV header and the JSON name.
    pub name: &'static str,
    /// As messages name it ("Contact name").
    pub label: &'static str,
    /// In the audit trail's list of what an edit changed ("contact").
    pub audit: &'static str,
    pub max_chars: usize,
    get: fn(&CustomerDraft) -> &String,
    get_mut: fn(&mut CustomerDraft) -> &mut String,
}

impl DraftField {
    pub fn of<'a>(&self, draft: &'a CustomerDraft) -> &'a str {
        (self.get)(draft)
    }

    pub fn set(&self, draft: &mut CustomerDraft, value: String) {
        *(self.get_mut)(draft) = value;
    }
}

impl std::fmt::Debug for DraftField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for DraftField {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

macro_rules! draft_field {
    ($field:ident, $label:literal, $audit:literal, $max:expr) => {
        DraftField {
            name: stringify!($field),
            label: $label,
            audit: $audit,
            max_chars: $max,
            get: |d| &d.$field,
            get_mut: |d| &mut d.$field,
        }
    };
}

/// Every field of [`CustomerDraft`], in the order forms, exports and messages use.
pub const DRAFT_FIELDS: [DraftField; 6] = [
    draft_field!(name, "Name", "name", MAX_NAME),
    draft_field!(contact_name, "Contact name", "contact", MAX_NAME),
    draft_field!(address, "Address", "address", MAX_FIELD),
    draft_field!(phone, "Phone", "phone", MAX_PHONE),
    draft_field!(email, "Email", "email", MAX_NAME),
    draft_field!(access_notes, "Access notes", "access notes", MAX_NOTES),
];

impl CustomerDraft {
    /// The editable fields of a customer as they are now.
    pub fn of(customer: &Customer) -> CustomerDraft {
        CustomerDraft {
            name: customer.name.clone(),
            contact_name: customer.contact_name.clone(),
            address: customer.address.clone(),
            phone: customer.phone.clone(),
            email: customer.email.clone(),
            access_notes: customer.access_notes.clone(),
        }
    }

    /// The fields (as the audit trail names them) that differ in `after`.
    pub fn changed_fields(&self, after: &CustomerDraft) -> Vec<&'static str> {
        DRAFT_FIELDS
            .iter()
            .filter(|f| f.of(self) != f.of(after))
            .map(|f| f.audit)
            .collect()
    }

    /// Trims every field and checks it, so the store only ever sees clean data.
    /// The error says which field is wrong and how to fix it.
    pub fn validate(mut self) -> Result<CustomerDraft, String> {
        for field in DRAFT_FIELDS {
            let trimmed = field.of(&self).trim().to_string();
            field.set(&mut self, trimmed);
        }
        let draft = self;
        if draft.name.is_empty() {
            return Err("Name is required.".into());
        }
        for field in DRAFT_FIELDS {
            check_len(field.label, field.of(&draft), field.max_chars)?;
        }
        for field in DRAFT_FIELDS {
            crate::text::check_text(field.label, field.of(&draft))?;
        }
        if !draft.phone.is_empty() && !is_phone(&draft.phone) {
            return Err("Phone may hold only digits, spaces and + ( ) - . characters.".into());
        }
        if !draft.email.is_empty() && !is_email(&draft.email) {
            return Err("Email must look like name@example.com.".into());
        }
        Ok(draft)
    }
}

fn check_len(field: &str, value: &str, max: usize) -> Result<(), String> {
    let len = value.chars().count();
    if len > max {
        return Err(format!(
            "{field} is {len} characters long; the limit is {max}."
        ));
    }
    Ok(())
}

fn is_phone(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +()-.".contains(c))
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !s.contains(' ')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The description names every field of the draft once: a field added to `CustomerDraft`
    /// but not to `DRAFT_FIELDS` would never be saved, exported or checked.
    #[test]
    fn the_field_description_covers_every_draft_field_once() {
        let mut draft = CustomerDraft::default();
        for (i, field) in DRAFT_FIELDS.iter().enumerate() {
            field.set(&mut draft, format!("value {i}"));
        }
        let json = serde_json::to_value(&draft).unwrap();
        let object = json.as_object().unwrap();
        assert_eq!(object.len(), DRAFT_FIELDS.len(), "{object:?}");
        for (i, field) in DRAFT_FIELDS.iter().enumerate() {
            assert_eq!(object[field.name], format!("value {i}"), "{}", field.name);
        }
        let mut after = draft.clone();
        after.phone = "555".into();
        after.access_notes = "Side door".into();
        assert_eq!(draft.changed_fields(&after), ["phone", "access notes"]);
        assert!(draft.changed_fields(&draft).is_empty());
    }

    fn draft(name: &str, phone: &str, email: &str) -> CustomerDraft {
        CustomerDraft {
            name: name.into(),
            phone: phone.into(),
            email: email.into(),
            ..Default::default()
        }
    }

    #[test]
    fn validation_trims_and_accepts_clean_input() {
        let ok = draft(
            "  Dorothy's Gifts ",
            " +1 (555) 010-2000 ",
            "d@gifts.example",
        )
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Dorothy's Gifts");
        assert_eq!(ok.phone, "+1 (555) 010-2000");
    }

    #[test]
    fn validation_names_the_field_that_is_wrong() {
        let cases = [
            (draft("  ", "", ""), "Name is required."),
            (draft("A", "call me", ""), "Phone may hold only"),
            (draft("A", "", "nobody"), "Email must look like"),
            (
                draft(&"x".repeat(201), "", ""),
                "Name is 201 characters long",
            ),
        ];
        for (input, expected) in cases {
            let err = input.validate().unwrap_err();
            assert!(
                err.starts_with(expected),
                "{err:?} should start with {expected:?}"
            );
        }
    }
}
