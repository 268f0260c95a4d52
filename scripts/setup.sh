#!/usr/bin/env bash
# Installs what Posteingang needs on Debian bookworm (run as root, or with sudo available).
# Safe to run again: it installs only what is missing.
set -euo pipefail

PACKAGES=(
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-deu tesseract-ocr-osd
  libheif-dev libzbar-dev libdmtx-dev libjpeg-dev libssl-dev libsqlite3-dev poppler-utils pkg-config
  postgresql libpq-dev
  chromium python3 curl
)

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

command -v swift >/dev/null || { echo "setup: swift not found on PATH (Swift 6 toolchain required)"; exit 1; }
echo "setup: system packages present; $(tesseract --version 2>&1 | head -1)"
