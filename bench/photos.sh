#!/usr/bin/env bash
# Photos against scans, ours against plain `tesseract FILE - -l deu`, in one run (the machines
# are shared and noisy: compare figures from the same run only):
#   1. CER, order-free CER and word recall per capture kind, ours and plain tesseract on the
#      same files (posteingang eval --json, bench/photo-metrics.py); 1b. the photos beside
#      scans of the same documents (bench/scans-of-photos.py renders them, not kept in fixtures/)
#   2. time share of the image steps against OCR, from process --json; 2b. accuracy on the same
#      photos rendered at 12 MP (bench/photos-12mp.py)
#   3. peak memory (maximum resident set size) reading one 12 MP photo (made in /tmp)
#   4. pages/s of the daemon with 2 workers over the photos (as in fixtures/, and at 12 MP) beside
#      plain tesseract 2 at a time
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
echo "== 2. time per stage (process --json, one worker): photos, scans, and the photos at 12 MP"
# The photo fixtures are 4-8 MP (to keep the repository small); the issue speaks of 12 MP phone
# photos. bench/photos-12mp.py renders the same documents with the same capture at 4000 x 3000
# (cached in a folder named after the generator's checksum: rendering takes ~3 minutes).
P12=/tmp/posteingang-photos-12mp-$(cat tools/fixtures/generate.py bench/photos-12mp.py | md5sum | cut -c1-10)
python3 bench/photos-12mp.py $P12 > /dev/null
for kind in photo scan 12mp; do
    if [ $kind = 12mp ]; then files=$(ls $P12/photo/* | grep -v '\.json$'); else files=$(ls fixtures/$kind/* | grep -v '\.json$'); fi
    # sidecars (NAME.json) are not uploads; an input that fails still leaves the others' lines
    { $B process --config pipeline.yml --cases fixtures/cases.csv --json $files 2>/dev/null || true; } \
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
share = lambda names: 100 * sum(v for k, v in totals.items() if k in names.split()) / whole
prep, dec, codes = share("prepare"), share("prepare decode"), share("prepare decode barcode datamatrix")
print(f"{kind}: image steps of the issue (orientation, page, light, skew, scale = prepare) {prep:.1f}% of page time; "
      f"with decoding {dec:.1f}%; with the barcode and Data Matrix search too {codes:.1f}%")
print(f"{kind}: {pages} pages, {whole / max(pages, 1):.0f} ms/page: " + ", ".join(
    f"{k} {v / max(pages, 1):.0f} ms ({100 * v / whole:.1f}%)" for k, v in sorted(totals.items(), key=lambda kv: -kv[1])))
' $kind
done

echo
echo "== 2b. the photos at 12 MP: accuracy (eval --json $P12)"
$B eval --config pipeline.yml --json $P12 > $WORK/eval-12mp.json
python3 - $WORK/eval-12mp.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); rows = [r for r in d["documents_detail"] if r.get("cer") is not None]
mean = lambda k: 100 * sum(r[k] for r in rows) / len(rows)
print(f"12 MP photos ({len(rows)}): CER {mean('cer'):.2f}%, order-free {mean('orderFreeCER'):.2f}%, word recall {mean('wordRecall'):.2f}%; "
      f"classes {d['class_correct']}/{len(d['documents_detail'])}, fields {d['fields_correct']}/{d['fields_total']}, "
      f"cases right {d['cases_correct']}, wrong {d['cases_wrong']}, to review {d['cases_sent_to_review']}")
PY

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
    echo "== 4. throughput, 2 workers, beside plain tesseract 2 at a time: the photo fixtures (4-8 MP), then the same at 12 MP"
    for set in fixtures/photo $P12/photo; do
        RUN=$($B benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 2 $set)
        echo "$RUN"
        # pages/s is the 4th column; "images" rows: ours first, then plain tesseract
        echo "$RUN" | awk -v set=$set '$1 == "images" && /plain tesseract/ {plain = $4} $1 == "images" && !/plain tesseract/ {ours = $4}
            END {if (plain > 0) printf "pages/s over the images in %s, 2 workers: ours %.2f, plain tesseract %.2f: ratio %.2f (target >= 1)\n", set, ours, plain, ours / plain}'
    done
fi
