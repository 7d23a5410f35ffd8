#!/usr/bin/env bash
# Runs every test. Provisions what the tests need (Debian packages, PostgreSQL, a local SQS from moto) on free
# loopback ports in a temporary directory, and stops it all afterwards. Idempotent; no manual steps.
#   scripts/test.sh [extra swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
source scripts/lib/service-checks.sh

command -v swift >/dev/null || { log "the Swift toolchain is required (swift not on PATH)"; exit 1; }

ensure_apt curl wrk postgresql libxml2-dev libssl-dev openssl pkg-config libhpdf-dev libqrencode-dev poppler-utils zbar-tools chromium
ensure_pip moto 'moto[server]'

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boletokit-test.XXXXXX")
cleanup() { stop_service; stop_moto; stop_postgres; rm -rf "$WORK_DIR"; }
trap cleanup EXIT INT TERM

# The services later tiers use; starting them here proves the provisioning on every run.
start_postgres restartable
start_moto

log "building"
swift build --build-tests

log "example: offline-example"
swift run --skip-build offline-example >/dev/null

log "example: bradesco-example (registers a boleto with the fake Bradesco on loopback)"
swift run --skip-build bradesco-example >/dev/null

log "example: bb-example (registers a boleto híbrido with the fake Banco do Brasil on loopback, queries it, pays it)"
swift run --skip-build bb-example >/dev/null

log "example: render-example (a boleto híbrido to PDF and HTML; zbarimg must read the ITF and the QR back)"
swift run --skip-build render-example "$WORK_DIR" >"$WORK_DIR/render.log"
pdftoppm -r 200 -png "$WORK_DIR/boleto.pdf" "$WORK_DIR/render-page"
zbarimg -q "$WORK_DIR/render-page-1.png" 2>/dev/null | grep -q "^I2/5:$(sed -n 's/^barcode  //p' "$WORK_DIR/render.log")$" \
  || { log "zbarimg did not read the example's barcode"; exit 1; }
# The screenshot in docs/rendering.md is this one (BOLETO_SCREENSHOT_OUT=docs/rendering.png keeps a copy).
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK_DIR/chromium" \
  --force-device-scale-factor=2 --window-size=800,1130 --screenshot="$WORK_DIR/boleto.png" "file://$WORK_DIR/boleto.html" 2>/dev/null
zbarimg -q "$WORK_DIR/boleto.png" 2>/dev/null | grep -q "^QR-Code:00020126" || { log "zbarimg did not read the QR in Chromium's screenshot"; exit 1; }
[ -n "${BOLETO_SCREENSHOT_OUT:-}" ] && cp "$WORK_DIR/boleto.png" "$BOLETO_SCREENSHOT_OUT"

run_service_checks

log "swift test"
swift test --skip-build --disable-xctest --skip RenderScanTests "$@"

# Chromium and pdftoppm are heavy on 2 cores: the scans run after the rest, so timing tests are not starved.
log "swift test: the rendered boletos read back by zbarimg (PDF, and Chromium's PNG and PDF)"
swift test --skip-build --disable-xctest --filter RenderScanTests "$@"

# Last, alone on the machine: two minutes of mixed traffic and 100 slow-header clients on each backend, with the
# debug build (the recorded ten-minute runs use the release build; docs/performance.md). The request rate is the
# recorded run's, so the first minute (the warm-up the gates leave out) stores as many boletos and fills SQLite's
# page caches as far: at a third of that rate they were still filling at the end.
log "soak: two minutes per backend (scripts/soak.sh)"
BOLETO_BIN="$(swift build --show-bin-path)/boleto" BOLETO_SOAK_POSTGRES_URL="$BOLETO_TEST_POSTGRES_URL" \
  BOLETO_SOAK_SAMPLES=6 BOLETO_SOAK_SAMPLE_SECONDS=20 BOLETO_SOAK_DELAY_MS=40 bash scripts/soak.sh
