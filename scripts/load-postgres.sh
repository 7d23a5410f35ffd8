#!/usr/bin/env bash
# Load figures on Postgres (docs/performance.md): the release `boleto serve` on Postgres with the instant sandbox
# bank, under wrk at 32 connections, against pgbench running the same SQL (scripts/load/*.pgbench.sql) on the same
# server at the same concurrency. RSS is read from /proc. Loopback only; every run is bounded
# (BOLETO_LOAD_SECONDS, default 10 s). Starts a throwaway PostgreSQL unless BOLETO_LOAD_POSTGRES_URL names one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
ensure_apt wrk curl postgresql

SECONDS_PER_RUN=${BOLETO_LOAD_SECONDS:-10}
CONNECTIONS=${BOLETO_LOAD_CONNECTIONS:-32}
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boletokit-load.XXXXXX")
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; stop_postgres; rm -rf "$WORK_DIR"; }
trap cleanup EXIT INT TERM
if [ -n "${BOLETO_LOAD_POSTGRES_URL:-}" ]; then BASE="$BOLETO_LOAD_POSTGRES_URL"; else start_postgres; BASE="$BOLETO_TEST_POSTGRES_URL"; fi
db_url() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$BASE" "$1"; }
for db in bench_service bench_sql; do psql "$BASE" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"; done

swift build -c release --product boleto >/dev/null
BIN="$(swift build -c release --show-bin-path)/boleto"
rss() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

echo "== boleto serve (release) on Postgres, pool $CONNECTIONS"
export BOLETO_DATABASE_URL; BOLETO_DATABASE_URL=$(db_url bench_service)
export BOLETO_DATABASE_POOL_SIZE=$CONNECTIONS BOLETO_LOG_LEVEL=warning BOLETO_DATA_DIR="$WORK_DIR/data"
BOLETO_API_KEY=$("$BIN" apikey create load | tail -1); export BOLETO_API_KEY
PORT=$(free_port)
"$BIN" serve --port "$PORT" >"$WORK_DIR/out" 2>"$WORK_DIR/err" & PID=$!
wait_for 30 curl -fsS "http://127.0.0.1:$PORT/_health_check"
sleep 2
echo "RSS idle: $(rss $PID) MB"
URL="http://127.0.0.1:$PORT"
DUE=$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=30))')
export BOLETO_BODY='{"queue_url":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","expiration_date":"'$DUE'","amount":2000,"issuer":"sandbox","issuer_account":"9721","issuer_agency":"3381","issuer_wallet":"26","payer_name":"Carga de Teste","payer_document_type":"cpf","payer_document_number":"11144477735","reference_id":"load"}'
echo "-- POST /boletos, $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s scripts/load/create.lua "$URL/boletos" | tee "$WORK_DIR/create.txt"
ID=$(curl -fsS "$URL/boletos?count=1" -H "x-api-key: $BOLETO_API_KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
echo "-- GET /boletos/:id, $CONNECTIONS connections"
BOLETO_PATH="/boletos/$ID" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s scripts/load/read.lua "$URL" | tee "$WORK_DIR/read.txt"
echo "RSS after load: $(rss $PID) MB, peak: $(hwm $PID) MB"
echo "boletos stored: $(psql "$BOLETO_DATABASE_URL" -Atc 'select count(*) from boletos'), distinct title ids: $(psql "$BOLETO_DATABASE_URL" -Atc 'select count(distinct title_id) from boletos')"
kill -TERM "$PID"; wait "$PID" || true; PID=

echo "== pgbench, the same SQL, $CONNECTIONS connections"
SQL_URL=$(db_url bench_sql)
BOLETO_DATABASE_URL="$SQL_URL" "$BIN" migrate >/dev/null
psql "$SQL_URL" -q -f scripts/load/pgbench-setup.sql
PGVARS=(-D ts=2026-12-01T19:00:00.000Z -D detail='{"attempt":1}'
        -D details='{"payerDocumentType":"cpf","payerName":"Carga de Teste","queueURL":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","register":true}'
        -D queue=https://sqs.us-east-1.amazonaws.com/123456789012/boletos -D payload='{"boleto_id":"x","status":"registered","reference_id":"load"}')
pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" "${PGVARS[@]}" -f scripts/load/create.pgbench.sql "$SQL_URL" 2>&1 \
  | grep -E "^(tps|latency|number of transactions actually)" | tee "$WORK_DIR/pg-create.txt"
PGID=$(psql "$SQL_URL" -Atc 'select id from boletos limit 1')
pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_RUN" -D id="$PGID" -f scripts/load/read.pgbench.sql "$SQL_URL" 2>&1 \
  | grep -E "^(tps|latency)" | tee "$WORK_DIR/pg-read.txt"

ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]) * 100:.0f} %")' "$1" "$2"; }
SC=$(awk '/Requests\/sec/ {print $2}' "$WORK_DIR/create.txt"); SR=$(awk '/Requests\/sec/ {print $2}' "$WORK_DIR/read.txt")
PC=$(awk '/^tps/ {print $3}' "$WORK_DIR/pg-create.txt"); PR=$(awk '/^tps/ {print $3}' "$WORK_DIR/pg-read.txt")
echo "== ratios: create $SC / $PC = $(ratio "$SC" "$PC"); read $SR / $PR = $(ratio "$SR" "$PR")"
