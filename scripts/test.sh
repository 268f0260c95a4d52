#!/usr/bin/env bash
# Runs the tests.
#   scripts/test.sh          everything (what CI runs): installs what the tests start (PostgreSQL,
#                            SeaweedFS, Chromium, axe-core) and runs the whole suite.
#   scripts/test.sh --fast   the unit tests only: every test marked `.slow` (tagged process, ocr,
#                            browser, postgres or seaweedfs) is skipped, and nothing beyond what the
#                            build needs is installed.
# --scratch-path DIR is handed to swift build and swift test (a build folder other than .build).
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=0
SCRATCH=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) FAST=1 ;;
    --scratch-path) SCRATCH=(--scratch-path "${2:?--scratch-path needs a folder}"); shift ;;
    *) echo "usage: scripts/test.sh [--fast] [--scratch-path DIR]" >&2; exit 64 ;;
  esac
  shift
done
export OMP_THREAD_LIMIT=1
if [ "$FAST" -eq 1 ]; then
  scripts/setup.sh
  export POSTEINGANG_FAST_TESTS=1
else
  scripts/setup.sh --tests
fi
swift build --build-tests "${SCRATCH[@]}"
swift test --skip-build "${SCRATCH[@]}"
