#!/bin/sh
# Runs the end-to-end tests against a real server: starts `cartonum serve`
# on a free loopback port with the given database, waits for it, runs
# `npm run e2e` with CARTONUM_URL, and stops the server whatever happens.
#
#   web/e2e/run-with-server.sh [BIN] [DB]     (from the repository root)
#   defaults: bin/cartonum data/cartonum-32.db
set -eu
BIN=${1:-bin/cartonum}
DB=${2:-data/cartonum-32.db}
[ -x "$BIN" ] || { echo "e2e: $BIN not found (make build)" >&2; exit 1; }
[ -f "$DB" ] || { echo "e2e: $DB not found (make import)" >&2; exit 1; }
LOG=$(mktemp "${TMPDIR:-/tmp}/cartonum-e2e-serve.XXXXXX")

# Port 0: the kernel picks a free port, read back from the "serving" log line.
CARTONUM_LOG_FORMAT=text "$BIN" serve --db "$DB" --addr 127.0.0.1:0 --reload-interval 0 >"$LOG" 2>&1 &
PID=$!
cleanup() {
	kill "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
	rm -f "$LOG"
}
trap cleanup EXIT INT TERM

ADDR=
i=0
while [ $i -lt 150 ]; do
	ADDR=$(sed -n 's/.*msg=serving addr=\([0-9.:]*\).*/\1/p' "$LOG" | head -n 1)
	if [ -n "$ADDR" ] && curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$PID" 2>/dev/null; then cat "$LOG" >&2; echo "e2e: the server stopped" >&2; exit 1; fi
	ADDR=
	i=$((i + 1))
	sleep 0.2
done
[ -n "$ADDR" ] || { cat "$LOG" >&2; echo "e2e: the server did not start" >&2; exit 1; }
echo "e2e: server on http://$ADDR"

cd "$(dirname "$0")/.."
CARTONUM_URL="http://$ADDR" npm run e2e
