#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the decode entry point and the
# rule/field parsers, for a fixed time each. Not CI: run by hand or nightly.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET=120]
#
# Seeds: the fixtures (decode), pipeline.yml, cases.csv and the truth texts (fields). Crashes
# land in bench/fuzz-out/TARGET/crash-*; each becomes a regression test
# (Tests/ImagingTests/FuzzRegressionTests.swift, Tests/ClassificationTests/…).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-120}"
OUT=bench/fuzz-out
mkdir -p "$OUT"
(cd fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -E "error|Compiling|Build" | tail -3)
BIN=fuzz/.build/release

# Seed corpora (small inputs: libFuzzer's default max_len is 4 KiB unless seeds are longer).
SEEDS=$(mktemp -d)
trap 'rm -rf "$SEEDS"' EXIT
mkdir -p "$SEEDS/decode" "$SEEDS/field" "$OUT/decode/corpus" "$OUT/field/corpus"
python3 - "$SEEDS" <<'PY'
import io, sys, json, pathlib
from PIL import Image
out = pathlib.Path(sys.argv[1])
img = Image.new("L", (64, 48), 200)
for fmt, ext in [("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif"), ("WEBP", "webp")]:
    b = io.BytesIO(); img.save(b, fmt); (out / "decode" / f"seed.{ext}").write_bytes(b.getvalue())
for i, line in enumerate(open("fixtures/truth.jsonl")):
    t = json.loads(line)
    text = " ".join(f"{k} {v}" for k, v in (t.get("fields") or {}).items())
    (out / "field" / f"t{i}").write_bytes(bytes([3]) + text.encode())
    (out / "field" / f"v{i}").write_bytes(bytes([2]) + text.encode())
(out / "field" / "yml").write_bytes(b"\x00" + open("pipeline.yml", "rb").read()[:4000])
(out / "field" / "csv").write_bytes(b"\x01" + open("fixtures/cases.csv", "rb").read()[:4000])
PY

run() {
  local name=$1 binary=$2 seeds=$3
  local log="$OUT/$name/fuzz.log"
  (cd "$OUT/$name" && POSTEINGANG_ROOT="$PWD/../../.." ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
     "../../../$binary" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
     -print_final_stats=1 corpus "$seeds" >"fuzz.log" 2>&1) || true
  local execs
  execs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
  local cov
  cov=$(grep -E "^#[0-9]+" "$log" | tail -1 | grep -oE "cov: [0-9]+ ft: [0-9]+" || true)
  local crashes
  crashes=$(ls "$OUT/$name" | grep -cE "^(crash|leak|timeout|oom)-" || true)
  echo "$name: ${SECONDS_PER_TARGET}s, executions ${execs:-?}, ${cov}, findings ${crashes}"
}
run decode "$BIN/DecodeFuzzer" "$SEEDS/decode"
run field "$BIN/FieldFuzzer" "$SEEDS/field"
