#!/usr/bin/env bash
# Sets everything up and runs the worker daemon on the embedded default: SQLite and local
# folders under ./posteingang-data. With --demo, the bundled fixture documents are dropped
# into the inbox and the demo case register is imported, so there is something to see:
#   scripts/run.sh --demo        then, in another shell:
#   .build/release/posteingang inbox --data-dir posteingang-data
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release
BIN=.build/release/posteingang
DATA=${POSTEINGANG_DATA:-posteingang-data}

if [ "${1:-}" = "--demo" ]; then
  shift
  "$BIN" cases import --data-dir "$DATA" fixtures/cases.csv
  mkdir -p "$DATA/spool/inbox"
  for f in fixtures/scan/* fixtures/photo/* fixtures/digital/*; do
    name=$(basename "$f")
    cp "$f" "$DATA/spool/inbox/$name.part" && mv "$DATA/spool/inbox/$name.part" "$DATA/spool/inbox/$name"
  done
fi

echo "posteingang: daemon on $DATA (drop files into $DATA/spool/inbox; Ctrl-C stops after the documents in hand)"
exec "$BIN" run --data-dir "$DATA" --config pipeline.yml "$@"
