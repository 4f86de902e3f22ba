#!/usr/bin/env bash
# API latency under load, one command (see BENCHMARKS.md, "API latency under load"):
#   bench/load.sh                       60 s at 20 requests/s after a 5 s warm-up
#   LOAD_RATE=40 LOAD_SECONDS=120 bench/load.sh
#   LOAD_NICE=0 bench/load.sh           workers at normal priority (to compare)
#   NTKLAB_TEST_TOKEN=<key> bench/load.sh   send Authorization: Bearer <key> (once API keys are on)
# Starts the service on a random port (embedded H2), fills every worker with long experiments, holds
# the rate of mixed traffic (list, get, result download, event stream, small submissions, readiness)
# and prints p50/p99/max per request class; the table is also written to target/load-report.md.
# The run fails if any class's p99 reaches 2 s or any answer is unexpected (429 to a submission is expected).
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-B -q -Dtest=ApiLoadTest -Dsurefire.failIfNoSpecifiedTests=false
      -Dntklab.load.rate="${LOAD_RATE:-20}" -Dntklab.load.seconds="${LOAD_SECONDS:-60}"
      -Dntklab.load.warmup="${LOAD_WARMUP:-5}")
if [[ -n "${LOAD_NICE:-}" ]]; then
  args+=(-Dntklab.worker-nice="$LOAD_NICE")
fi
status=0
./mvnw "${args[@]}" test || status=$?
cat target/load-report.md 2>/dev/null || true
exit $status
