#!/usr/bin/env bash
# The SIGKILL test of delivery records, in one command: the gateway process is killed (kill -9) at random moments under
# load, GATEWAY_KILL_ITERATIONS times (default 22), and started again on the same data folder. Afterwards the message ids
# the upstream received are compared with the audit log's delivery records. It prints, and fails unless all are 0:
#   lostAcknowledged        events the client got 200 for that the upstream never received
#   deliveredWithoutRecord  events the upstream received without a delivery record (45 CFR 164.528 accounting)
#   duplicateRecords        events sent once that have more than one delivery record
#   recordsWithoutDelivery  delivery records for events the upstream never received
# plus how many records startup reconciliation wrote and how often the upstream got an event again (at-least-once
# delivery after a crash; the scoring service deduplicates by message id).
set -euo pipefail
cd "$(dirname "$0")/.."

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
GATEWAY_KILL_ITERATIONS="${GATEWAY_KILL_ITERATIONS:-22}" GATEWAY_CRASH_REPORT="$report" \
  dotnet test tests/Gateway.Server.Tests --nologo --filter "FullyQualifiedName~CrashSafetyTests" "$@" || status=$?
echo "crash test report: $(cat "$report" 2>/dev/null || echo '(none: the test did not get that far)')"
exit "${status:-0}"
