//! The pages that are not part of the app shell. The shell (the main wasm) holds the router,
//! the layout, the login and hydration; each page here is split into chunks of its own
//! (cargo-leptos `--split`) that the browser fetches the first time the page opens, while the
//! server's HTML is already on screen. The service worker precaches every chunk, so these
//! pages open offline too. `bench/shell-size.sh` measures the shell and each page.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route whose whole view lives in its own chunk. The page loads its own data once shown,
/// as it does when it is not split.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// The first visitor of a new installation creates the admin.
    Setup => crate::auth::SetupPage
);
lazy_page!(
    /// The technician's day, which works from the phone's copy of the data.
    Today => crate::today::TodayPage
);
lazy_page!(Customers => crate::customers::CustomerListPage);
lazy_page!(NewCustomer => crate::customers::NewCustomerPage);
lazy_page!(Customer => crate::customers::CustomerPage);
lazy_page!(EditCustomer => crate::customers::EditCustomerPage);
lazy_page!(Board => crate::board::BoardPage);
lazy_page!(Promises => crate::promises::PromisesPage);
lazy_page!(AtRisk => crate::continuity::AtRiskPage);
lazy_page!(Devices => crate::devices::DevicesPage);
lazy_page!(ImportExport => crate::interop::ImportExportPage);
lazy_page!(ApiTokens => crate::api_tokens::ApiTokensPage);
lazy_page!(Calendar => crate::calendar::CalendarPage);
