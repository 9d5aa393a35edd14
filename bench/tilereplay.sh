#!/bin/bash
# Cache hit rate and bytes a browser fetches again after one accepted
# change of the data, for each kind of change (phone number: no tile shows
# it; opening hours and name: the sites layer), with bench/tilereplay.
#
#   bash bench/tilereplay.sh                       # this checkout
#   BEFORE_BIN=/path/to/old/cartonum bash bench/tilereplay.sh   # and an older build, side by side
#
# Each run imports the region from the data mirror ($DATA_MIRROR, default
# ../shared/data) into a temporary database, starts `serve --reload-interval
# 1s` on a free loopback port, replays a map session, imports a one-row CSV
# changing the first place (the store seam of an accepted contribution),
# waits for the new generation and replays the session again.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DATA=${DATA_MIRROR:-../shared/data}
REGION=${REGION:-32}
CHANGES=${CHANGES:-"phone hours name"}
WORK=$(mktemp -d /tmp/cartonum-tilereplay.XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
BIN=${BIN:-$WORK/cartonum}
[ -x "$BIN" ] || go build -o "$BIN" ./cmd/cartonum
go build -o "$WORK/tilereplay" ./bench/tilereplay


replay() { # bin change
	local bin=$1 change=$2 db="$WORK/c.db" port
	rm -f "$db"*
	"$bin" import --db "$db" --region "$REGION" --communes "$DATA/communes-$REGION.geojson" \
		--epci "$DATA/epci-$REGION.json" --departements "$DATA/departements-$REGION.geojson" \
		--margin-km 30 --report "$WORK/report.json" "$DATA/lieux-$REGION-v1.csv" "$DATA/lieux-france-v1.csv" >/dev/null 2>&1
	port=$(free_port)
	"$bin" serve --db "$db" --addr "127.0.0.1:$port" --reload-interval 1s --log-level warn >"$WORK/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
	"$WORK/tilereplay" -base "http://127.0.0.1:$port" -bin "$bin" -db "$db" -places "$DATA/lieux-$REGION-v1.csv" -change "$change"
	kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

for change in $CHANGES; do
	if [ -n "${BEFORE_BIN:-}" ]; then
		echo "== before: $BEFORE_BIN, change: $change"
		replay "$BEFORE_BIN" "$change"
	fi
	echo "== this build, change: $change"
	replay "$BIN" "$change"
done
