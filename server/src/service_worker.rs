//! The service worker, generated from the build output when the server starts.
//!
//! Its precache list names the files cargo-leptos actually wrote (so it cannot go stale like a
//! hand-kept list), and its cache name carries a fingerprint of them: every build yields a new
//! worker, which the browser installs beside the old one.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::state::ServerState;

/// Public files the shell needs besides the build's `pkg/` folder.
const SHELL_FILES: &[&str] = &[
    "/manifest.webmanifest",
    "/favicon.svg",
    "/icons/icon-192.png",
    "/icons/icon-512.png",
    "/icons/icon-maskable-512.png",
];

const TEMPLATE: &str = include_str!("service_worker.js");

/// The worker's source for the site built into `site_root`.
pub fn script(site_root: &str, pkg_dir: &str) -> String {
    let mut files: Vec<String> = SHELL_FILES.iter().map(|s| s.to_string()).collect();
    let mut hasher = DefaultHasher::new();
    let pkg = Path::new(site_root).join(pkg_dir);
    let mut built: Vec<(String, u64)> = std::fs::read_dir(&pkg)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    let wanted = [".js", ".wasm", ".css"]
                        .iter()
                        .any(|ext| name.ends_with(ext));
                    let len = e.metadata().ok()?.len();
                    wanted.then_some((name, len))
                })
                .collect()
        })
        .unwrap_or_default();
    built.sort();
    for (name, len) in &built {
        files.push(format!("/{pkg_dir}/{name}"));
        name.hash(&mut hasher);
        len.hash(&mut hasher);
        // Same size is not same content: hash the bytes of the small files and the wasm.
        if let Ok(bytes) = std::fs::read(pkg.join(name)) {
            bytes.hash(&mut hasher);
        }
    }
    let list = files
        .iter()
        .map(|f| format!("{f:?}"))
        .collect::<Vec<_>>()
        .join(",\n  ");
    TEMPLATE
        .replace("__VERSION__", &format!("{:016x}", hasher.finish()))
        .replace("__PRECACHE__", &list)
}

pub async fn serve(State(state): State<ServerState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must always see the newest worker.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.service_worker.as_ref().clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_precache_list_and_version_follow_the_build_output() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(pkg.join("rapport.wasm"), b"one").unwrap();
        std::fs::write(pkg.join("rapport.js"), b"js").unwrap();
        std::fs::write(pkg.join("rapport.d.ts"), b"types").unwrap();
        let root = dir.path().to_str().unwrap();
        let first = script(root, "pkg");
        assert!(first.contains("\"/pkg/rapport.wasm\"") && first.contains("\"/pkg/rapport.js\""));
        assert!(!first.contains("rapport.d.ts"), "only what the page loads");
        assert!(!first.contains("__PRECACHE__") && !first.contains("__VERSION__"));
        std::fs::write(pkg.join("rapport.wasm"), b"two").unwrap();
        assert_ne!(first, script(root, "pkg"), "a new build is a new worker");
    }
}
