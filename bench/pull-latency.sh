#!/usr/bin/env bash
# One technician's pull latency with 1 000 to 1 000 000 customers in the database, on SQLite
# and (when TEST_DATABASE_URL names a PostgreSQL server) on PostgreSQL.
#   bench/pull-latency.sh [sizes]        (default 1000,10000,100000,1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-1000,10000,100000,1000000}"
source bench/lib.sh
run_on_both pull_latency "$sizes"
