#!/usr/bin/env bash
# Push and pull throughput through the real sync endpoints, on SQLite and (when
# TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL, with the same command.
#   bench/sync-throughput.sh [notes]        (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
notes="${1:-10000}"
source bench/lib.sh
run_on_both sync_bench "$notes"
