#!/usr/bin/env bash
# Put and read back COUNT blobs of SIZE MiB (default 100 × 1 MiB) in the local folder store and in
# a SeaweedFS started here on loopback (S3, signed requests), one after the other, and print both
# figures. With PAGES_FROM=FOLDER, then the daemon's pages/s with one worker over that folder's
# uploads, blobs in a folder and in the same SeaweedFS, in the same run (`posteingang benchmark
# --blobs folder --blobs s3://…`). A measurement for the README, not a test.
#   bench/blobs.sh [COUNT] [SIZE_MIB]      (POSTEINGANG: the binary; default .build/debug/posteingang)
#   PAGES_FROM=fixtures/scan bench/blobs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100}
SIZE=${2:-1}
BIN=${POSTEINGANG:-.build/debug/posteingang}
command -v weed >/dev/null || { echo "weed not found: run scripts/setup.sh"; exit 1; }

WORK=$(mktemp -d /tmp/posteingang-blobs-bench.XXXXXX)
WEED_PID=""
cleanup() { if [ -n "$WEED_PID" ]; then kill -9 "$WEED_PID" 2>/dev/null; wait "$WEED_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY="bench-$(date +%s%N)"
cat > "$WORK/s3.json" <<JSON
{"identities":[{"name":"bench","credentials":[{"accessKey":"$AWS_ACCESS_KEY_ID","secretKey":"$AWS_SECRET_ACCESS_KEY"}],"actions":["Admin","Read","Write","List"]}]}
JSON
# weed takes each gRPC port as given; pick eight free ones.
P=(); for _ in 1 2 3 4 5 6 7 8; do P+=("$(free_port)"); done
mkdir -p "$WORK/weed"
weed server -dir "$WORK/weed" -ip 127.0.0.1 -ip.bind 127.0.0.1 -master.telemetry=false -iam=false \
  -master.port "${P[0]}" -master.port.grpc "${P[1]}" -volume.port "${P[2]}" -volume.port.grpc "${P[3]}" \
  -filer -filer.port "${P[4]}" -filer.port.grpc "${P[5]}" -s3 -s3.port "${P[6]}" -s3.port.grpc "${P[7]}" \
  -s3.port.iceberg 0 -s3.port.lance 0 \
  -s3.config "$WORK/s3.json" -master.volumeSizeLimitMB 1024 -volume.max 0 >"$WORK/weed.log" 2>&1 &
WEED_PID=$!
BLOBS="s3://bench?endpoint=http://127.0.0.1:${P[6]}&region=us-east-1"
for _ in $(seq 1 120); do
  "$BIN" blobs benchmark --data-dir "$WORK/data" --blobs "$BLOBS" --count 1 --size-mib 0.001 --create-bucket >/dev/null 2>&1 && break
  sleep 0.5
done

echo "== local folder ($WORK/data/blobs)"
"$BIN" blobs benchmark --data-dir "$WORK/data" --count "$COUNT" --size-mib "$SIZE"
echo "== SeaweedFS $(weed version 2>/dev/null | head -1 | awk '{print $3}') over S3 on loopback"
"$BIN" blobs benchmark --data-dir "$WORK/data" --blobs "$BLOBS" --count "$COUNT" --size-mib "$SIZE"

if [ -n "${PAGES_FROM:-}" ]; then
  echo "== daemon, 1 worker, over $PAGES_FROM: blobs in a folder, then in SeaweedFS"
  "$BIN" benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 1 --no-tesseract \
    --blobs folder --blobs "$BLOBS" "$PAGES_FROM"
fi
