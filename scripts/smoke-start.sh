#!/usr/bin/env bash
# Starts the shop as `npm start` does on a fresh clone (no DATABASE_URL: embedded PostgreSQL under
# .data/), checks that the catalog lists the seeded products, stops it with SIGTERM (exit 0 expected),
# starts it again and checks that what was written before is still there.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3199}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

start() {
  env -u DATABASE_URL PORT=$port NODE_ENV=production SESSION_SECRET=smoke-test-secret-of-at-least-32-chars \
    node dist/src/server.js >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 $pid 2>/dev/null || { cat "$log"; echo "the shop exited during start-up"; exit 1; }
    sleep 0.5
  done
  cat "$log"; echo "the shop did not answer /healthz"; exit 1
}

stop() {
  kill -TERM $pid
  local status=0
  wait $pid || status=$?
  [ $status = 0 ] || { cat "$log"; echo "exit code after SIGTERM was $status, not 0"; exit 1; }
}

npm run build --silent
start
count=$(curl -fs "http://127.0.0.1:$port/" | grep -c 'class="product-card"')
[ "$count" -ge 12 ] || { echo "the catalog lists $count products, expected at least 12"; exit 1; }
echo "first start: the catalog lists $count seeded products"
stop
start
again=$(curl -fs "http://127.0.0.1:$port/" | grep -c 'class="product-card"')
[ "$again" = "$count" ] || { echo "after a restart the catalog lists $again products, not $count"; exit 1; }
echo "restart: the data is still there ($again products), seeding did not run twice"
stop
