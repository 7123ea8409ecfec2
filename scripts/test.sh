#!/usr/bin/env bash
# Runs every test of the solution. Anything a test needs beyond the .NET SDK is set up here: the PostgreSQL
# store tests (and the multi-instance test) need a PostgreSQL server. With GATEWAY_TEST_POSTGRES set (an Npgsql
# connection string to a server you run), that one is used; otherwise a throwaway cluster is started on a free
# loopback port (installing Debian's postgresql package first if its binaries are missing) and removed on exit.
# The compliance console's browser tests need Debian's chromium: installed here when missing (scripts/chromium.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/postgres-cluster.sh
source scripts/postgres-cluster.sh
pg_cluster_ensure

if [ -z "${GATEWAY_TEST_CHROMIUM:-}" ]; then
  # shellcheck source=scripts/chromium.sh
  source scripts/chromium.sh
  chromium_ensure
fi

dotnet test Gateway.sln --nologo "$@"
