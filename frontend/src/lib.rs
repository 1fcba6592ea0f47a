//! The browser half of Rapport: takes over the server-rendered page.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    _ = console_log::init_with_level(log::Level::Info);
    console_error_panic_hook::set_once();
    // Lazy: the office's pages are split into chunks the page fetches before hydrating them.
    leptos::mount::hydrate_lazy(app::App);
}
