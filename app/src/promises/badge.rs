use crate::error::AppError;
use leptos::prelude::*;

/// "Promises (2 overdue)" in the navigation, for everyone. The count is loaded by the layout:
/// a resource created inside a `Suspense`'s children can leave the server's streamed page
/// unfinished for ever (leptos-rs/leptos#4866), so no component rendered inside one makes its
/// own.
#[component]
pub fn OverdueBadge(count: Resource<Result<usize, AppError>>) -> impl IntoView {
    view! {
        "Promises"
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match count.await {
                    Ok(n) if n > 0 => Some(view! { " " <span class="badge overdue-count">{format!("{n} overdue")}</span> }),
                    _ => None,
                }
            })}
        </Suspense>
    }
    .into_any()
}
