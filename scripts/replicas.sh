#!/usr/bin/env bash
# Start N `streamlit run` replicas and nginx in front of them, all on loopback, then (with --load) run
# the lecture-burst script (bench/students.py) through nginx. Ctrl-C or the end of the load stops everything.
# nginx serves Streamlit's own frontend files (pre-compressed here once) and passes the rest to the replicas.
# With --redis, a redis-server on loopback holds the live class for all replicas (MLP_REDIS_URL); --follow N
# runs a live class of N followers through nginx instead of the burst (bench/students.py --follow).
# Usage: bash scripts/replicas.sh [--replicas 2] [--port 8600] [--load "SESSIONS…" [--same 0.8]] [--redis]
#                                 [--follow N]
set -euo pipefail
cd "$(dirname "$0")/.."
REPLICAS=2 PORT=8600 LOAD="" SAME=0.8 REDIS="" FOLLOW=""
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) REPLICAS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --load) LOAD="$2"; shift 2 ;;
    --same) SAME="$2"; shift 2 ;;
    --redis) REDIS=1; shift ;;
    --follow) FOLLOW="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PY="${PYTHON:-.venv/bin/python}"
command -v nginx >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq nginx-light >/dev/null; } || {
  echo "nginx is needed: apt-get install nginx-light" >&2; exit 1; }
DIR="$(pwd)/artifacts/replicas"
mkdir -p "$DIR"
PIDS=() REDIS_PID=""
cleanup() {
  [ -f "$DIR/nginx.pid" ] && nginx -c "$DIR/nginx.conf" -s stop 2>/dev/null || true
  for pid in "${PIDS[@]}" $REDIS_PID; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
if [ -n "$REDIS" ]; then
  command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install redis-server" >&2; exit 1; }
  redis-server --port $((PORT + 99)) --bind 127.0.0.1 --save "" --appendonly no > "$DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  export MLP_REDIS_URL="redis://127.0.0.1:$((PORT + 99))/0"  # every replica's class store
fi
LINES=""
for i in $(seq 1 "$REPLICAS"); do
  p=$((PORT + i))
  "$PY" -m streamlit run streamlit_app.py --server.headless true --server.address 127.0.0.1 \
    --server.port "$p" --browser.gatherUsageStats false \
    > "$DIR/replica-$p.log" 2>&1 &
  PIDS+=($!)
  LINES="$LINES        server 127.0.0.1:$p;\n"
done
# Streamlit's frontend, with a .gz beside each text file for nginx's gzip_static (made once per streamlit version)
SRC="$("$PY" -c 'import os, streamlit; print(os.path.join(os.path.dirname(streamlit.__file__), "static"))')"
VERSION="$("$PY" -c 'import streamlit; print(streamlit.__version__)')"
STATIC="$DIR/static-$VERSION"
if [ ! -f "$STATIC/.done" ]; then
  rm -rf "$STATIC" && cp -r "$SRC" "$STATIC"
  find "$STATIC" -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.json' -o -name '*.svg' \
    -o -name '*.map' -o -name '*.txt' \) -exec gzip -k -6 {} +
  touch "$STATIC/.done"
fi
MIME=/etc/nginx/mime.types
[ -f "$MIME" ] || { echo "nginx's mime.types not found at $MIME" >&2; exit 1; }
sed -e "s#@PORT@#$PORT#; s#@DIR@#$DIR#g; s#@REPLICAS@#$LINES#; s#@STATIC@#$STATIC#; s#@MIME@#$MIME#" \
  deploy/nginx.conf > "$DIR/nginx.conf"
for i in $(seq 1 "$REPLICAS"); do
  p=$((PORT + i))
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/_stcore/health" >/dev/null && break; sleep 0.5; done
done
nginx -c "$DIR/nginx.conf"
for _ in $(seq 1 20); do curl -sf "http://127.0.0.1:$PORT/_stcore/health" >/dev/null && break; sleep 0.3; done
echo "nginx on http://127.0.0.1:$PORT → $REPLICAS replicas (logs in $DIR)"
METRICS=$(for i in $(seq 1 "$REPLICAS"); do echo "http://127.0.0.1:$((PORT + i))"; done)
if [ -n "$FOLLOW" ]; then
  # shellcheck disable=SC2086
  "$PY" bench/students.py --follow "$FOLLOW" --url "http://127.0.0.1:$PORT" --pid "${PIDS[@]}" --metrics $METRICS
elif [ -n "$LOAD" ]; then
  # shellcheck disable=SC2086  (several burst sizes, one after another)
  "$PY" bench/students.py --sessions $LOAD --same "$SAME" --url "http://127.0.0.1:$PORT" --pid "${PIDS[@]}" \
    --metrics $METRICS
  for i in $(seq 1 "$REPLICAS"); do
    p=$((PORT + i))
    echo "  replica :$p served $(grep -c 'training Config' "$DIR/replica-$p.log" || true) trainings"
  done
else
  echo "Ctrl-C to stop."
  wait
fi
