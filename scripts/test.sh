#!/usr/bin/env bash
# Runs every test of the solution. Anything a test needs beyond the .NET SDK is set up here: the PostgreSQL
# store tests (and the multi-instance test) need a PostgreSQL server. With GATEWAY_TEST_POSTGRES set (an Npgsql
# connection string to a server you run), that one is used; otherwise a throwaway cluster is started on a free
# loopback port (installing Debian's postgresql package first if its binaries are missing) and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${GATEWAY_TEST_POSTGRES:-}" ]; then
  # shellcheck source=scripts/postgres-cluster.sh
  source scripts/postgres-cluster.sh
  trap pg_cluster_stop EXIT
  pg_cluster_start
fi

dotnet test Gateway.sln --nologo "$@"
