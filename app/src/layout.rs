//! The frame around every signed-in page: skip link, navigation, who is signed in.

use crate::auth::{who_am_i, Logout};
use crate::error::AppError;
use domain::{Role, UserSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

#[component]
pub fn Layout() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    // Loaded here rather than by the badge inside the navigation's Suspense; see OverdueBadge.
    let overdue = Resource::new(|| (), |_| crate::promises::overdue_count());
    let main_ref = NodeRef::<leptos::html::Main>::new();
    // The router would treat "#main" as a navigation; move focus to the content ourselves.
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main_ref.get() {
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>"Skip to content"</a>
        <header class="top-bar">
            <Suspense fallback=|| view! { <span class="brand">"Rapport"</span> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(user)) => view! { <Nav user overdue /> }.into_any(),
                        _ => view! { <a class="brand" href="/login">"Rapport"</a> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <crate::offline::UpdateBanner />
        <main id="main" tabindex="-1" node_ref=main_ref>
            <Outlet />
        </main>
    }
}

#[component]
fn Nav(user: UserSummary, overdue: Resource<Result<usize, AppError>>) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let mut links: Vec<(&str, &str)> = match user.role {
        Role::Technician => vec![
            ("/today", "Today"),
            ("/customers", "My customers"),
            ("/calendar", "Calendar"),
        ],
        Role::Office | Role::Admin => vec![
            ("/board", "Day board"),
            ("/customers", "Customers"),
            ("/at-risk", "At risk"),
            ("/customers/new", "New customer"),
            ("/import-export", "Import/export"),
        ],
    };
    if user.role == Role::Admin {
        links.push(("/devices", "Devices"));
        links.push(("/api-tokens", "API tokens"));
    }
    view! {
        <a class="brand" href=user.role.home_path()>"Rapport"</a>
        <nav aria-label="Main">
            <ul>
                {links
                    .into_iter()
                    .map(|(href, label)| view! { <li><A href=href exact=true>{label}</A></li> })
                    .collect_view()}
                <li><A href="/promises" exact=true><crate::promises::OverdueBadge count=overdue /></A></li>
            </ul>
        </nav>
        <div class="who">
            <span>{user.name.clone()} <span class="role">" (" {user.role.as_str()} ")"</span></span>
            <ActionForm action=logout>
                <button type="submit" class="link-button">"Log out"</button>
            </ActionForm>
        </div>
    }
}

/// Shows a failed result's message to the person, announced by screen readers.
#[component]
pub fn ErrorMessage<T, S>(result: S) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    move || match result.get() {
        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e.to_string()}</p> }),
        _ => None,
    }
}

/// A form that empties itself once its action succeeded (not when it failed, so nothing the
/// person typed is lost).
pub fn reset_on_success<A, O>(action: ServerAction<A>) -> NodeRef<leptos::html::Form>
where
    A: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    form
}

/// A failed load, in words.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert">{error.to_string()}</p> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main id="main" class="auth-page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to Rapport"</a></p>
        </main>
    }
}
