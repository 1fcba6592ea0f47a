#!/usr/bin/env bash
# Installs what Rapport's build needs and skips what is already there.
#   scripts/setup.sh            the build tools (wasm target, cargo-leptos, wasm-bindgen CLI,
#                               cargo-fuzz)
#   scripts/setup.sh --browser  also Debian's Chromium and the npm packages of end2end/
# Everything comes from the package registries (crates.io, Debian, npm): cargo-leptos is never
# left to download tools itself, because it finds these in PATH first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10
CARGO_FUZZ_VERSION=0.13.2
# The wasm-bindgen CLI must match the crate exactly; read the version from Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# rust-toolchain.toml names the toolchain and the wasm target; rustup installs them on first use.
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null || true)" != *"$CARGO_LEPTOS_VERSION"* ]]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 25 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: its lockfile pins a webpki-roots the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# scripts/fuzz.sh runs it on the pinned stable toolchain (RUSTC_BOOTSTRAP=1), no nightly.
if [[ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 1.5 minutes, once)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

if [[ "${1:-}" == "--browser" ]]; then
  if ! command -v chromium >/dev/null; then
    say "installing Debian's chromium"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  # Playwright drives that Chromium; it never downloads a browser of its own.
  if [[ ! end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]]; then
    say "installing the npm packages of end2end/"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
