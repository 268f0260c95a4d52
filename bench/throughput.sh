#!/usr/bin/env bash
# Documents per minute and upload-to-filed latency (p50/p95) of the daemon with 1 and 2
# workers over the fixture documents, beside plain `tesseract` on the same images, in one run
# (the machines are shared and noisy: compare figures from the same run only).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
.build/release/posteingang benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 1,2 fixtures
