#!/usr/bin/env bash
# Runs every check and test: format, lints (server and wasm side), Rust unit, store and HTTP
# tests, then the Playwright tests in Debian's Chromium at a desktop and a 375 px phone size.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
started=$(date +%s)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
step() { printf '\n\033[1m==> %s (%ss)\033[0m\n' "$*" $(( $(date +%s) - started )); }

step "setup"
scripts/setup.sh --browser

# Every store and HTTP test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL names
# a server the tests may create databases on (e.g. postgres://127.0.0.1:5432/test).
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  backends="SQLite and PostgreSQL ($TEST_DATABASE_URL)"
else
  backends="SQLite only: TEST_DATABASE_URL is not set, so the PostgreSQL runs were skipped"
fi
echo "store and HTTP tests on: $backends"

step "format"
cargo fmt --all --check

step "clippy (server side)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
step "clippy (wasm side)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p client --features browser --target wasm32-unknown-unknown -- -D warnings

step "Rust tests"
# Not the whole workspace: `frontend` would unify the hydrate and ssr features.
cargo test --workspace --exclude frontend 2>&1 | tee "$logs/rust.log"
rust_passed=$(awk '/^test result:/ { for (i = 2; i <= NF; i++) if ($i == "passed;") n += $(i - 1) } END { print n + 0 }' "$logs/rust.log")

step "fuzz the sync push decoding and merge (20 s each)"
scripts/fuzz.sh 20

step "build the site"
cargo leptos build --split

step "browser tests"
(cd end2end && npx playwright test) 2>&1 | tee "$logs/e2e.log"
e2e_passed=$(awk '$2 == "passed" && $1 ~ /^[0-9]+$/ { n = $1 } END { print n + 0 }' "$logs/e2e.log")

step "done"
echo "store and HTTP tests ran on $backends"
echo "rapport: $((rust_passed + e2e_passed)) passed, 0 failed"
