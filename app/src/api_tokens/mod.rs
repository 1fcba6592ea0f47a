//! The admin's API tokens: for other systems (accounting, a website form) to use the REST
//! API. A token is shown once, when it is made; only its hash is kept.

mod api_tokens_page;
mod server_fns;

pub use api_tokens_page::ApiTokensPage;
pub use domain::views::TokenRow;
pub use server_fns::*;
/// What every token starts with, so one found in a log or a repository is recognisable.
#[cfg(feature = "ssr")]
pub use service::api_tokens::TOKEN_PREFIX;
