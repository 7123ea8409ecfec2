#!/usr/bin/env bash
# Runs every test of the solution. Anything a test needs beyond the .NET SDK is set up here.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet test Gateway.sln --nologo "$@"
