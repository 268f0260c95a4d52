#!/usr/bin/env bash
# Sets everything up and runs the worker daemon on the embedded default: SQLite and local
# folders under ./posteingang-data, with the upload API and the caseworkers' pages on
# http://127.0.0.1:8080 in the same process (`posteingang serve`; PORT=... to change it).
# With --demo, the demo case register is imported, the bundled fixture documents are dropped
# into the inbox, a caseworker account `demo` (roles sachbearbeitung, gesundheit) is made with
# the password printed below, and an API token for the client `demo-app` is printed:
#   scripts/run.sh --demo        then open http://127.0.0.1:8080/ or, in another shell:
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
  if ! "$BIN" users list --data-dir "$DATA" 2>/dev/null | grep -q '^demo\b'; then
    password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    echo "$password" | "$BIN" users add --data-dir "$DATA" demo --role sachbearbeitung --role gesundheit --password-stdin
    echo "posteingang: caseworker login 'demo', password '$password'"
  fi
  token=$("$BIN" tokens create --data-dir "$DATA" --client demo-app 2>/dev/null | head -1)
  echo "posteingang: API token for demo-app: $token"
  echo "  curl -H 'Authorization: Bearer $token' -F file=@fixtures/scan/mietvertrag_01.pdf http://127.0.0.1:${PORT:-8080}/api/v1/uploads"
fi

echo "posteingang: daemon on $DATA (drop files into $DATA/spool/inbox, or upload over HTTP), pages and API on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C stops after the documents in hand)"
exec "$BIN" serve --data-dir "$DATA" --config pipeline.yml --port "${PORT:-8080}" "$@"
