#!/usr/bin/env bash
# Runs the C reference (../shared/bench/c_ref, when present) and BoletoKit's package-benchmark suite in one go, on
# the same machine, and prints the BoletoKit / C ratios. See docs/performance.md.
#
#   scripts/bench.sh [RUNS]        RUNS: C reference timed passes (median taken), default 5
#
# Environment: BENCH_FILTER (regex passed to --filter, default: every benchmark), C_REF (path to the C reference's
# run.sh), BENCH_OUT (folder for the raw logs, default a temporary one).
# Builds in release under Benchmarks/.build (package-benchmark does that); the first build takes a few minutes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
C_REF=${C_REF:-$ROOT/../shared/bench/c_ref/run.sh}
OUT=${BENCH_OUT:-$(mktemp -d)}
mkdir -p "$OUT"

echo "== machine"
echo "cores: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
swift --version 2>&1 | head -1
echo "load: $(uptime | sed 's/.*load average: //'); other swift-build processes: $(pgrep -fc swift-build || true)"

if [ -f "$C_REF" ]; then
    echo "== C reference ($C_REF)"
    (cd "${TMPDIR:-/tmp}" && bash "$C_REF" "$RUNS") | tee "$OUT/c_ref.txt"
else
    echo "== C reference not found at $C_REF: skipped"
fi

echo "== BoletoKit (package-benchmark, release)"
cd "$ROOT/Benchmarks"
args=(benchmark --no-progress)
if [ -n "${BENCH_FILTER:-}" ]; then args+=(--filter "$BENCH_FILTER"); fi
swift package --allow-writing-to-package-directory "${args[@]}" 2>&1 | tee "$OUT/boletokit.txt"
echo "load after: $(uptime | sed 's/.*load average: //')"

echo "== ratios (p50 throughput / C median; raw logs in $OUT)"
python3 - "$OUT/c_ref.txt" "$OUT/boletokit.txt" <<'PY'
import re, sys, os
c_path, k_path = sys.argv[1], sys.argv[2]
c = {}
if os.path.exists(c_path):
    text = open(c_path).read()
    m = re.search(r"bradesco_ref: .*median=(\d+) boletos/s", text)
    if m: c["gen"] = float(m.group(1))
    m = re.search(r"line_validate: .*median=(\d+) lines/s", text)
    if m: c["val"] = float(m.group(1))
scale = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}
rows, name = {}, None
for line in open(k_path):
    line = line.rstrip("\n")
    if line and not line.startswith(("│", "╒", "╞", "├", "╘", "=")) and not line.startswith(" "):
        name = line.strip()
    cells = [x.strip() for x in line.split("│")]
    if name and len(cells) > 3 and cells[1].startswith(("Throughput", "Malloc (total)")):
        unit = re.search(r"\((K|M|G)\)", cells[1])
        value = float(cells[4]) * (scale[unit.group(1)] if unit and cells[1].startswith("Throughput") else 1)
        rows.setdefault(name, {})["tput" if cells[1].startswith("Throughput") else "malloc"] = value
print(f"{'benchmark':50} {'ops/s p50':>12} {'mallocs/op':>10} {'vs C':>8}")
for name, r in rows.items():
    ref = c.get("val") if name.startswith(("Parse", "Validate")) else c.get("gen") if name.startswith("Generate") else None
    ratio = f"{100 * r.get('tput', 0) / ref:7.1f}%" if ref else "       -"
    print(f"{name:50} {r.get('tput', 0):12.0f} {r.get('malloc', float('nan')):10.0f} {ratio}")
if c:
    print(f"C reference: generation {c.get('gen', 0):.0f} boletos/s, validation {c.get('val', 0):.0f} lines/s")
PY
