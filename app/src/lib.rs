//! Rapport's user interface: pages, components and the server functions behind them.
//!
//! Built twice: with `ssr` into the server (renders pages, runs server functions) and with
//! `hydrate` into the wasm client (takes over the rendered page). Server-only code sits behind
//! `#[cfg(feature = "ssr")]`.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]
// Server functions take one argument per form field (that is how forms are decoded), so a
// form with many fields is a function with many arguments.
#![allow(clippy::too_many_arguments)]

pub mod api_tokens;
pub mod auth;
pub mod board;
pub mod calendar;
pub mod continuity;
pub mod customers;
pub mod devices;
pub mod error;
pub mod escape;
pub mod interop;
pub mod layout;
mod lazy_pages;
pub mod offline;
pub mod plans;
pub mod priorities;
pub mod promises;
#[cfg(feature = "ssr")]
pub mod state;
pub mod today;

use lazy_pages as lazy;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy};

/// Registers the service worker, offers new versions, keeps pages for offline use.
const SHELL_JS: &str = include_str!("shell.js");

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1d4e6b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <script nonce=leptos::nonce::use_nonce() inner_html=SHELL_JS></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The tab's title. leptos_meta writes the server's `<title>` as it gets it, unescaped, so a
/// customer named `</title><script>…` would become markup; the server escapes it here. In
/// the browser the text goes to `document.title`, which takes it as text, so it stays as is.
fn tab_title(page: String) -> String {
    let title = format!("{page} · Rapport");
    #[cfg(feature = "ssr")]
    let title = title.replace('&', "&amp;").replace('<', "&lt;");
    title
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn a_customer_name_cannot_close_the_title_on_the_server() {
        assert_eq!(
            super::tab_title("</title><script>x()</script> & Sons".into()),
            "&lt;/title>&lt;script>x()&lt;/script> &amp; Sons · Rapport"
        );
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    offline::OfflineState::provide();
    // Marks the page once the wasm has taken over, so tests wait for it rather than guess.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/rapport.css" />
        <Title formatter=tab_title />
        <Router>
            <Routes fallback=layout::NotFound>
                <Route path=path!("/login") view=auth::LoginPage />
                <Route path=path!("/setup") view={Lazy::<lazy::Setup>::new()} />
                <ParentRoute path=path!("") view=layout::Layout>
                    <Route path=path!("/today") view={Lazy::<lazy::Today>::new()} />
                    <Route path=path!("/customers") view={Lazy::<lazy::Customers>::new()} />
                    <Route path=path!("/customers/new") view={Lazy::<lazy::NewCustomer>::new()} />
                    <Route path=path!("/customers/:id") view={Lazy::<lazy::Customer>::new()} />
                    <Route
                        path=path!("/customers/:id/edit")
                        view={Lazy::<lazy::EditCustomer>::new()}
                    />
                    <Route path=path!("/board") view={Lazy::<lazy::Board>::new()} />
                    <Route path=path!("/promises") view={Lazy::<lazy::Promises>::new()} />
                    <Route path=path!("/at-risk") view={Lazy::<lazy::AtRisk>::new()} />
                    <Route path=path!("/devices") view={Lazy::<lazy::Devices>::new()} />
                    <Route path=path!("/import-export") view={Lazy::<lazy::ImportExport>::new()} />
                    <Route path=path!("/api-tokens") view={Lazy::<lazy::ApiTokens>::new()} />
                    <Route path=path!("/calendar") view={Lazy::<lazy::Calendar>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
