#!/usr/bin/env bash
# Debian's chromium for the compliance console's browser tests (tests/Console.Tests). Source this file, then:
#   chromium_ensure   # installs Debian's chromium package when no chromium is on PATH, exports GATEWAY_TEST_CHROMIUM
# Playwright's own browser download is never used (the tests launch this executable).

chromium_ensure() {
  local path sudo=""
  path=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$path" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      sudo="sudo"
    fi
    echo "chromium not found: installing Debian's chromium package" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
    path=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$path" ] || { echo "chromium is still missing after installing Debian's chromium package" >&2; return 1; }
  fi

  export GATEWAY_TEST_CHROMIUM="$path"
  echo "$("$path" --version 2>/dev/null || echo chromium) for the console browser tests ($path)" >&2
}
