use super::server_fns::{CreateFirstAdmin, Login};
use crate::layout::ErrorMessage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Log in" />
        <main id="main" class="auth-page">
            <h1 class="brand">"Rapport"</h1>
            <p class="tagline">"Every customer's priorities, in front of whoever serves them."</p>
            <ActionForm action=login attr:class="card form">
                <h2>"Log in"</h2>
                <input type="hidden" name="next" value=next />
                <label for="login-email">"Email"</label>
                <input id="login-email" type="email" name="email" autocomplete="username" required />
                <label for="login-password">"Password"</label>
                <input
                    id="login-password"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    required
                />
                <ErrorMessage result=login.value() />
                <button type="submit" disabled=move || login.pending().get()>
                    "Log in"
                </button>
            </ActionForm>
        </main>
    }
}

/// The first visitor of a new installation creates the admin account here.
#[component]
pub fn SetupPage() -> impl IntoView {
    let create = ServerAction::<CreateFirstAdmin>::new();
    view! {
        <Title text="Set up" />
        <main id="main" class="auth-page">
            <h1 class="brand">"Rapport"</h1>
            <ActionForm action=create attr:class="card form">
                <h2>"Create the admin account"</h2>
                <p>"This installation has no users yet. The first account is its administrator."</p>
                <label for="setup-name">"Your name"</label>
                <input id="setup-name" name="name" autocomplete="name" required />
                <label for="setup-email">"Email"</label>
                <input id="setup-email" type="email" name="email" autocomplete="username" required />
                <label for="setup-password">"Password (at least 10 characters)"</label>
                <input
                    id="setup-password"
                    type="password"
                    name="password"
                    autocomplete="new-password"
                    minlength="10"
                    required
                />
                <ErrorMessage result=create.value() />
                <button type="submit">"Create admin account"</button>
            </ActionForm>
        </main>
    }
}
