#!/usr/bin/env bash
# Runs Gongkai's libFuzzer targets one at a time (one core) and fails if any crashes or hangs.
#
#   scripts/fuzz.sh BINARY WORKDIR TARGET...
#
# Environment: FUZZ_RUNS (executions per target), FUZZ_TIMEOUT (seconds per input),
# FUZZ_RSS_MB, FUZZ_MAX_LEN_<target> (bytes), FUZZ_SECONDS_<target> (an optional time cap:
# the target stops at FUZZ_RUNS or after that many seconds, whichever comes first), FUZZ_SEED_FILES (colon-separated real reports,
# notebooks and docs to seed from; read here, never copied into the repository),
# FUZZ_FLAGS (extra libFuzzer flags).
#
# Layout under WORKDIR: seeds/T (regenerated each run), corpus/T (what the fuzzer keeps),
# artifacts/T (crash-, timeout-, oom- inputs), logs/T.log, summary.md.
set -uo pipefail
# libFuzzer, not the Swift runtime, must handle a trap so that it writes the crashing input.
export SWIFT_BACKTRACE=enable=no

bin=$1; work=$2; shift 2
runs=${FUZZ_RUNS:-10000000}
timeout=${FUZZ_TIMEOUT:-1}
rss=${FUZZ_RSS_MB:-2048}
mkdir -p "$work/logs"
summary="$work/summary.md"
{
  echo "| target | max_len | executions | exec/s | seconds | result |"
  echo "|---|---:|---:|---:|---:|---|"
} > "$summary"

failed=()
for t in "$@"; do
  var="FUZZ_MAX_LEN_$t"
  maxlen=${!var:-4096}
  var="FUZZ_SECONDS_$t"
  cap=${!var:+-max_total_time=${!var}}
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  rm -rf "$work/seeds/$t"
  GK_FUZZ_TARGET=$t GK_FUZZ_SEEDS="$work/seeds/$t" GK_FUZZ_MAX_LEN=$maxlen \
    GK_FUZZ_SEED_FILES="${FUZZ_SEED_FILES:-}" "$bin" || { failed+=("$t (seeds)"); continue; }
  log="$work/logs/$t.log"
  echo "fuzz $t: $runs runs${cap:+ ($cap)}, max_len $maxlen, timeout ${timeout}s (log: $log)"
  start=$(date +%s)
  # shellcheck disable=SC2086
  GK_FUZZ_TARGET=$t "$bin" "$work/corpus/$t" "$work/seeds/$t" \
    -runs="$runs" -max_len="$maxlen" -timeout="$timeout" -rss_limit_mb="$rss" \
    -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 $cap ${FUZZ_FLAGS:-} > "$log" 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [ $status -ne 0 ]; then
    result="FAILED (exit $status)"
    artifact=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
    grep -m1 -E "ERROR: libFuzzer|Fatal error|precondition|deadly signal|timeout" "$log" || true
    if [ -n "$artifact" ]; then
      echo "  input: $artifact"
      echo "  minimise: GK_FUZZ_TARGET=$t $bin -minimize_crash=1 -runs=100000 -max_len=$maxlen $artifact"
    fi
    failed+=("$t")
  fi
  printf '%s: %s executions, %s exec/s, %s s: %s\n' "$t" "${execs:-?}" "${rate:-?}" "$seconds" "$result"
  echo "| $t | $maxlen | ${execs:-?} | ${rate:-?} | $seconds | $result |" >> "$summary"
done

echo "summary: $summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: no crash, no hang and no input over ${timeout}s in any target (executions per target above)"
