#!/usr/bin/env bash
# Sets everything up and runs the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
export OMP_THREAD_LIMIT=1
swift build --build-tests
swift test --skip-build
