//! The browser's part of the import: reading the chosen file and talking JSON to the server.

use super::Chosen;
use domain::import::{ImportRequest, Preview};
use leptos::prelude::*;
use leptos::web_sys::HtmlInputElement;
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub fn choose_file(
    ev: leptos::ev::Event,
    chosen: RwSignal<Chosen>,
    preview: RwSignal<Option<Result<Preview, String>>>,
) {
    let input = event_target::<HtmlInputElement>(&ev);
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        chosen.set(None);
        preview.set(None);
        return;
    };
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => chosen.set(Some((file.name(), text.as_string().unwrap_or_default()))),
            Err(_) => preview.set(Some(Err(format!(
                "{} could not be read; save it as CSV (UTF-8) and choose it again.",
                file.name()
            )))),
        }
    });
}

#[derive(Deserialize)]
struct Refusal {
    error: String,
}

/// Posts the request; the server's own message when it refuses.
pub async fn post<T: DeserializeOwned>(url: &str, request: &ImportRequest) -> Result<T, String> {
    let sent = gloo_net::http::Request::post(url)
        .json(request)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|_| {
            "Rapport could not be reached; check the connection and try again.".to_string()
        })?;
    if sent.ok() {
        return sent
            .json()
            .await
            .map_err(|e| format!("The answer could not be read ({e})."));
    }
    let status = sent.status();
    match sent.json::<Refusal>().await {
        Ok(refusal) => Err(refusal.error),
        Err(_) => Err(format!("The server answered {status}; try again shortly.")),
    }
}
