use super::{get_customer, SaveCustomer};
use crate::layout::{ErrorMessage, LoadError};
use domain::Customer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    view! {
        <Title text="New customer" />
        <h1>"New customer"</h1>
        <CustomerForm customer=None />
    }
}

#[component]
pub fn EditCustomerPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_customer,
    );
    view! {
        <Title text="Edit customer" />
        <h1>"Edit customer"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <CustomerForm customer=Some(d.customer) /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One form for creating and editing: an empty id creates.
#[component]
fn CustomerForm(customer: Option<Customer>) -> impl IntoView {
    let save = ServerAction::<SaveCustomer>::new();
    let id = customer
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    let field =
        |f: fn(&Customer) -> &String| customer.as_ref().map(|c| f(c).clone()).unwrap_or_default();
    let (name, contact) = (field(|c| &c.name), field(|c| &c.contact_name));
    let (address, phone) = (field(|c| &c.address), field(|c| &c.phone));
    let (email, access) = (field(|c| &c.email), field(|c| &c.access_notes));
    // The version this form was filled from: saving over a newer one (a phone's edit since)
    // is refused rather than silently overwriting it.
    let version = customer
        .as_ref()
        .map(|c| c.version.to_string())
        .unwrap_or_default();
    let cancel = if id.is_empty() {
        "/customers".to_string()
    } else {
        format!("/customers/{id}")
    };
    view! {
        <ActionForm action=save attr:class="card form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <label for="c-name">"Name"</label>
            <input id="c-name" name="name" required maxlength="200" value=name />
            <label for="c-contact">"Contact person"</label>
            <input id="c-contact" name="contact_name" maxlength="200" value=contact />
            <label for="c-address">"Address"</label>
            <input id="c-address" name="address" autocomplete="street-address" maxlength="500" value=address />
            <label for="c-phone">"Phone"</label>
            <input id="c-phone" name="phone" type="tel" maxlength="40" value=phone />
            <label for="c-email">"Email"</label>
            <input id="c-email" name="email" type="email" maxlength="200" value=email />
            <label for="c-access">"Access notes (gate codes, parking, pets)"</label>
            <textarea id="c-access" name="access_notes" rows="3" maxlength="2000">{crate::escape::textarea_text(access)}</textarea>
            <ErrorMessage result=save.value() />
            <div class="inline">
                <button type="submit">"Save customer"</button>
                <a class="button secondary" href=cancel>"Cancel"</a>
            </div>
        </ActionForm>
    }
}
