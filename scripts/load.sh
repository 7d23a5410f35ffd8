#!/usr/bin/env bash
# Load figures for the embedded service (docs/performance.md): wrk on loopback against a release `boleto serve`
# with a fresh data directory. Each run is bounded (BOLETO_LOAD_SECONDS, default 10 s) and targets 127.0.0.1 only.
#   scripts/load.sh            # builds release if needed, then: create, read one, list
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
ensure_apt wrk curl

SECONDS_PER_RUN=${BOLETO_LOAD_SECONDS:-10}
swift build -c release --product boleto >/dev/null
BIN="$(swift build -c release --show-bin-path)/boleto"
WORK_DIR=$(mktemp -d); trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$WORK_DIR"' EXIT
export BOLETO_DATA_DIR="$WORK_DIR/data" BOLETO_LOG_LEVEL=warning
BOLETO_API_KEY=$("$BIN" apikey create load | tail -1); export BOLETO_API_KEY
PORT=$(free_port)
"$BIN" serve --port "$PORT" >"$WORK_DIR/out" 2>"$WORK_DIR/err" & PID=$!
wait_for 30 curl -fsS "http://127.0.0.1:$PORT/_health_check"
URL="http://127.0.0.1:$PORT"
DUE=$(TZ=America/Sao_Paulo date -d '+30 days' +%F)
export BOLETO_BODY='{"queue_url":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","expiration_date":"'$DUE'","amount":2000,"issuer":"sandbox","issuer_account":"9721","issuer_agency":"3381","issuer_wallet":"26","payer_name":"Carga de Teste","payer_document_type":"cpf","payer_document_number":"11144477735","reference_id":"load"}'

echo "== POST /boletos (create + synchronous sandbox registration), 4 connections"
wrk -t1 -c4 -d"${SECONDS_PER_RUN}s" --latency -s scripts/load/create.lua "$URL/boletos"
ID=$(curl -fsS "$URL/boletos?count=1" -H "x-api-key: $BOLETO_API_KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
TOTAL=$(curl -fsS -D - -o /dev/null "$URL/boletos?count=1" -H "x-api-key: $BOLETO_API_KEY" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-total-count"{print $2}')
echo "boletos stored: $TOTAL"

echo "== GET /boletos/:id, 16 connections"
BOLETO_PATH="/boletos/$ID" wrk -t1 -c16 -d"${SECONDS_PER_RUN}s" --latency -s scripts/load/read.lua "$URL"
echo "== GET /boletos?count=10, 16 connections"
BOLETO_PATH="/boletos?count=10" wrk -t1 -c16 -d"${SECONDS_PER_RUN}s" --latency -s scripts/load/read.lua "$URL"
echo "== GET /_health_check, 16 connections"
wrk -t1 -c16 -d"${SECONDS_PER_RUN}s" --latency "$URL/_health_check"
