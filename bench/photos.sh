#!/usr/bin/env bash
# Photos against scans, ours against plain `tesseract FILE - -l deu`, in one run (the machines
# are shared and noisy: compare figures from the same run only):
#   1. CER, order-free CER and word recall per capture kind, ours and plain tesseract on the
#      same files (posteingang eval --json, bench/photo-metrics.py); 1b. the photos beside
#      scans of the same documents (bench/scans-of-photos.py renders them, not kept in fixtures/)
#   2. time share of the image steps (decode + preparation) against OCR, from process --json
#   3. peak memory (maximum resident set size) reading one 12 MP photo (made in /tmp)
#   4. pages/s of the daemon with 2 workers over the photos beside plain tesseract 2 at a time
# Set SKIP_THROUGHPUT=1 to leave out step 4.
set -euo pipefail
cd "$(dirname "$0")/.."
# The system packages (tesseract, leptonica, ...) as for the tests, and the Python packages of the
# fixture generator, which the metrics and the scans of the photos' documents use.
scripts/setup.sh
python3 -c "import PIL, pillow_heif, numpy, reportlab, qrcode" 2>/dev/null || python3 -m pip install -q -r tools/fixtures/requirements.txt
swift build -c release 2>&1 | grep -E "error|warning" || true
B=.build/release/posteingang
export OMP_THREAD_LIMIT=1
# A folder of this run's own (two runs at once must not write each other's files); kept for a
# look afterwards.
WORK=$(mktemp -d /tmp/posteingang-photos-XXXXXX)
echo "(this run's files: $WORK)"

echo "== 1. accuracy per capture kind, ours beside plain tesseract on the same files"
EVAL=$WORK/eval.json
$B eval --config pipeline.yml --json fixtures > "$EVAL"
python3 bench/photo-metrics.py fixtures "$EVAL" || echo "bench/photo-metrics.py failed (eval JSON kept in $EVAL)"

echo
echo "== 1b. the same documents as office scans (bench/scans-of-photos.py: the generator's scanner model, 300 dpi)"
SCANS=$WORK/scans-of-photos
python3 bench/scans-of-photos.py $SCANS > /dev/null
$B eval --json $SCANS > $WORK/scans-eval.json
python3 - "$EVAL" $WORK/scans-eval.json <<'PY'
import json, sys
photos = [d for d in json.load(open(sys.argv[1]))["documents_detail"] if d["capture"] == "photo"]
scans = json.load(open(sys.argv[2]))["documents_detail"]
def mean(rows, key): return sum(r[key] for r in rows) / len(rows)
p = [mean(photos, k) for k in ("cer", "orderFreeCER", "wordRecall")]
s = [mean(scans, k) for k in ("cer", "orderFreeCER", "wordRecall")]
print(f"photos ({len(photos)}):            CER {100*p[0]:.2f}%, order-free {100*p[1]:.2f}%, word recall {100*p[2]:.2f}%")
print(f"scans of the same ({len(scans)}): CER {100*s[0]:.2f}%, order-free {100*s[1]:.2f}%, word recall {100*s[2]:.2f}%")
print(f"photo / scan of the same documents: CER {p[0]/s[0]:.2f}x, order-free {p[1]/s[1]:.2f}x, "
      f"words missed {(1-p[2])/(1-s[2]):.2f}x (target <= 1.5x)")
PY

echo
echo "== 2. time per stage (process --json, one worker), photos and scans"
for kind in photo scan; do
    # sidecars (NAME.json) are not uploads; an input that fails still leaves the others' lines
    { $B process --config pipeline.yml --cases fixtures/cases.csv --json $(ls fixtures/$kind/* | grep -v '\.json$') 2>/dev/null || true; } \
        | python3 -c '
import json, sys
kind = sys.argv[1]
totals, pages = {}, 0
for line in sys.stdin:
    r = json.loads(line)
    if "timings_ms" not in r: continue
    pages += r.get("pages", 1)
    for k, v in r["timings_ms"].items(): totals[k] = totals.get(k, 0) + v
whole = sum(totals.values())
image = sum(v for k, v in totals.items() if k in ("decode", "prepare", "barcode", "datamatrix"))
matrix = totals.get("datamatrix", 0)
print(f"{kind}: image steps (decode + prepare + barcode + datamatrix) {100 * image / whole:.1f}% of page time; "
      f"without the Data Matrix search {100 * (image - matrix) / (whole - matrix):.1f}%")
print(f"{kind}: {pages} pages, {whole / max(pages, 1):.0f} ms/page: " + ", ".join(
    f"{k} {v / max(pages, 1):.0f} ms ({100 * v / whole:.1f}%)" for k, v in sorted(totals.items(), key=lambda kv: -kv[1])))
' $kind
done

echo
echo "== 3. peak memory for a 12 MP photo (4000x3000 from fixtures/photo/kontoauszug_04.jpg)"
BIG=$WORK/12mp.jpg
python3 -c '
from PIL import Image, ImageOps
im = ImageOps.exif_transpose(Image.open("fixtures/photo/kontoauszug_04.jpg"))
im.resize((3000, 4000), Image.LANCZOS).save("'$BIG'", "JPEG", quality=85)'
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}'; }
echo "ours  ($B read --verbose):      $(peak $B read --verbose $BIG)"
echo "plain (tesseract FILE - -l deu):   $(peak tesseract $BIG - -l deu)"
$B read --verbose $BIG 2>/dev/null | grep -E "^-- " | cut -c1-400 || true

if [ "${SKIP_THROUGHPUT:-0}" != 1 ]; then
    echo
    echo "== 4. throughput over the photos, 2 workers, beside plain tesseract 2 at a time"
    RUN=$($B benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 2 fixtures/photo)
    echo "$RUN"
    # pages/s is the 4th column; "images" rows: ours first, then plain tesseract
    echo "$RUN" | awk '$1 == "images" && /plain tesseract/ {plain = $4} $1 == "images" && !/plain tesseract/ {ours = $4}
        END {if (plain > 0) printf "pages/s over the photo images, 2 workers: ours %.2f, plain tesseract %.2f: ratio %.2f (target >= 1)\n", ours, plain, ours / plain}'
fi
