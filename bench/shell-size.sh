#!/usr/bin/env bash
# Measures the release app, gzipped, against the 300 KB budget for the app shell.
#   bench/shell-size.sh              build with `cargo leptos build --release --split`, then measure
#   bench/shell-size.sh --no-build   measure what target/site/pkg holds
#
# The build is split (cargo-leptos --split): the shell is what every page loads before it can
# hydrate (the main wasm, its js, the chunk loader and the css); each route that is not in
# the shell (app/src/lazy_pages.rs) is fetched as chunks the first time it is opened, and the
# service worker precaches them all, so they open offline too. Reported:
#   - the shell, against the budget;
#   - the technician's first screen: the shell and the chunks /today needs;
#   - each route's chunks, and the whole app (everything the service worker precaches).
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
  cargo leptos build --release --split
fi

python3 - "$BUDGET_KB" <<'PY'
import gzip, json, os, sys

budget = int(sys.argv[1])
pkg = "target/site/pkg"
def raw(f): return os.path.getsize(os.path.join(pkg, f))
def gz(f): return len(gzip.compress(open(os.path.join(pkg, f), "rb").read(), 9))
def kb(n): return (n + 1023) // 1024

shell = ["rapport.wasm", "rapport.js", "__wasm_split.______________________.js", "rapport.css"]
print(f"{'shell file':40} {'raw':>10} {'gzip':>10}")
for f in shell:
    print(f"{f:40} {raw(f):>8} B {gz(f):>8} B")
shell_gz = sum(gz(f) for f in shell)
verdict = "within" if kb(shell_gz) <= budget else "OVER"
print(f"shell: {kb(shell_gz)} KB gzipped, {verdict} the {budget} KB budget")

manifest = json.load(open(os.path.join(pkg, "__wasm_split_manifest.json")))
routes = {}
for split, chunks in manifest.items():
    name = split.strip("_").rsplit("_", 1)[0].removesuffix("_view")
    files = [c + ".wasm" for c in chunks]
    routes[name] = (len(files), sum(gz(f) for f in files))
print(f"\n{'route (chunks fetched when first opened)':40} {'files':>6} {'gzip':>10}")
for name, (n, size) in sorted(routes.items()):
    print(f"{name:40} {n:>6} {kb(size):>7} KB")
n, today = routes["today"]
print(f"\ntechnician's first screen (shell + /today's {n} chunks): {kb(shell_gz + today)} KB gzipped")
precached = [f for f in os.listdir(pkg) if f.endswith((".wasm", ".js", ".css"))]
print(f"whole app ({len(precached)} files, what the service worker precaches): "
      f"{kb(sum(gz(f) for f in precached))} KB gzipped")
PY
