use super::{AddPriority, EditPriority, RetirePriority};
use crate::layout::ErrorMessage;
use domain::Priority;
use leptos::prelude::*;
use uuid::Uuid;

/// The actions a priorities card can run; a card without them is read-only.
#[derive(Clone, Copy)]
pub struct PriorityActions {
    pub add: ServerAction<AddPriority>,
    pub edit: ServerAction<EditPriority>,
    pub retire: ServerAction<RetirePriority>,
}

impl PriorityActions {
    /// Changes whenever any of the actions completes, so pages can reload what they show.
    pub fn versions(&self) -> (usize, usize, usize) {
        (
            self.add.version().get(),
            self.edit.version().get(),
            self.retire.version().get(),
        )
    }
}

/// A customer's priorities, pinned first, each with who heard it, in which role and when.
#[component]
pub fn PrioritiesCard(
    #[prop(into)] title: String,
    priorities: Vec<Priority>,
    #[prop(optional)] actions: Option<PriorityActions>,
    /// Heading level: 2 on a customer page, 3 inside a stop on the route.
    #[prop(default = 2)]
    level: u8,
) -> impl IntoView {
    let heading = match level {
        2 => view! { <h2>{title.clone()}</h2> }.into_any(),
        _ => view! { <h3>{title.clone()}</h3> }.into_any(),
    };
    let body = if priorities.is_empty() {
        view! { <p class="muted">"No priorities recorded yet. Ask what matters to them."</p> }
            .into_any()
    } else {
        view! {
            <ul class="priorities">
                {priorities.into_iter().map(|p| view! { <PriorityItem priority=p actions /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card priorities-card" aria-label=title>
            {heading}
            {body}
        </section>
    }
}

#[component]
fn PriorityItem(priority: Priority, actions: Option<PriorityActions>) -> impl IntoView {
    let heard = format!(
        "Heard by {} ({}), {}",
        priority.heard_by_name,
        priority.heard_role,
        priority.heard_at.format("%-d %b %Y")
    );
    let text = priority.text.clone();
    view! {
        <li class="priority" class:pinned=priority.pinned>
            <p class="priority-text">
                {priority.pinned.then(|| view! { <span class="badge">"Pinned"</span> " " })}
                <q>{text.clone()}</q>
            </p>
            <p class="muted heard">{heard}</p>
            {actions.map(|a| view! { <PriorityEditor priority=priority.clone() actions=a /> })}
        </li>
    }
}

#[component]
fn PriorityEditor(priority: Priority, actions: PriorityActions) -> impl IntoView {
    // Each form owns its copies: form children are re-runnable closures.
    let (edit_id, retire_id) = (priority.id.to_string(), priority.id.to_string());
    let (text_id, text_for) = (
        format!("edit-{}", priority.id),
        format!("edit-{}", priority.id),
    );
    let (pin_id, pin_for) = (
        format!("pin-{}", priority.id),
        format!("pin-{}", priority.id),
    );
    let retire_label = format!("Retire: {}", priority.text);
    let (text, pinned) = (priority.text, priority.pinned);
    view! {
        <div class="priority-actions">
            <details>
                <summary>"Edit"</summary>
                <ActionForm action=actions.edit attr:class="form">
                    <input type="hidden" name="id" value=edit_id />
                    <label for=text_for>"Priority text"</label>
                    <textarea id=text_id name="text" rows="2" maxlength="500" required>{crate::escape::textarea_text(text)}</textarea>
                    <label class="check" for=pin_for>
                        <input id=pin_id type="checkbox" name="pinned" checked=pinned />
                        "Pinned to the top"
                    </label>
                    <ErrorMessage result=actions.edit.value() />
                    <button type="submit">"Save priority"</button>
                </ActionForm>
            </details>
            <ActionForm action=actions.retire>
                <input type="hidden" name="id" value=retire_id />
                <button type="submit" class="secondary" aria-label=retire_label>
                    "Retire"
                </button>
            </ActionForm>
        </div>
    }
}

/// Adds a priority in the customer's own words.
#[component]
pub fn AddPriorityForm(customer_id: Uuid, action: ServerAction<AddPriority>) -> impl IntoView {
    // Clear the form once a priority has been saved, not when saving failed.
    let form = crate::layout::reset_on_success(action);
    view! {
        <section class="card" aria-labelledby="add-priority-heading">
            <h2 id="add-priority-heading">"Add a priority"</h2>
            <ActionForm action node_ref=form attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id.to_string() />
                <label for="new-priority">"What matters to this customer, in their words"</label>
                <textarea id="new-priority" name="text" rows="2" maxlength="500" required></textarea>
                <label class="check" for="new-priority-pinned">
                    <input id="new-priority-pinned" type="checkbox" name="pinned" />
                    "Pin to the top"
                </label>
                <ErrorMessage result=action.value() />
                <button type="submit">"Add priority"</button>
            </ActionForm>
        </section>
    }
}
