#!/usr/bin/env bash
# Builds Rapport and starts it on SQLite (data/rapport.db, created on first start) with demo
# data seeded into an empty database. Extra arguments go to the server (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
cargo leptos build --split
exec target/debug/rapport-server --demo "$@"
