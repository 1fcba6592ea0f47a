//! The browser half of Rapport: takes over the server-rendered page.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    _ = console_log::init_with_level(log::Level::Info);
    console_error_panic_hook::set_once();
    // Lazy: every page but the login is split into chunks (app/src/lazy_pages.rs), fetched
    // before that page hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
