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

impl CustomerDraft {
    /// Trims every field and checks it, so the store only ever sees clean data.
    /// The error says which field is wrong and how to fix it.
    pub fn validate(self) -> Result<CustomerDraft, String> {
        let draft = CustomerDraft {
            name: self.name.trim().to_string(),
            contact_name: self.contact_name.trim().to_string(),
            address: self.address.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
            access_notes: self.access_notes.trim().to_string(),
        };
        if draft.name.is_empty() {
            return Err("Name is required.".into());
        }
        check_len("Name", &draft.name, MAX_NAME)?;
        check_len("Contact name", &draft.contact_name, MAX_NAME)?;
        check_len("Address", &draft.address, MAX_FIELD)?;
        check_len("Phone", &draft.phone, 40)?;
        check_len("Email", &draft.email, MAX_NAME)?;
        check_len("Access notes", &draft.access_notes, MAX_NOTES)?;
        for (field, value) in [
            ("Name", &draft.name),
            ("Contact name", &draft.contact_name),
            ("Address", &draft.address),
            ("Phone", &draft.phone),
            ("Email", &draft.email),
            ("Access notes", &draft.access_notes),
        ] {
            crate::text::check_text(field, value)?;
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
