#!/usr/bin/env bash
# Issue 15 in one run (the machines are shared and noisy: compare figures from the same run only):
#   1. HEIC decoding: ours (posteingang decode --isolated, grey) beside heif-convert and
#      pillow-heif on the same 12 MP files, iPhone-like grids and single coded images
#      (bench/heic-compare.py)
#   2. a mixed set like real uploads: 12 MP photos as JPEG and HEIC (bench/photos-12mp.py),
#      300 dpi scans as PDF, TIFF and PNG (fixtures/scan), born-digital PDFs (fixtures/digital);
#      `posteingang benchmark --worker-counts 2` prints pages/s beside plain tesseract 2 at a
#      time (OMP_THREAD_LIMIT=1, PDF pages rendered at 300 dpi for it beforehand), the share of
#      each stage, the peak memory of one worker reading a 12 MP photo, and the HEICs' decode
#      time beside heif-convert.
# B=path/to/posteingang skips the build (e.g. to measure an older binary in the same way).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import PIL, pillow_heif, numpy" 2>/dev/null || python3 -m pip install -q -r tools/fixtures/requirements.txt
if [ -z "${B:-}" ]; then
    swift build -c release 2>&1 | grep -E "error|warning: " || true
    B=.build/release/posteingang
fi
export OMP_THREAD_LIMIT=1
# Cached by the generators' checksum (rendering the 12 MP photos takes a few minutes).
P12=/tmp/posteingang-photos-12mp-$(cat tools/fixtures/generate.py bench/photos-12mp.py | md5sum | cut -c1-10)
[ -d $P12/photo ] || python3 bench/photos-12mp.py $P12 > /dev/null
GRIDS=/tmp/posteingang-heic-12mp-$(cat tools/fixtures/format_variants.py | md5sum | cut -c1-10)
[ -f $GRIDS/photo12-grid.heic ] || python3 tools/fixtures/format_variants.py --only none --photos12mp $GRIDS > /dev/null

echo "== 1. HEIC decoding, 12 MP (median ms per file)"
python3 bench/heic-compare.py $B $GRIDS/*.heic $P12/photo/*.heic

echo
echo "== 2. the mixed set, ours beside plain tesseract, 2 at a time"
MIX=$(mktemp -d /tmp/posteingang-mixed-XXXXXX)
mkdir -p $MIX/photo $MIX/scan $MIX/digital
cp $P12/photo/*.jpg $P12/photo/*.heic $MIX/photo/
cp fixtures/scan/*.pdf fixtures/scan/*.tif $MIX/scan/
cp fixtures/digital/*.pdf $MIX/digital/
echo "($(ls $MIX/photo | wc -l) photos, $(ls $MIX/scan | wc -l) scans, $(ls $MIX/digital | wc -l) born-digital PDFs in $MIX)"
$B benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 2 $MIX
rm -rf $MIX
