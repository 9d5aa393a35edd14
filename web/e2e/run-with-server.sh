#!/bin/sh
# Runs the end-to-end tests against a real server: starts `cartonum serve`
# on a free loopback port with the given database, waits for it, runs
# `npm run SCRIPT` (default e2e) with CARTONUM_URL, and stops the server
# whatever happens.
# A fake geocoder (e2e/fake-ban.mjs) on another free loopback port serves
# the address search (--geocoder).
#
#   web/e2e/run-with-server.sh [BIN] [DB] [SCRIPT]   (from the repository root)
#   defaults: bin/cartonum data/cartonum-32.db e2e
#   (SCRIPT e2e:synthetic: the tests of the synthetic region, e2e/synthetic/)
set -eu
BIN=${1:-bin/cartonum}
DB=${2:-data/cartonum-32.db}
SCRIPT=${3:-e2e}
[ -x "$BIN" ] || { echo "e2e: $BIN not found (make build)" >&2; exit 1; }
[ -f "$DB" ] || { echo "e2e: $DB not found (make import)" >&2; exit 1; }
LOG=$(mktemp "${TMPDIR:-/tmp}/cartonum-e2e-serve.XXXXXX")
BANLOG=$(mktemp "${TMPDIR:-/tmp}/cartonum-e2e-ban.XXXXXX")
PID=
BANPID=
cleanup() {
	for p in $PID $BANPID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -f "$LOG" "$BANLOG"
}
trap cleanup EXIT INT TERM

# The accounts of the contribution tests (e2e/contribution.test.mjs): a
# moderator of the Somme (80), one of the Nord (59) and an administrator,
# the password on standard input (never an option). An account already in
# the database (second run on the same file) is kept.
E2E_PASSWORD=${CARTONUM_E2E_PASSWORD:-e2e-mot-de-passe-2026}
export CARTONUM_E2E_PASSWORD="$E2E_PASSWORD"
add_user() {
	if ! out=$(printf '%s\n' "$E2E_PASSWORD" | "$BIN" users add --db "$DB" "$@" 2>&1); then
		case "$out" in
		*existe*|*exists*|*UNIQUE*) echo "e2e: account kept ($*)" ;;
		*) echo "$out" >&2; echo "e2e: could not create the account ($*)" >&2; exit 1 ;;
		esac
	fi
}
add_user --email moderateur80@example.fr --role moderateur --departement 80
add_user --email moderateur59@example.fr --role moderateur --departement 59
add_user --email admin@example.fr --role administrateur

# A fake address geocoder (Base Adresse Nationale shape) on a free loopback
# port, so that address search is tested without the internet.
node "$(dirname "$0")/fake-ban.mjs" >"$BANLOG" 2>&1 &
BANPID=$!
BANPORT=
i=0
while [ $i -lt 100 ]; do
	BANPORT=$(sed -n 's/^fake-ban listening on \([0-9]*\)$/\1/p' "$BANLOG" | head -n 1)
	[ -n "$BANPORT" ] && break
	if ! kill -0 "$BANPID" 2>/dev/null; then cat "$BANLOG" >&2; echo "e2e: the fake geocoder stopped" >&2; exit 1; fi
	i=$((i + 1))
	sleep 0.1
done
[ -n "$BANPORT" ] || { cat "$BANLOG" >&2; echo "e2e: the fake geocoder did not start" >&2; exit 1; }
echo "e2e: fake geocoder on http://127.0.0.1:$BANPORT/search/"

# Port 0: the kernel picks a free port, read back from the "serving" log line.
# --min-fill 0: the tests send forms at once.
# --frame-ancestors: the embed tests (e2e/embed.test.mjs) frame the embed
# page from a page served on 127.0.0.2 (allowed) and on 127.0.0.3 (refused).
CARTONUM_LOG_FORMAT=text "$BIN" serve --db "$DB" --addr 127.0.0.1:0 --reload-interval 0 --min-fill 0 \
	--geocoder "http://127.0.0.1:$BANPORT/search/" --frame-ancestors "http://127.0.0.2:*" >"$LOG" 2>&1 &
PID=$!

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

# The binary and database, absolute, for the tests that start a server of
# their own (e2e/pmtiles.test.mjs: --pmtiles-url).
CARTONUM_BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
CARTONUM_DB=$(cd "$(dirname "$DB")" && pwd)/$(basename "$DB")
export CARTONUM_BIN CARTONUM_DB
cd "$(dirname "$0")/.."
CARTONUM_URL="http://$ADDR" npm run "$SCRIPT"
