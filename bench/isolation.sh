#!/usr/bin/env bash
# What decoding in a child process costs per page: `posteingang decode` over the fixtures,
# in process and isolated (as the daemon does), each file decoded REPEAT times.
#
#   bench/isolation.sh [BINARY=.build/release/posteingang] [REPEAT=5]
set -euo pipefail
cd "$(dirname "$0")/.."
B="${1:-.build/release/posteingang}"
REPEAT="${2:-5}"
FILES=(fixtures/scan/*.png fixtures/scan/*.tif fixtures/photo/*.jpg fixtures/photo/*.heic fixtures/photo/*.webp fixtures/digital/*.pdf fixtures/scan/*.pdf)
for mode in "" "--isolated"; do
  "$B" decode $mode --repeat "$REPEAT" "${FILES[@]}" 2>/dev/null || true
done | python3 -c '
import json, sys, collections
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
agg = collections.defaultdict(lambda: [0.0, 0, 0])
for r in rows:
    if "pages" not in r: continue
    ext = r["file"].rsplit(".", 1)[-1]
    for key in (ext, "all"):
        a = agg[(key, r["isolated"])]; a[0] += r["ms_per_decode"]; a[1] += r["pages"]; a[2] += 1
print("format   files pages  in-process ms/page  isolated ms/page  cost ms/page")
for key in sorted({k for k, _ in agg}):
    a, b = agg[(key, False)], agg[(key, True)]
    if not a[1] or not b[1]: continue
    print(f"{key:8} {a[2]:5} {a[1]:5} {a[0]/a[1]:19.1f} {b[0]/b[1]:17.1f} {(b[0]-a[0])/a[1]:13.1f}")
'
