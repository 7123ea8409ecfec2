#!/usr/bin/env bash
# The end-to-end load benchmark with the gateway's stores in PostgreSQL (one instance): starts a throwaway
# PostgreSQL cluster on loopback (scripts/postgres-cluster.sh, as the tests do; installs Debian's postgresql when its
# binaries are missing), runs Gateway.LoadBench with --postgres, and removes the cluster. Extra arguments go to the
# benchmark (default: --quick). With GATEWAY_TEST_POSTGRES set, that server is used instead.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/postgres-cluster.sh
source scripts/postgres-cluster.sh
pg_cluster_ensure

dotnet build -c Release --nologo -v q src/Gateway.Server >/dev/null
dotnet build -c Release --nologo -v q bench/Gateway.LoadBench >/dev/null
if [ "$#" -eq 0 ]; then set -- --quick; fi
dotnet bench/Gateway.LoadBench/bin/Release/net10.0/Gateway.LoadBench.dll run --postgres "$GATEWAY_TEST_POSTGRES" "$@"
