#!/usr/bin/env bash
# A realistic public-map load: what the web app asks for in real sessions,
# replayed by wrk, then each endpoint alone.
#
#   bash bench/replay.sh                       # root, or wrk, curl and chromium installed
#   DURATION=20s CONNECTIONS=64 THREADS=2 BIN=path/to/cartonum bash bench/replay.sh
#
# 1. builds (make build) or takes BIN, imports REGION (32) from the data
#    mirror with the neighbouring places, starts `cartonum serve` on loopback;
# 2. records two sessions in Debian's Chromium (bench/replay/record.mjs: a
#    resident in Amiens on a desktop, a social worker in Arras on a phone:
#    search typed key by key, a commune chosen, two place sheets, zooms, a
#    pan, the France Services filter), browser cache disabled: TileJSON,
#    tiles at mixed zooms with filters, /api/sites?near, /api/search, places,
#    glyphs and assets, in order;
# 3. requests every path once (the server's caches warm, as after a few
#    visitors), then wrk replays the list (THREADS, CONNECTIONS, DURATION);
# 4. wrk on one URL at a time: /api/search?q=amie, /api/sites?near, a
#    place, /api/indicators?level=epci, a TileJSON, a cached tile.
# Client, browser and server share this machine's cores: the figures are a
# floor. Targets (issue 13): replay p99 < 50 ms with no error; search, near
# and a place ≥ 10,000 req/s with p99 < 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
REGION=${REGION:-32}
DATA=$(cd "${DATA_MIRROR:-../shared/data}" && pwd)
export DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
need_debs wrk curl chromium
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-replay.XXXXXX")
trap 'stop_server; [[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

cartonum_bin
[[ -d web/node_modules/playwright-core ]] || (cd web && npm ci --no-audit --no-fund >/dev/null)
log "importing region $REGION"
import_region "$BIN" "$WORK/cartonum.db" "$REGION" "$DATA"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
start_server "$BIN" "$WORK/cartonum.db" "$PORT" "$WORK/server.log"
log "recording two sessions in Chromium"
CARTONUM_URL=$BASE node bench/replay/record.mjs "$WORK/session.txt" >&2
log "warming: every path once"
while read -r p; do
	curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{http_code}\n' "$BASE$p"
done <"$WORK/session.txt" | sort | uniq -c | awk '{ printf "  HTTP %s: %s\n", $2, $1 }' >&2
write_wrk_lua "$WORK/paths.lua"

one() { printf '%s\n' "$2" >"$WORK/$1.txt"; echo "$WORK/$1.txt"; }
near=$(grep -m1 '^/api/sites?near=' "$WORK/session.txt")
place=$(grep -m1 -E '^/api/sites/[^?]+$' "$WORK/session.txt")
tilejson=$(grep -m1 -E '^/tiles/[^/]+\.json' "$WORK/session.txt")
tile=$(grep -m1 -E '^/tiles/.*communes.*/1[0-2]/' "$WORK/session.txt" || grep -m1 -E '\.mvt' "$WORK/session.txt")
curl -s -o /dev/null "$BASE/api/indicators?level=epci"

echo
echo "cartonum $(git describe --always --dirty 2>/dev/null || echo '?'), region $REGION, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores shared by wrk and the server"
echo "session: $(wc -l <"$WORK/session.txt") requests ($(grep -c '^/tiles/.*\.mvt' "$WORK/session.txt") tiles, $(grep -c '^/api/' "$WORK/session.txt") API calls)"
echo
table_head
wrk_row "session replay" "$BASE" "$WORK/session.txt"
wrk_row "/api/search?q=amie" "$BASE" "$(one search '/api/search?q=amie&limit=8')"
wrk_row "/api/sites?near" "$BASE" "$(one near "$near")"
wrk_row "a place /api/sites/{id}" "$BASE" "$(one place "$place")"
wrk_row "/api/indicators?level=epci" "$BASE" "$(one indicators '/api/indicators?level=epci')"
wrk_row "TileJSON" "$BASE" "$(one tilejson "$tilejson")"
wrk_row "a cached tile" "$BASE" "$(one tile "$tile")"
echo
grep -E '^Vm(RSS|HWM)' "/proc/$SERVER_PID/status" | tr -s ' \t' ' ' | sed 's/^/server after the load: /'
