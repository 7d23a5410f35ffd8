#!/usr/bin/env bash
# Runs the service on the embedded default (SQLite in ./.boleto, sandbox bank): installs the C libraries the build
# links (libxml2-dev for the SOAP banks, libssl-dev for PKCS#12 certificates, libhpdf-dev and libqrencode-dev for
# the PDF boleto) when they are missing, then
# `swift run boleto serve`. Extra arguments go to `boleto serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/provision.sh
command -v swift >/dev/null || { log "the Swift toolchain is required (swift not on PATH)"; exit 1; }
ensure_apt libxml2-dev libssl-dev pkg-config libhpdf-dev libqrencode-dev
exec swift run boleto serve "$@"
