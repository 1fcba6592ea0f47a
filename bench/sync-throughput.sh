#!/usr/bin/env bash
# Push and pull throughput through the real sync endpoints, on SQLite and (when
# TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL, with the same command.
#   bench/sync-throughput.sh [notes]        (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
notes="${1:-10000}"
cargo build --release -p server --example sync_bench
cargo run --quiet --release -p server --example sync_bench -- sqlite "$notes"
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  cargo run --quiet --release -p server --example sync_bench -- postgres "$notes"
else
  echo "postgres: skipped (set TEST_DATABASE_URL, e.g. postgres://127.0.0.1:5432/test)"
fi
