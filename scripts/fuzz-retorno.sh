#!/usr/bin/env bash
# Fuzzes the CNAB retorno reader with libFuzzer (AddressSanitizer on), seeded with the real retorno fixtures.
#
#   scripts/fuzz-retorno.sh [SECONDS]     # default 120; the corpus grows in .build-fuzz/corpus between runs
#
# It compiles BoletoKit and Sources/Providers/CNAB with swiftc -sanitize=fuzzer,address into .build-fuzz (not
# SwiftPM, whose fuzzer builds would instrument every dependency), then runs Fuzz/RetornoFuzz.swift with a 10 s
# per-input limit and a 2 GB memory limit. A crash, a hang or runaway memory leaves the input in .build-fuzz/ and
# exits non-zero. Not part of scripts/test.sh, whose mutation test (CNABRetornoRobustnessTests) covers CI.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-120}
OUT=.build-fuzz
mkdir -p "$OUT/corpus"
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O -g)
mapfile -t KIT < <(find Sources/BoletoKit -name '*.swift' | sort)
mapfile -t CNAB < <(find Sources/Providers/CNAB -name '*.swift' | sort)
swiftc "${FLAGS[@]}" -module-name BoletoKit -emit-module -emit-module-path "$OUT/BoletoKit.swiftmodule" \
  -emit-library -static -o "$OUT/libBoletoKit.a" "${KIT[@]}"
swiftc "${FLAGS[@]}" -module-name RetornoFuzz -I "$OUT" -L "$OUT" -lBoletoKit "${CNAB[@]}" Fuzz/RetornoFuzz.swift \
  -o "$OUT/retorno-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)
cd "$OUT"
./retorno-fuzz -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  corpus ../Tests/ProvidersTests/Fixtures/cnab/retorno
