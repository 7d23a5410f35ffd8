#!/usr/bin/env bash
# The soak (docs/performance.md): on each backend, the embedded default (SQLite and the database queue) and Postgres,
# a `boleto serve` under SAMPLES samples of mixed traffic (scripts/load/mixed.lua: creates, reads, lists and PATCHes
# from 8 connections, each at most one request per BOLETO_SOAK_DELAY_MS) while 100 slow-header clients
# (scripts/load/slow_clients.py) hold half-written requests. After each sample it prints the service's RSS, open file
# descriptors, p50/p99 and the answers that were not 2xx. The samples that end within the warm-up (the first minute,
# BOLETO_SOAK_WARMUP_SECONDS: caches fill) are left out of the gates. It fails on any 5xx or other non-2xx answer, on
# a service that stops answering, when the anonymous RSS (the heap, RssAnon: what a leak grows) spreads by more than
# 10 % and more than 2 MB, and when the open descriptors peak more than 10 % over their warm-up peak (the slow
# clients' sockets, reopened every 10 s, make the count dip); with BOLETO_SOAK_GATE_P99=1, also when p99 drifts by
# more than 10 % (the mean of the later half of the samples against the earlier half: on a shared 2-core machine, p99
# jitters by 30 % and more between back-to-back runs with nothing growing). The whole RSS is printed too: its
# file-backed part is the 130 MB binary's code, paged in as code paths are first used, which grows in steps without
# being the process's state.
#   scripts/soak.sh                                        # 10 one-minute samples per backend (the recorded run)
#   BOLETO_SOAK_SAMPLES=6 BOLETO_SOAK_SAMPLE_SECONDS=20 scripts/soak.sh   # the two-minute version scripts/test.sh runs
# BOLETO_BIN picks the binary (default: the release build). BOLETO_SOAK_POSTGRES_URL names a server where a database
# may be created; without it a throwaway PostgreSQL is started on a free loopback port. Everything stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
ensure_apt wrk curl postgresql

SAMPLES=${BOLETO_SOAK_SAMPLES:-10}
SAMPLE=${BOLETO_SOAK_SAMPLE_SECONDS:-60}
WARMUP=${BOLETO_SOAK_WARMUP_SECONDS:-60}
SLOW=${BOLETO_SOAK_SLOW_CLIENTS:-100}
BACKENDS=${BOLETO_SOAK_BACKENDS:-embedded postgres}
export BOLETO_SOAK_DELAY_MS=${BOLETO_SOAK_DELAY_MS:-40}
if [ -z "${BOLETO_BIN:-}" ]; then
  swift build -c release --product boleto >/dev/null
  BOLETO_BIN="$(swift build -c release --show-bin-path)/boleto"
fi
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boletokit-soak.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_postgres
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT INT TERM

if [[ " $BACKENDS " == *" postgres "* ]] && [ -z "${BOLETO_SOAK_POSTGRES_URL:-}" ]; then
  start_postgres
  BOLETO_SOAK_POSTGRES_URL=$BOLETO_TEST_POSTGRES_URL
fi

DUE=$(TZ=America/Sao_Paulo date -d '+30 days' +%F)
export BOLETO_BODY='{"queue_url":"https://sqs.us-east-1.amazonaws.com/123456789012/boletos","expiration_date":"'$DUE'","amount":2000,"issuer":"sandbox","issuer_account":"9721","issuer_agency":"3381","issuer_wallet":"26","payer_name":"Carga de Teste","payer_document_type":"cpf","payer_document_number":"11144477735","reference_id":"REF"}'

FAILED=0
fail() { log "soak: $*"; FAILED=1; }

# spread VALUES...: (max - min) / min of the values, as a percentage.
spread() { printf '%s\n' "$@" | awk 'NR==1{min=$1;max=$1} {if($1<min)min=$1; if($1>max)max=$1} END{printf "%.1f", (min>0 ? (max-min)/min*100 : 0)}'; }
# drift VALUES...: how far the mean of the later half of the values moved from the mean of the earlier half, as a
# signed percentage. A trend (a slowdown that grows with the stored boletos) moves it; minute-to-minute jitter on a
# shared machine mostly does not.
drift() { printf '%s\n' "$@" | awk '{v[NR]=$1} END{h=int(NR/2); if(h<1){printf "0.0"; exit} for(i=1;i<=h;i++)a+=v[i]; for(i=h+1;i<=NR;i++)b+=v[i]; a/=h; b/=(NR-h); printf "%+.1f", (a>0 ? (b-a)/a*100 : 0)}'; }

run_backend() {
  local backend=$1 dir="$WORK_DIR/$1" port pid slow_pid
  mkdir -p "$dir"
  # The bank is another process, as in production: the in-process sandbox would keep every title in the service's
  # memory (scripts/load/sandbox_bank.py says why).
  local bank_port; bank_port=$(free_port)
  python3 scripts/load/sandbox_bank.py "$bank_port" & PIDS+=("$!")
  wait_for 30 curl -fsS -o /dev/null -X POST -d '{}' "http://127.0.0.1:$bank_port/titles" || { fail "$backend: the sandbox bank did not start"; return; }
  local settings=(BOLETO_DATA_DIR="$dir/data" BOLETO_LOG_LEVEL=warning BOLETO_SANDBOX_URL="http://127.0.0.1:$bank_port")
  if [ "$backend" = postgres ]; then
    local db="soak_$$"
    PGOPTIONS='--client-min-messages=warning' psql "$BOLETO_SOAK_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    settings+=(BOLETO_DATABASE_URL="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$BOLETO_SOAK_POSTGRES_URL" "$db")")
  fi
  local key; key=$(env "${settings[@]}" "$BOLETO_BIN" apikey create soak | tail -1)
  port=$(free_port)
  env "${settings[@]}" "$BOLETO_BIN" serve --port "$port" >"$dir/out" 2>"$dir/err" & pid=$!
  PIDS+=("$pid")
  wait_for 60 curl -fsS "http://127.0.0.1:$port/_health_check" >/dev/null || { cat "$dir/err" >&2; fail "$backend: serve did not answer"; return; }
  python3 scripts/load/slow_clients.py "$port" "$SLOW" $((SAMPLES * SAMPLE + 2)) >"$dir/slow.json" & slow_pid=$!
  PIDS+=("$slow_pid")
  printf '\n%s: %s samples of %s s, %s slow-header clients, a request every %s ms per connection at most\n' \
    "$backend" "$SAMPLES" "$SAMPLE" "$SLOW" "$BOLETO_SOAK_DELAY_MS"
  printf '| sample | end (s) | requests | p50 ms | p99 ms | 5xx | other non-2xx | RSS MB | anon RSS MB | open fds |\n|---|---|---|---|---|---|---|---|---|---|\n'
  local rss=() anon=() fds=() p99=() i line warm_fds=0
  for i in $(seq 1 "$SAMPLES"); do
    BOLETO_API_KEY=$key wrk -t2 -c8 -d"${SAMPLE}s" -s scripts/load/mixed.lua "http://127.0.0.1:$port" >"$dir/wrk-$i" 2>&1 || true
    line=$(grep '^SOAK' "$dir/wrk-$i" || echo "SOAK requests=0 p50_ms=0 p99_ms=0 errors_5xx=-1 other=-1 socket_errors=-1")
    kill -0 "$pid" 2>/dev/null || { fail "$backend: the service exited"; cat "$dir/err" >&2; return; }
    local r a f; r=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
    a=$(awk '/RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"); f=$(ls "/proc/$pid/fd" | wc -l)
    local requests=${line#*requests=}; requests=${requests%% *}
    local p50=${line#*p50_ms=}; p50=${p50%% *}
    local p=${line#*p99_ms=}; p=${p%% *}
    local e5=${line#*errors_5xx=}; e5=${e5%% *}
    local other=${line#*other=}; other=${other%% *}
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$i" $((i * SAMPLE)) "$requests" "$p50" "$p" "$e5" "$other" "$r" "$a" "$f"
    [ "$e5" = 0 ] || fail "$backend sample $i: $e5 answers were 5xx"
    [ "$other" = 0 ] || fail "$backend sample $i: $other answers were neither 2xx nor 5xx"
    [ "$requests" -gt 0 ] || fail "$backend sample $i: no request completed"
    # Samples that end within the warm-up are left out of the spreads (always the first, and always two kept).
    if [ "$i" -gt 1 ] && { [ $((i * SAMPLE)) -gt "$WARMUP" ] || [ "$i" -gt $((SAMPLES - 2)) ]; }; then
      rss+=("$r"); anon+=("$a"); fds+=("$f"); p99+=("$p")
    elif [ "$f" -gt "$warm_fds" ]; then
      warm_fds=$f
    fi
  done
  wait "$slow_pid" || true
  curl -fsS "http://127.0.0.1:$port/_health_check" >/dev/null || fail "$backend: the service stopped answering"
  kill -TERM "$pid"; wait "$pid" || fail "$backend: serve did not exit cleanly on SIGTERM"
  printf 'slow clients: %s\n' "$(cat "$dir/slow.json")"
  if [ "${#rss[@]}" -gt 0 ]; then
    local rs as fs fg ps pd; rs=$(spread "${rss[@]}"); as=$(spread "${anon[@]}"); fs=$(spread "${fds[@]}"); ps=$(spread "${p99[@]}")
    fg=$(printf '%s\n' "${fds[@]}" | awk -v w="$warm_fds" '$1>m{m=$1} END{printf "%+.1f", (w>0 ? (m-w)/w*100 : 0)}')
    pd=$(drift "${p99[@]}")
    printf 'after the warm-up (%s samples left out): RSS spread %s %%, anonymous RSS spread %s %%, open fds spread %s %% (peak %s %% over the warm-up peak), p99 spread %s %%, p99 drift %s %%\n' "$((SAMPLES - ${#rss[@]}))" "$rs" "$as" "$fs" "$fg" "$ps" "$pd"
    # A heap of 8-12 MB moves by a megabyte as the allocator takes and returns memory for connections' buffers, which
    # is over 10 % of it; a leak is what passes both limits.
    local ad; ad=$(printf '%s\n' "${anon[@]}" | awk 'NR==1{min=$1;max=$1} {if($1<min)min=$1; if($1>max)max=$1} END{printf "%.1f", max-min}')
    awk -v s="$as" -v d="$ad" 'BEGIN{exit !(s <= 10 || d <= 2)}' \
      || fail "$backend: anonymous RSS spread $as % ($ad MB) over the samples (limit 10 % or 2 MB)"
    # Most descriptors are the slow clients' sockets, closed and reopened every 10 s, so the count at a sample's end
    # jitters below its peak; a leak shows as a peak above the warm-up's.
    awk -v s="$fg" 'BEGIN{exit !(s <= 10)}' || fail "$backend: open descriptors peaked $fg % over the warm-up's peak (limit 10 %)"
    if [ "${BOLETO_SOAK_GATE_P99:-0}" = 1 ]; then
      awk -v s="$pd" 'BEGIN{exit !(s <= 10 && s >= -10)}' || fail "$backend: p99 drift $pd % between the halves of the samples (limit 10 %)"
    fi
  fi
  grep -q '"answered_408": [1-9]' "$dir/slow.json" || fail "$backend: no slow client was answered 408"
}

for backend in $BACKENDS; do run_backend "$backend"; done
[ "$FAILED" = 0 ] || exit 1
