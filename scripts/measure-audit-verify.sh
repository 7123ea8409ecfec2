#!/usr/bin/env bash
# Measures audit chain verification speed (records/s) on a generated log, as docs/gatewayctl.md reports it.
#   scripts/measure-audit-verify.sh [records=1000000] [folder=/tmp/gw-audit-bench]
# Generates a realistic chained log once (event records the shipped policies' fixtures produce, delivery
# records; about 1 KB per record, 256 MB files), then runs 'gatewayctl audit verify' on it three times
# (Release build) and the in-process benchmark, which prints records/s per run. Timing depends on the
# machine and on what else runs on it: measure on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-1000000}"
folder="${2:-/tmp/gw-audit-bench}"

dotnet build -c Release --nologo -v q bench/Gateway.AuditBench >/dev/null
dotnet build -c Release --nologo -v q src/Gateway.Cli >/dev/null

if [ ! -d "$folder" ]; then
  dotnet bench/Gateway.AuditBench/bin/Release/net10.0/Gateway.AuditBench.dll generate "$folder" --records "$records"
fi

for run in 1 2 3; do
  dotnet src/Gateway.Cli/bin/Release/net10.0/gatewayctl.dll audit verify "$folder" --quiet 2>/dev/null | grep '^verified'
done
dotnet bench/Gateway.AuditBench/bin/Release/net10.0/Gateway.AuditBench.dll verify "$folder" --runs 3
