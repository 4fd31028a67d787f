#!/usr/bin/env bash
# Runs one libFuzzer target, for ctest and scripts/fuzz.
#   run_fuzzer.sh replay BINARY DIR
#       Runs every file in DIR once (the committed crashers of this target); passes when
#       none crashes. An empty or missing DIR passes.
#   run_fuzzer.sh fuzz BINARY SECONDS DICT SEED...
#       Fuzzes for SECONDS from a fresh corpus: the files under $CORRELARE_CORPUS_DIR
#       matching each SEED pattern (find -name), or SEED itself when it is a path. DICT
#       may be "". New crashers are kept in $FUZZ_ARTIFACTS (default: a temporary folder,
#       printed) and fail the run. $FUZZ_CORPUS, when set, is a folder that keeps the
#       grown corpus between runs.
set -euo pipefail

mode=$1 binary=$2
# Leaks are findings too; allocations larger than the process's limit are not (a
# hostile file may ask for any amount: the extractors refuse or the worker's rlimit
# stops them).
# allocator_may_return_null: as under the worker's address-space limit in production, an
# impossible allocation is a std::bad_alloc for the extractor to handle, not a crash.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:allocator_may_return_null=1"
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/../tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$here/../tests/ubsan.supp}"
limits=(-rss_limit_mb=2560 -timeout=25 -max_len=262144)

if [[ $mode == replay ]]; then
  dir=$3
  shopt -s nullglob
  inputs=("$dir"/*)
  if ((${#inputs[@]} == 0)); then
    echo "no regression inputs in $dir"
    exit 0
  fi
  exec "$binary" "${limits[@]}" "${inputs[@]}"
fi

seconds=$3 dict=$4
shift 4
corpus=${FUZZ_CORPUS:-$(mktemp -d /tmp/correlare-fuzz-corpus-XXXXXX)}
seeds=$(mktemp -d /tmp/correlare-fuzz-seeds-XXXXXX)
artifacts=${FUZZ_ARTIFACTS:-$(mktemp -d /tmp/correlare-fuzz-artifacts-XXXXXX)}
mkdir -p "$corpus" "$artifacts"
cleanup() {
  rm -rf "$seeds"
  [[ -n ${FUZZ_CORPUS:-} ]] || rm -rf "$corpus"
  rmdir "$artifacts" 2>/dev/null || true  # kept when it holds a crasher
}
trap cleanup EXIT
n=0
for seed in "$@"; do
  if [[ $seed == /* ]]; then
    matches=$(find "$seed" -type f)
  else
    matches=$(find "${CORRELARE_CORPUS_DIR:?}" -type f -name "$seed")
  fi
  for file in $matches; do
    n=$((n + 1))
    cp "$file" "$seeds/$n-$(basename "$file")"
  done
done
echo "seeds: $n files; corpus: $corpus; artifacts: $artifacts"
args=("${limits[@]}" -max_total_time="$seconds" -print_final_stats=1
      -artifact_prefix="$artifacts/")
[[ -n $dict ]] && args+=(-dict="$dict")
"$binary" "${args[@]}" "$corpus" "$seeds"
