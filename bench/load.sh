#!/usr/bin/env bash
# N technicians syncing at once (pull, push five notes, pull): p50/p99 latency and errors,
# on SQLite and (when TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL.
#   bench/load.sh [counts]        (default 100,500,1000)
set -euo pipefail
cd "$(dirname "$0")/.."
counts="${1:-100,500,1000}"
# A thousand clients hold a thousand sockets, and the server as many again.
ulimit -n 8192 2>/dev/null || true
source bench/lib.sh
run_on_both load_bench "$counts"
