#!/usr/bin/env bash
# Character error rate of our pipeline against plain `tesseract FILE - -l deu` on the same
# fixture files, side by side per capture kind (scan, photo), plus the full eval figures.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
.build/release/posteingang eval --config pipeline.yml --compare-tesseract fixtures
