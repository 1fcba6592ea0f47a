//! A new value for one of the customer's single-valued fields, made on the version of the
//! customer the device had. If the field changed on the server since, it is a conflict that
//! keeps both values (see [`crate::sync::judge_edit`]).

use super::Kind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditCustomer {
    pub customer_id: Uuid,
    pub field: CustomerField,
    pub value: String,
    pub base_version: i64,
}

impl Kind for EditCustomer {
    const KIND: &'static str = "edit_customer";

    /// The same rule as the office's form for that field.
    fn validate(&self) -> Result<(), String> {
        let mut draft = crate::CustomerDraft {
            name: "-".into(),
            ..Default::default()
        };
        match self.field {
            CustomerField::Phone => draft.phone = self.value.clone(),
            CustomerField::AccessNotes => draft.access_notes = self.value.clone(),
        }
        draft.validate().map(|_| ())
    }

    fn describe(&self) -> String {
        format!("{}: {}", self.field.as_str().replace('_', " "), self.value)
    }
}

/// The customer fields a technician can correct on site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerField {
    Phone,
    AccessNotes,
}

impl CustomerField {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerField::Phone => "phone",
            CustomerField::AccessNotes => "access_notes",
        }
    }

    /// The field's value on a customer.
    pub fn get(self, customer: &crate::Customer) -> &str {
        match self {
            CustomerField::Phone => &customer.phone,
            CustomerField::AccessNotes => &customer.access_notes,
        }
    }

    pub fn set(self, customer: &mut crate::Customer, value: String) {
        match self {
            CustomerField::Phone => customer.phone = value,
            CustomerField::AccessNotes => customer.access_notes = value,
        }
    }
}
