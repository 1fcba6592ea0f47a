use super::{calendar_link_made, NewCalendarLink};
use crate::layout::{ErrorMessage, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CalendarPage() -> impl IntoView {
    let make = ServerAction::<NewCalendarLink>::new();
    let made = Resource::new(move || make.version().get(), |_| calendar_link_made());
    view! {
        <Title text="Calendar" />
        <h1>"Your visits in your calendar"</h1>
        <p>
            "Subscribe to your own link in your phone's calendar app and your visits appear there, "
            "with the customer's address and what matters to them. It updates by itself; it "
            "cannot change anything in Rapport."
        </p>
        <section class="card" aria-labelledby="link-heading">
            <h2 id="link-heading">"Your calendar link"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match made.await {
                        Err(error) => view! { <LoadError error /> }.into_any(),
                        Ok(None) => view! { <p>"You have no calendar link yet."</p> }.into_any(),
                        Ok(Some(at)) => view! {
                            <p>{format!("Your link was made {at}. Keep it private: anyone with it sees your visits. ")}
                            "Making a new one stops the old one."</p>
                        }.into_any(),
                    }
                })}
            </Transition>
            {move || make.value().get().and_then(Result::ok).map(|url| {
                let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                view! {
                    <div class="form">
                        <label for="calendar-url">"Your new link (shown only now)"</label>
                        <input id="calendar-url" readonly value=url.clone() />
                        <a class="button" href=webcal>"Subscribe in my calendar"</a>
                    </div>
                }
            })}
            <ErrorMessage result=make.value() />
            <ActionForm action=make>
                <button type="submit">"Make a new calendar link"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
