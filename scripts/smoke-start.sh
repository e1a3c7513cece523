#!/usr/bin/env bash
# Starts the shop as `npm start` does on a fresh clone (no DATABASE_URL: embedded PostgreSQL under .data/; no
# NODE_ENV or SESSION_SECRET: development, with a secret generated into .data/), checks that the catalog lists
# the seeded products and registers an account, stops it with SIGTERM (exit 0 expected), starts it again and
# checks that the account, its session and the catalog are all still there.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3199}
url="http://127.0.0.1:$port"
log=$(mktemp)
jar=$(mktemp)
trap 'rm -f "$log" "$jar"' EXIT
email="smoke-$(date +%s)@example.test"

start() {
  env -u DATABASE_URL -u NODE_ENV -u SESSION_SECRET PORT=$port node dist/src/server.js >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do
    curl -fs "$url/healthz" >/dev/null 2>&1 && return 0
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

fail() { cat "$log"; echo "$1"; exit 1; }

npm run build --silent
start
count=$(curl -fs "$url/" | grep -c 'class="product-card"')
[ "$count" -ge 12 ] || fail "the catalog lists $count products, expected at least 12"
echo "first start: the catalog lists $count seeded products"
token=$(curl -fs -c "$jar" -b "$jar" "$url/register" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
status=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "_csrf=$token" \
  --data-urlencode "email=$email" --data-urlencode "password=smoke test password" "$url/register")
[ "$status" = 303 ] || fail "registering answered $status, not 303"
echo "first start: registered $email"
stop

start
again=$(curl -fs "$url/" | grep -c 'class="product-card"')
[ "$again" = "$count" ] || fail "after a restart the catalog lists $again products, not $count"
curl -fs -b "$jar" "$url/account" | grep -q "$email" || fail "after a restart the session of $email is gone"
echo "restart: $email is still signed in (its session and the generated secret were kept); $again products, seeded once"
stop
