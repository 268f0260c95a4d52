#!/usr/bin/env bash
# A local Posteingang cluster in one command, on loopback, for the demo and for trying things
# out: PostgreSQL (the E-Akte and the work queue), SeaweedFS (`weed server -s3`, the documents),
# two stateless front ends (`serve --workers 0`) and three workers (`run`), each worker with its
# own data directory as if on its own host. Installs what is missing (scripts/setup.sh --tests),
# builds, prints the URLs and a token, and stops everything on Ctrl-C.
#
#   scripts/cluster.sh                 # everything under a new temporary folder
#   CLUSTER_DIR=/srv/demo scripts/cluster.sh --demo   # keep the data; --demo also uploads the fixtures
#   scripts/cluster.sh --bench [FOLDER]   # no cluster: on the same PostgreSQL and SeaweedFS, print
#       the queue's cost per job (queue-benchmark, 10,000 jobs) and pages/s of one worker on
#       PostgreSQL + SeaweedFS beside the embedded default over FOLDER (default fixtures/digital), then stop
#
# Environment: CLUSTER_DIR (default: a new folder under /tmp), CLUSTER_PORT (first HTTP port,
# default 8080; the front ends take it and the next), BUILD (debug or release, default release),
# POSTEINGANG_BIN (a built posteingang to use instead of building).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEMO=0
BENCH=""
case "${1:-}" in
  --demo) DEMO=1 ;;
  --bench) BENCH=${2:-fixtures/digital} ;;
esac

scripts/setup.sh --tests
if [ -n "${POSTEINGANG_BIN:-}" ]; then
  BIN=$POSTEINGANG_BIN
else
  BUILD=${BUILD:-release}
  swift build -c "$BUILD" --product posteingang
  BIN="$ROOT/.build/$BUILD/posteingang"
fi

DIR=${CLUSTER_DIR:-$(mktemp -d /tmp/posteingang-cluster.XXXXXX)}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
PORT=${CLUSTER_PORT:-8080}
PG_BIN=${POSTEINGANG_PG_BIN:-/usr/lib/postgresql/15/bin}
PIDS=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_all() {
  local status=${1:-0}
  trap - INT TERM EXIT
  echo
  echo "cluster: stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${WEED_PID:-}" ] && kill -KILL "$WEED_PID" 2>/dev/null || true
  as_postgres "$PG_BIN/pg_ctl" stop -D "$DIR/postgres/data" -m fast -w >/dev/null 2>&1 || true
  echo "cluster: stopped; data in $DIR"
  exit "$status"
}
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

# PostgreSQL: initdb once, then start on a free loopback port (as user postgres when root).
PG_PORT=$(free_port)
if [ ! -d "$DIR/postgres/data" ]; then
  mkdir -p "$DIR/postgres"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$DIR/postgres"
  as_postgres "$PG_BIN/initdb" -D "$DIR/postgres/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_postgres "$PG_BIN/pg_ctl" start -D "$DIR/postgres/data" -w -t 60 -l "$DIR/postgres/server.log" \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $DIR/postgres" >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'akte'" | grep -q 1 \
  || "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE akte"
export POSTEINGANG_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/akte"

# SeaweedFS: master, volume, filer and S3 on loopback; every S3 request must be signed.
mkdir -p "$DIR/seaweedfs/data"
WEED_PORTS=()
for _ in 1 2 3 4; do
  while :; do
    p=$(( (RANDOM % 4000) * 2 + 30000 ))
    python3 -c "import socket,sys; [socket.socket().bind(('127.0.0.1', q)) for q in ($p, $p + 1)]" 2>/dev/null && break
  done
  WEED_PORTS+=("$p")
done
if [ ! -s "$DIR/seaweedfs/keys" ]; then
  echo "posteingang $(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$DIR/seaweedfs/keys"
  chmod 600 "$DIR/seaweedfs/keys"
fi
read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY <"$DIR/seaweedfs/keys"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
cat >"$DIR/seaweedfs/s3.json" <<JSON
{"identities":[{"name":"posteingang","credentials":[{"accessKey":"$AWS_ACCESS_KEY_ID","secretKey":"$AWS_SECRET_ACCESS_KEY"}],
"actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
(cd "$DIR/seaweedfs" && exec weed server -dir "$DIR/seaweedfs/data" -ip 127.0.0.1 -ip.bind 127.0.0.1 \
  -master.port "${WEED_PORTS[0]}" -master.port.grpc $((WEED_PORTS[0] + 1)) -master.telemetry=false \
  -master.volumeSizeLimitMB 64 -volume.max 0 -volume.port "${WEED_PORTS[1]}" -volume.port.grpc $((WEED_PORTS[1] + 1)) \
  -filer -filer.port "${WEED_PORTS[2]}" -filer.port.grpc $((WEED_PORTS[2] + 1)) \
  -s3 -s3.port "${WEED_PORTS[3]}" -s3.port.grpc $((WEED_PORTS[3] + 1)) -s3.port.iceberg 0 -s3.port.lance 0 \
  -s3.config "$DIR/seaweedfs/s3.json" -iam=false >>"$DIR/seaweedfs/weed.log" 2>&1) &
WEED_PID=$!
export POSTEINGANG_BLOBS="s3://posteingang?endpoint=http://127.0.0.1:${WEED_PORTS[3]}&region=us-east-1"
# The bucket, made once the filer answers (blobs benchmark --create-bucket makes it, then writes one blob).
for i in $(seq 1 120); do
  "$BIN" blobs benchmark --data-dir "$DIR/setup" --count 1 --size-mib 0.01 --create-bucket >/dev/null 2>&1 && break
  [ "$i" -eq 120 ] && { echo "cluster: SeaweedFS did not come up; see $DIR/seaweedfs/weed.log"; exit 1; }
  sleep 0.5
done

if [ -n "$BENCH" ]; then
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE queuebench_$$"
  "$BIN" queue-benchmark --database "postgres://postgres@127.0.0.1:$PG_PORT/queuebench_$$" --jobs "${BENCH_JOBS:-10000}" --workers 2 --lease 2
  OMP_THREAD_LIMIT=1 "$BIN" benchmark --config pipeline.yml --cases fixtures/cases.csv --worker-counts 1 --no-tesseract \
    --blobs folder --blobs "$POSTEINGANG_BLOBS" --database "$POSTEINGANG_DATABASE_URL" "$BENCH"
  exit 0
fi

# The E-Akte's schema, the case register and a token, through the first front end's data directory.
"$BIN" cases import --data-dir "$DIR/front-1" fixtures/cases.csv >/dev/null
TOKEN=$("$BIN" tokens create --data-dir "$DIR/front-1" --client cluster-demo --rate 6000/min | head -1)

for n in 1 2; do
  port=$((PORT + n - 1))
  "$BIN" serve --data-dir "$DIR/front-$n" --config pipeline.yml --port "$port" --workers 0 \
    >>"$DIR/front-$n.log" 2>&1 &
  PIDS+=($!)
done
for n in 1 2 3; do
  metrics=$(free_port)
  "$BIN" run --data-dir "$DIR/worker-$n" --config pipeline.yml --workers 1 --lease 10 --metrics-port "$metrics" \
    >>"$DIR/worker-$n.log" 2>&1 &
  PIDS+=($!)
  echo "$metrics" >"$DIR/worker-$n.metrics-port"
done
for n in 1 2; do
  port=$((PORT + n - 1))
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.5; done
done

echo
echo "cluster: running (data and logs in $DIR)"
echo "  PostgreSQL   $POSTEINGANG_DATABASE_URL"
echo "  SeaweedFS    $POSTEINGANG_BLOBS (keys in $DIR/seaweedfs/keys)"
for n in 1 2; do echo "  front end $n  http://127.0.0.1:$((PORT + n - 1))/   (log $DIR/front-$n.log)"; done
for n in 1 2 3; do echo "  worker $n     metrics http://127.0.0.1:$(cat "$DIR/worker-$n.metrics-port")/metrics   (log $DIR/worker-$n.log)"; done
echo "  API token    $TOKEN"
echo "  upload:      curl -H 'Authorization: Bearer $TOKEN' -F file=@fixtures/digital/<file>.pdf http://127.0.0.1:$PORT/api/v1/uploads"
echo "  the E-Akte:  POSTEINGANG_DATABASE_URL=$POSTEINGANG_DATABASE_URL $BIN inbox"
if [ "$DEMO" -eq 1 ]; then
  for f in fixtures/digital/* fixtures/scan/*; do
    n=$(( RANDOM % 2 ))
    curl -s -o /dev/null -w "  %{http_code} $(basename "$f")\n" -H "Authorization: Bearer $TOKEN" -F "file=@$f" \
      "http://127.0.0.1:$((PORT + n))/api/v1/uploads"
  done
fi
echo "Ctrl-C stops everything."
while :; do
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "cluster: process $pid ended; see the logs in $DIR"; exit 1; }
  done
  sleep 2
done
