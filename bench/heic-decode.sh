#!/usr/bin/env bash
# HEIC decoding as the daemon does it (`posteingang decode --isolated`), two builds side by side
# in one run: each file decoded REPEAT times by BEFORE, then by AFTER (with the decoder threads
# a worker gets with 1 and with 2 workers on this machine), alternating, ROUNDS rounds.
#
#   bench/heic-decode.sh BEFORE_BINARY AFTER_BINARY [REPEAT=5] [ROUNDS=3] FILE.heic…
# e.g. 12 MP files from `python3 tools/fixtures/format_variants.py --only none --photos12mp /tmp/heic12`
set -euo pipefail
BEFORE="$1"; AFTER="$2"; REPEAT="${3:-5}"; ROUNDS="${4:-3}"; shift 4
CORES=$(getconf _NPROCESSORS_ONLN)  # not nproc: it honours OMP_THREAD_LIMIT
for round in $(seq "$ROUNDS"); do
  for file in "$@"; do
    "$BEFORE" decode --isolated --repeat "$REPEAT" "$file" | sed 's/^{/{"build":"before","threads":0,/'
    "$AFTER" decode --isolated --threads "$CORES" --repeat "$REPEAT" "$file" | sed "s/^{/{\"build\":\"after\",\"threads\":$CORES,/"
    "$AFTER" decode --isolated --threads 1 --repeat "$REPEAT" "$file" | sed 's/^{/{"build":"after","threads":1,/'
  done
done | python3 -c '
import json, sys, collections, statistics
rows = [json.loads(l) for l in sys.stdin if l.startswith("{")]
times = collections.defaultdict(list)
for r in rows:
    if "error" in r: print("error:", r); continue
    times[(r["file"], r["build"], r["threads"])].append(r["ms_per_decode"])
print("%-40s %-7s %19s %17s %5s" % ("file", "build", "threads", "median ms/decode", "runs"))
base = {}
for (f, b, t), v in sorted(times.items(), key=lambda kv: (kv[0][0], kv[0][1] != "before", -kv[0][2])):
    m = statistics.median(v)
    if b == "before": base[f] = m
    speed = f"  x{base[f] / m:.2f}" if b == "after" and f in base else ""
    label = "libheif default (4)" if b == "before" else str(t)
    print(f"{f[-40:]:40} {b:7} {label:>19} {m:17.0f} {len(v):5}{speed}")
'
