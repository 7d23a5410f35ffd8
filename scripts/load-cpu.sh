#!/usr/bin/env bash
# Service CPU per request on Postgres (docs/performance.md): a `boleto serve` (BOLETO_BIN, default the release
# build) on a fresh database, wrk at 32 connections for BOLETO_LOAD_SECONDS (default 8 s) of `read` (one boleto,
# after 3 s of creates) or `create`, then req/s, p99, the service's CPU time per request (from /proc/PID/stat) and
# its peak RSS. Less noisy than req/s on a shared machine: alternate two binaries to compare them.
#   BOLETO_LOAD_POSTGRES_URL=postgres://… scripts/load-cpu.sh read|create
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
ensure_apt wrk curl postgresql
MODE=${1:-read}; SECS=${BOLETO_LOAD_SECONDS:-8}
[ -n "${BOLETO_LOAD_POSTGRES_URL:-}" ] || { log "set BOLETO_LOAD_POSTGRES_URL to a server where databases may be created"; exit 1; }
if [ -z "${BOLETO_BIN:-}" ]; then
  swift build -c release --product boleto >/dev/null
  BOLETO_BIN="$(swift build -c release --show-bin-path)/boleto"
fi
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boletokit-cpu.XXXXXX")
trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK_DIR"' EXIT INT TERM
DB=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/bench_cpu")))' "$BOLETO_LOAD_POSTGRES_URL")
psql "$BOLETO_LOAD_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS bench_cpu" -c "CREATE DATABASE bench_cpu"
export BOLETO_DATABASE_URL=$DB BOLETO_DATABASE_POOL_SIZE=32 BOLETO_LOG_LEVEL=warning BOLETO_DATA_DIR="$WORK_DIR/data"
BOLETO_API_KEY=$("$BOLETO_BIN" apikey create cpu | tail -1); export BOLETO_API_KEY
PORT=$(free_port)
"$BOLETO_BIN" serve --port "$PORT" >"$WORK_DIR/out" 2>"$WORK_DIR/err" & PID=$!
wait_for 30 curl -fsS "http://127.0.0.1:$PORT/_health_check"
DUE=$(TZ=America/Sao_Paulo date -d '+30 days' +%F)
export BOLETO_BODY='{"queue_url":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","expiration_date":"'$DUE'","amount":2000,"issuer":"sandbox","issuer_account":"9721","issuer_agency":"3381","issuer_wallet":"26","payer_name":"Carga de Teste","payer_document_type":"cpf","payer_document_number":"11144477735","reference_id":"load"}'
URL="http://127.0.0.1:$PORT"
SCRIPT=scripts/load/create.lua; TARGET="$URL/boletos"
if [ "$MODE" = read ]; then
  wrk -t2 -c32 -d3s -s scripts/load/create.lua "$URL/boletos" >/dev/null
  export BOLETO_PATH="/boletos/$(psql "$DB" -Atc 'select id from boletos limit 1')"
  SCRIPT=scripts/load/read.lua; TARGET=$URL
fi
T0=$(awk '{print $14+$15}' "/proc/$PID/stat")
wrk -t2 -c32 -d"${SECS}s" --latency -s "$SCRIPT" "$TARGET" >"$WORK_DIR/wrk"
T1=$(awk '{print $14+$15}' "/proc/$PID/stat")
REQS=$(awk '/requests in/ {print $1}' "$WORK_DIR/wrk")
TICK=$(getconf CLK_TCK)
printf '%s: %s req/s, p99 %s, non-2xx %s, service CPU %s us per request, peak RSS %s MB\n' "$MODE" \
  "$(awk '/Requests\/sec/ {print $2}' "$WORK_DIR/wrk")" "$(awk '$1=="99%" {print $2}' "$WORK_DIR/wrk")" \
  "$(awk '/Non-2xx/ {print $NF}' "$WORK_DIR/wrk" | grep . || echo 0)" \
  "$(python3 -c "print(round(($T1 - $T0) / $TICK / $REQS * 1e6))")" "$(awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$PID/status")"
