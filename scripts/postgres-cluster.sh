#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on loopback only. Source this file, then:
#   pg_cluster_start   # finds (or installs Debian's postgresql package) the server binaries, starts a private
#                      # cluster on a free port and exports GATEWAY_TEST_POSTGRES (an Npgsql connection string)
#   pg_cluster_stop    # stops it and removes its folder (scripts/test.sh does this on exit)
#   pg_cluster_ensure  # GATEWAY_TEST_POSTGRES if set, else pg_cluster_start with pg_cluster_stop on exit
# Trust authentication, 127.0.0.1 only, fsync off: never for anything but tests.

pg_cluster_find_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
    echo "$bin"
  fi
}

pg_cluster_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

pg_cluster_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 30000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

pg_cluster_start() {
  local bin run_as=() port
  bin=$(pg_cluster_find_bin)
  if [ -z "$bin" ]; then
    pg_cluster_install
    bin=$(pg_cluster_find_bin)
    [ -n "$bin" ] || { echo "PostgreSQL server binaries are still missing after installing postgresql" >&2; return 1; }
  fi

  PG_CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gateway-test-pg.XXXXXX")
  export PG_CLUSTER_DIR
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user (the package creates it).
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$PG_CLUSTER_DIR"
    run_as=(runuser -u postgres --)
  fi
  PG_CLUSTER_RUN_AS="${run_as[*]}"
  PG_CLUSTER_BIN="$bin"
  export PG_CLUSTER_RUN_AS PG_CLUSTER_BIN

  "${run_as[@]}" "$bin/initdb" -D "$PG_CLUSTER_DIR/data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync >"$PG_CLUSTER_DIR/initdb.log" 2>&1 \
    || { cat "$PG_CLUSTER_DIR/initdb.log" >&2; return 1; }
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | "${run_as[@]}" tee "$PG_CLUSTER_DIR/data/pg_hba.conf" >/dev/null

  port=$(pg_cluster_free_port)
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_CLUSTER_DIR/data" -l "$PG_CLUSTER_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_CLUSTER_DIR -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$PG_CLUSTER_DIR/server.log" >&2; return 1; }
  "${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres gateway_tests

  export GATEWAY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=gateway_tests"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') test cluster on 127.0.0.1:$port ($PG_CLUSTER_DIR)" >&2
}

pg_cluster_stop() {
  if [ -n "${PG_CLUSTER_DIR:-}" ] && [ -d "$PG_CLUSTER_DIR" ]; then
    # shellcheck disable=SC2086
    $PG_CLUSTER_RUN_AS "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_CLUSTER_DIR"
  fi
}

# What every script that needs a server does: use GATEWAY_TEST_POSTGRES when it is set, otherwise start a cluster
# now and remove it when the calling script exits.
pg_cluster_ensure() {
  if [ -z "${GATEWAY_TEST_POSTGRES:-}" ]; then
    trap pg_cluster_stop EXIT
    pg_cluster_start
  fi
}
