#!/usr/bin/env bash
# Measures the release app shell (wasm + js + css), raw and gzipped, against the budget.
#   bench/shell-size.sh          build with `cargo leptos build --release`, then measure
#   bench/shell-size.sh --no-build   measure what target/site/pkg holds
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
BUDGET_KB=300

if [[ "${1:-}" != "--no-build" ]]; then
  scripts/setup.sh
  if [[ ! -x bench/node_modules/.bin/wasm-opt ]]; then
    (cd bench && npm ci --no-audit --no-fund)
  fi
  # cargo-leptos looks wasm-opt up in PATH; this one must come before any Debian binaryen.
  export PATH="$PWD/bench/node_modules/.bin:$PATH"
  cargo leptos build --release
fi

total_raw=0; total_gz=0
printf '%-14s %12s %12s\n' file raw gzip
for f in target/site/pkg/rapport.wasm target/site/pkg/rapport.js target/site/pkg/rapport.css; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-14s %10s B %10s B\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-14s %10s B %10s B\n' total "$total_raw" "$total_gz"
gz_kb=$(( (total_gz + 1023) / 1024 ))
if (( gz_kb <= BUDGET_KB )); then
  echo "shell: ${gz_kb} KB gzipped, within the ${BUDGET_KB} KB budget"
else
  echo "shell: ${gz_kb} KB gzipped, OVER the ${BUDGET_KB} KB budget"
fi
