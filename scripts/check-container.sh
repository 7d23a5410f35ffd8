#!/usr/bin/env bash
# Checks Dockerfile and docker-compose.yml with what runs on a machine without a Docker engine:
#  - docker-compose.yml is validated by docker-compose's own `config` (installed from PyPI into a virtualenv);
#  - the Dockerfile's build stage is replayed on the host: the same release build and staging copy, then the
#    staged binary runs from another directory as the image would run it (resource bundle beside it), serves,
#    answers /health/ready with curl (the image's HEALTHCHECK) and stops on SIGTERM.
# Slow (a release build); not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh

TOOLS="${BOLETO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/boletokit}"
if ! "$TOOLS/compose-venv/bin/docker-compose" version >/dev/null 2>&1; then
  log "installing docker-compose (v1, for its config validator) into $TOOLS/compose-venv"
  rm -rf "$TOOLS/compose-venv"
  python3 -m venv "$TOOLS/compose-venv"
  # docker-compose 1.29 pins PyYAML 5.4, whose source build needs Cython < 3 and no build isolation.
  "$TOOLS/compose-venv/bin/pip" install -q "cython<3" wheel setuptools
  "$TOOLS/compose-venv/bin/pip" install -q "pyyaml==5.4.1" --no-build-isolation
  "$TOOLS/compose-venv/bin/pip" install -q docker-compose
fi
log "docker-compose.yml: docker-compose config"
"$TOOLS/compose-venv/bin/docker-compose" -f docker-compose.yml config -q

grep -q '^FROM swift:6.3-bookworm AS build' Dockerfile || { log "the Dockerfile's build stage changed: update this script"; exit 1; }
log "Dockerfile build stage, on the host: swift build -c release --product boleto"
swift build -c release --product boleto
STAGING=$(mktemp -d); trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; rm -rf "$STAGING"' EXIT
BIN=$(swift build -c release --show-bin-path)
cp "$BIN/boleto" "$STAGING/"
cp -R "$BIN"/*.resources "$STAGING/"

log "the staged image contents run from elsewhere"
PORT=$(free_port)
(cd / && BOLETO_HOST=127.0.0.1 BOLETO_PORT="$PORT" BOLETO_DATA_DIR="$STAGING/data" exec "$STAGING/boleto" serve >"$STAGING/out" 2>"$STAGING/err") &
PID=$!
wait_for 30 curl -fsS "http://127.0.0.1:$PORT/health/ready" || { cat "$STAGING/err" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$PORT/openapi.json" | python3 -c 'import json,sys; assert json.load(sys.stdin)["openapi"] == "3.1.0"'
kill -TERM "$PID"; wait "$PID"; PID=
log "container checks passed"
