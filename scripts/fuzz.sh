#!/usr/bin/env bash
# Fuzzes the sync push decoding and the visit-progress merge of `domain` (the targets in
# fuzz/fuzz_targets/) with cargo fuzz and libFuzzer, one target after the other:
#   scripts/fuzz.sh          20 seconds each, as scripts/test.sh does
#   scripts/fuzz.sh 3600     an hour each, for a person with time to spare
# What a run learns stays in fuzz/corpus/ (not committed) and makes the next run start further
# on; fuzz/seeds/ holds the committed starting inputs. Fails if a target finds an input that
# panics, breaks a property or hangs, and says where that input was saved.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# cargo fuzz passes -Z flags (the address sanitizer, coverage); the pinned stable toolchain
# accepts them with this. No nightly toolchain is needed.
export RUSTC_BOOTSTRAP=1

seconds=${1:-20}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/fuzz.sh [seconds per target]" >&2; exit 2; }
targets=(push_decode progress_merge)
# Address sanitizer (cargo fuzz's default) and debug assertions, so an overflow is a crash too.
# The build has its own workspace and target dir (fuzz/target), apart from the main build.
build_flags=(--debug-assertions)
logs=fuzz/target/logs
mkdir -p "$logs"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo fuzz is missing: run scripts/setup.sh" >&2
  exit 1
fi

say "building the fuzz targets"
started=$(date +%s)
cargo fuzz build "${build_flags[@]}"
echo "built in $(( $(date +%s) - started ))s"

failed=()
summary=()
for target in "${targets[@]}"; do
  # New inputs go to the first directory; the seeds are only read.
  corpus=("fuzz/corpus/$target")
  mkdir -p "fuzz/corpus/$target"
  if [[ -d fuzz/seeds/$target ]]; then corpus+=("fuzz/seeds/$target"); fi
  options=(-max_total_time="$seconds" -timeout=10)
  if [[ -f fuzz/$target.dict ]]; then options+=(-dict="fuzz/$target.dict"); fi
  log="$logs/$target.log"

  say "fuzzing $target for ${seconds}s (log: $log)"
  if cargo fuzz run "${build_flags[@]}" "$target" "${corpus[@]}" -- "${options[@]}" >"$log" 2>&1; then
    # libFuzzer's last words: "Done 123456 runs in 20 second(s)".
    done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
    corpus_size=$(find "fuzz/corpus/$target" -type f | wc -l)
    echo "${done_line:-no run count in the log}; corpus: $corpus_size inputs"
    summary+=("$target: ${done_line:-?}")
  else
    failed+=("$target")
    # The panic message (not its backtrace) or the sanitizer's verdict; the rest is in the log.
    awk '/panicked at/ { msg = 1 }
         /^stack backtrace:|^note: run with|ERROR: (libFuzzer|AddressSanitizer)/ { msg = 0 }
         msg && shown++ < 80 { print }
         /ERROR: (libFuzzer|AddressSanitizer)|^SUMMARY:|^Base64:/ { print }' "$log"
    last=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    saved=$(grep -oE 'Test unit written to .*' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)
    echo
    echo "$target FAILED after ${last:-?} runs; the input was saved to: ${saved:-(none, see $log)}"
    if [[ -n $saved ]]; then
      echo "replay it with: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build_flags[*]} $target $saved"
    fi
    summary+=("$target: FAILED, input in ${saved:-?}")
  fi
done

say "fuzzing done"
printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} )); then
  echo "fuzzing found a crash in: ${failed[*]}" >&2
  exit 1
fi
