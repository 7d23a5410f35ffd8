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

# Starts a throwaway PostgreSQL cluster (trust auth, loopback only, no fsync) and exports BOLETO_TEST_POSTGRES_URL.
start_postgres() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] || { log "PostgreSQL binaries not found"; return 1; }
  PG_DIR="$WORK_DIR/postgres"; PG_BIN="$bin"
  local port; port=$(free_port)
  mkdir -p "$PG_DIR"
  local run=(); [ "$(id -u)" -eq 0 ] && { chown postgres:postgres "$PG_DIR"; chmod 755 "$WORK_DIR"; run=(runuser -u postgres --); }
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_RUN=("${run[@]}")
  export BOLETO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  wait_for 30 psql "$BOLETO_TEST_POSTGRES_URL" -Atc 'select 1' || { log "PostgreSQL did not answer"; return 1; }
  log "PostgreSQL on 127.0.0.1:$port"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
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
