# Provisioning for the test command: system packages, PostgreSQL and a local SQS (moto), on free loopback ports
# in a temporary directory. Sourced by scripts/test.sh; every step is idempotent.

log() { printf '[test] %s\n' "$*" >&2; }

# Installs Debian packages that are missing (apt-get update only when something is missing).
ensure_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installs a PyPI package when its module does not import.
ensure_pip() {
  local module=$1 spec=$2
  python3 -c "import $module" >/dev/null 2>&1 && return 0
  log "installing $spec from PyPI"
  python3 -m pip install -q "$spec"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {  # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

# Starts a throwaway PostgreSQL cluster NAME (trust auth, loopback only, no fsync) in $WORK_DIR/NAME on a free port,
# with its settings in postgresql.conf so that a plain `pg_ctl start` brings it back on the same port. Writes
# $WORK_DIR/NAME/ctl, which runs pg_ctl on it as the right user, and sets PG_URL.
start_cluster() {
  local name=$1 bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] || { log "PostgreSQL binaries not found"; return 1; }
  local dir="$WORK_DIR/$name" port; port=$(free_port)
  mkdir -p "$dir"
  local run=""; [ "$(id -u)" -eq 0 ] && { chown postgres:postgres "$dir"; chmod 755 "$WORK_DIR"; run="runuser -u postgres --"; }
  $run "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
unix_socket_directories = '$dir'
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
${START_CLUSTER_EXTRA:-}
CONF
  # The server pg_ctl starts inherits the caller's open files: when a test process restarts it, that would be every
  # socket the test holds (connections to the other cluster stay open until this server stops). Close them first.
  printf '#!/bin/bash\nfor fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null\nexec %s "%s/pg_ctl" -D "%s/data" -l "%s/server.log" -w -t 60 "$@"\n' "$run" "$bin" "$dir" "$dir" >"$dir/ctl"
  chmod 755 "$dir/ctl"
  "$dir/ctl" start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
  PG_CLUSTERS+=("$dir")
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  wait_for 30 psql "$PG_URL" -Atc 'select 1' || { log "PostgreSQL ($name) did not answer"; return 1; }
  log "PostgreSQL ($name) on 127.0.0.1:$port"
}

PG_CLUSTERS=()

# The shared test server (BOLETO_TEST_POSTGRES_URL), and with `restartable` a second one that a fault test stops
# and starts during traffic (BOLETO_TEST_POSTGRES_RESTART_URL, and BOLETO_TEST_POSTGRES_RESTART_CTL to run pg_ctl).
start_postgres() {
  start_cluster postgres || return 1
  export BOLETO_TEST_POSTGRES_URL="$PG_URL"
  if [ "${1:-}" = restartable ]; then
    # Commits must survive the immediate (crash-like) stop the test does: WAL is written at each commit.
    START_CLUSTER_EXTRA="synchronous_commit = on" start_cluster postgres-restart || return 1
    export BOLETO_TEST_POSTGRES_RESTART_URL="$PG_URL" BOLETO_TEST_POSTGRES_RESTART_CTL="$WORK_DIR/postgres-restart/ctl"
  fi
}

stop_postgres() {
  local dir
  for dir in "${PG_CLUSTERS[@]}"; do
    [ -d "$dir/data" ] && "$dir/ctl" -m fast stop >/dev/null 2>&1 || true
  done
}

# Starts moto's server (an SQS-compatible endpoint) and exports BOLETO_TEST_SQS_ENDPOINT.
start_moto() {
  local port; port=$(free_port)
  python3 -m moto.server -H 127.0.0.1 -p "$port" >"$WORK_DIR/moto.log" 2>&1 &
  MOTO_PID=$!
  export BOLETO_TEST_SQS_ENDPOINT="http://127.0.0.1:$port"
  wait_for 30 curl -sf "$BOLETO_TEST_SQS_ENDPOINT/moto-api/" || { cat "$WORK_DIR/moto.log" >&2; log "moto did not answer"; return 1; }
  log "moto (SQS) on 127.0.0.1:$port"
}

stop_moto() {
  [ -n "${MOTO_PID:-}" ] || return 0
  kill "$MOTO_PID" 2>/dev/null || true
  wait "$MOTO_PID" 2>/dev/null || true
}
