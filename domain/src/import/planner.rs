//! Deciding what each row does: which customer it is about, what it changes, and why a row is
//! rejected. Rows are judged one by one; a later line may not import a customer an earlier one
//! already does.

use super::columns::{Column, Field};
use super::row::{Action, Change, Existing, Known, Row, RowPlan};
use crate::{CustomerDraft, PriorityDraft, Role, UserSummary};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

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
        let mut draft = current.map(CustomerDraft::of).unwrap_or_default();
        for column in Field::ALL {
            if let (Some(field), Some(value)) = (column.draft_field(), self.cell(row, column)) {
                field.set(&mut draft, value);
            }
        }
        // A name matched whatever its case stays as Rapport spells it.
        if let Some(c) = current.filter(|c| fold(&c.name) == fold(name)) {
            draft.name = c.name.clone();
        }
        let draft = draft.validate()?;

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
            Some(c) => CustomerDraft::of(c).changed_fields(&draft),
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
