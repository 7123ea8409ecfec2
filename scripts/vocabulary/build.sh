#!/usr/bin/env bash
# Rebuilds the word lists embedded in Gateway.Compliance from SCOWL (Debian's scowl package) and Bogus's name data.
# Needs apt-get (for the package download only; nothing is installed) and the .NET SDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download scowl >/dev/null)
dpkg-deb -x "$work"/scowl_*.deb "$work/scowl"
dotnet run scripts/vocabulary/BuildVocabulary.cs -- "$work/scowl/usr/share/dict/scowl" src/Gateway.Compliance/Text/Vocabulary
