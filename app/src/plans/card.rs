use super::{AddVisit, PlanLine, SavePlan};
use crate::layout::ErrorMessage;
use domain::plan::{format_weekdays, Frequency, ServicePlan};
use domain::UserSummary;
use leptos::prelude::*;
use uuid::Uuid;

/// The customer's service plans, each editable, and a form for a new one.
#[component]
pub fn PlansCard(
    customer_id: Uuid,
    plans: Vec<PlanLine>,
    technicians: Vec<UserSummary>,
    assigned: Option<Uuid>,
    today: chrono::NaiveDate,
    action: ServerAction<SavePlan>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="plans-heading">
            <h2 id="plans-heading">"Service plans"</h2>
            {move || match action.value().get() {
                Some(Ok(message)) => Some(view! { <p role="status">{message}</p> }),
                _ => None,
            }}
            {if plans.is_empty() {
                view! { <p class="muted">"No service plan yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {plans.into_iter().map(|line| {
                            let plan = line.plan.clone();
                            let label = format!("Edit plan: {}", plan.service_type);
                            view! {
                                <li>
                                    <p>
                                        <strong>{plan.service_type.clone()}</strong>
                                        {format!(" — {}, {}", line.description, window(&plan))}
                                        {format!(" — {}", line.technician.unwrap_or_else(|| "unassigned".into()))}
                                    </p>
                                    <details>
                                        <summary aria-label=label>"Edit plan"</summary>
                                        <PlanForm customer_id plan=Some(plan) technicians=technicians.clone() assigned today action />
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details>
                <summary>"Add a service plan"</summary>
                <PlanForm customer_id plan=None technicians assigned today action />
            </details>
        </section>
    }
    .into_any()
}

fn window(plan: &ServicePlan) -> String {
    match (plan.window_start, plan.window_end) {
        (Some(s), Some(e)) => format!("{}–{}", s.format("%H:%M"), e.format("%H:%M")),
        (Some(s), None) => format!("from {}", s.format("%H:%M")),
        _ => "any time".into(),
    }
}

#[component]
fn PlanForm(
    customer_id: Uuid,
    plan: Option<ServicePlan>,
    technicians: Vec<UserSummary>,
    assigned: Option<Uuid>,
    today: chrono::NaiveDate,
    action: ServerAction<SavePlan>,
) -> impl IntoView {
    // Field ids must be unique on the page: one form per plan plus the new-plan form.
    let key = plan
        .as_ref()
        .map(|p| p.id.to_string())
        .unwrap_or_else(|| "new".into());
    let id = move |field: &str| format!("plan-{field}-{key}");
    let p = plan.clone();
    let frequency = p.as_ref().map_or(Frequency::Weekly, |p| p.frequency);
    let technician = p.as_ref().map_or(assigned, |p| p.technician_id);
    let time =
        |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    view! {
        <ActionForm action attr:class="form">
            <input type="hidden" name="customer_id" value=customer_id.to_string() />
            <input type="hidden" name="plan_id" value=p.as_ref().map(|p| p.id.to_string()).unwrap_or_default() />
            <label for=id("type")>"Service"</label>
            <input id=id("type") name="service_type" required maxlength="100"
                value=p.as_ref().map(|p| p.service_type.clone()).unwrap_or_default() />
            <label for=id("frequency")>"Repeats"</label>
            <select id=id("frequency") name="frequency">
                {Frequency::ALL.into_iter().map(|f| view! {
                    <option value=f.as_str() selected=f == frequency>{f.as_str()}</option>
                }).collect_view()}
            </select>
            <label for=id("interval")>"Every how many weeks or months"</label>
            <input id=id("interval") type="number" name="interval" min="1" max="52" required
                value=p.as_ref().map_or(1, |p| p.interval).to_string() />
            <label for=id("days")>"Days of the week (weekly plans, e.g. Mon, Thu)"</label>
            <input id=id("days") name="weekdays" value=p.as_ref().map(|p| format_weekdays(&p.weekdays)).unwrap_or_default() />
            <label for=id("months")>"Months (seasonal plans, e.g. 3,6,9,12)"</label>
            <input id=id("months") name="months"
                value=p.as_ref().map(|p| p.months.iter().map(u32::to_string).collect::<Vec<_>>().join(",")).unwrap_or_default() />
            <label for=id("start")>"Window starts"</label>
            <input id=id("start") type="time" name="window_start" value=time(p.as_ref().and_then(|p| p.window_start)) />
            <label for=id("end")>"Window ends"</label>
            <input id=id("end") type="time" name="window_end" value=time(p.as_ref().and_then(|p| p.window_end)) />
            <label for=id("tech")>"Technician"</label>
            <select id=id("tech") name="technician">
                <option value="" selected=technician.is_none()>"Unassigned"</option>
                {technicians.into_iter().map(|t| view! {
                    <option value=t.id.to_string() selected=Some(t.id) == technician>{t.name}</option>
                }).collect_view()}
            </select>
            <label for=id("from")>"First visit on or after"</label>
            <input id=id("from") type="date" name="starts_on" required
                value=p.as_ref().map_or(today, |p| p.starts_on).to_string() />
            <label for=id("until")>"Ends (optional)"</label>
            <input id=id("until") type="date" name="ends_on"
                value=p.as_ref().and_then(|p| p.ends_on).map(|d| d.to_string()).unwrap_or_default() />
            <ErrorMessage result=action.value() />
            <button type="submit">"Save plan"</button>
        </ActionForm>
    }
    .into_any()
}

/// A visit outside any plan, with the customer's own technician.
#[component]
pub fn OneOffVisitForm(
    customer_id: Uuid,
    today: chrono::NaiveDate,
    action: ServerAction<AddVisit>,
) -> impl IntoView {
    view! {
        <details class="card">
            <summary>"Schedule a one-off visit"</summary>
            <ActionForm action attr:class="form">
                <input type="hidden" name="customer_id" value=customer_id.to_string() />
                <label for="visit-date">"Day"</label>
                <input id="visit-date" type="date" name="date" min=today.to_string() required />
                <label for="visit-start">"Window starts"</label>
                <input id="visit-start" type="time" name="window_start" />
                <label for="visit-end">"Window ends"</label>
                <input id="visit-end" type="time" name="window_end" />
                <ErrorMessage result=action.value() />
                <button type="submit">"Schedule visit"</button>
            </ActionForm>
        </details>
    }
    .into_any()
}
