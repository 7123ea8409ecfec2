#!/usr/bin/env bash
# The whole benchmark suite (issue #8), one command:
#   ./bench/run.sh [--quick]
# 1. audit chain verification speed (scripts/measure-audit-verify.sh: 1,000,000 records; 200,000 with --quick)
# 2. end to end over loopback HTTP: direct, bare YARP, gateway, gateway without fsync (bench/Gateway.LoadBench)
# 3. micro benchmarks (bench/Gateway.Benchmarks, BenchmarkDotNet), when that project exists on this branch
# Output goes to bench/results/ (console log, e2e report and raw figures). Full mode takes about 15 minutes,
# --quick about 4. Measure on an otherwise idle machine: the script prints the load average first.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""
if [ "${1:-}" = "--quick" ]; then
  quick="--quick"
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--quick]" >&2
  exit 2
fi

mkdir -p bench/results
stamp="$(date -u +%Y%m%d-%H%M%S)"
log="bench/results/run-${quick:+quick-}${stamp}.log"
exec > >(tee "$log") 2>&1

echo "== bench/run.sh ${quick:-(full)} at $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, .NET SDK $(dotnet --version), kernel $(uname -r)"
echo "load: $(uptime)"
if [ "$(awk '{print ($1 > 0.5)}' /proc/loadavg)" = 1 ]; then
  echo "WARNING: load average above 0.5: something else is running; figures will be noisy."
fi

echo
echo "== build (Release)"
dotnet build -c Release --nologo -v q src/Gateway.Server >/dev/null
dotnet build -c Release --nologo -v q bench/Gateway.LoadBench >/dev/null

echo
echo "== audit chain verification speed"
if [ -n "$quick" ]; then records=200000; else records=1000000; fi
verify_out="$(scripts/measure-audit-verify.sh "$records" "/tmp/gw-audit-bench-$records")"
echo "$verify_out"
# The fresh-process gatewayctl runs, as an operator runs it: median of the three.
verify_rate="$(echo "$verify_out" | sed -n 's/^verified .*(\([0-9,]*\) records\/s)$/\1/p' | tr -d , | sort -n | sed -n 2p)"
group() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
verify_text="$(group "${verify_rate:-0}") records/s (gatewayctl audit verify, median of 3 runs on $(group "$records") records)"

echo
echo "== end to end"
e2e_status=0
dotnet bench/Gateway.LoadBench/bin/Release/net10.0/Gateway.LoadBench.dll run $quick --audit-verify "$verify_text" || e2e_status=$?

echo
echo "== micro benchmarks"
if [ -d bench/Gateway.Benchmarks ]; then
  # BenchmarkDotNet writes its reports to bench/results/micro/results (see bench/Gateway.Benchmarks/BenchConfig.cs).
  dotnet run -c Release --project bench/Gateway.Benchmarks -- --filter '*' $quick
  echo "micro results in bench/results/micro/results"
else
  echo "bench/Gateway.Benchmarks does not exist on this branch yet: micro benchmarks skipped."
fi

echo
echo "== done: log $log"
exit "$e2e_status"
