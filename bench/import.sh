#!/usr/bin/env bash
# A 10 000-customer CSV file through the real import endpoints (preview, import, preview
# again), on SQLite and (when TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL.
#   bench/import.sh [rows]        (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000}"
source bench/lib.sh
run_on_both import_bench "$rows"
