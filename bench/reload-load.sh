#!/usr/bin/env bash
# Tile latency while the data changes: p99 of cached communes tiles under
# wrk, first steady, then while an import changing one phone number runs
# every 2 s and the server reloads (--reload-interval 1s).
#
#   bash bench/reload-load.sh                  # builds bin/cartonum, then measures
#   BIN=/tmp/before9/bin/cartonum bash bench/reload-load.sh   # another build
#   DURATION=20s THREADS=1 CONNECTIONS=8 PERIOD=2 bash bench/reload-load.sh
#
# What it does:
#   1. installs wrk and curl from Debian when missing (apt-get, as root);
#   2. imports the region from the data mirror into a temporary database and
#      starts `cartonum serve --reload-interval 1s` on 127.0.0.1;
#   3. lists 45 communes tiles (z8–z12 around Lille, 3×3 each) and requests
#      each once to fill the cache;
#   4. wrk -t$THREADS -c$CONNECTIONS for $DURATION: "steady", nothing else runs;
#   5. again while a loop imports, every $PERIOD s, a one-row CSV that gives
#      the region's first place another phone number (alternating two
#      values, so the data version moves every time): "reloads";
#   6. prints requests/s, p50, p99 and max of both runs, their ratio, the
#      reloads the server logged, the time it took to build each new data
#      version ("generation ready" or "tiles ready" lines) and its peak RSS.
# Client, importer and server share this machine's cores: compare runs made
# on the same machine only.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
REGION=${REGION:-32}
DATA_MIRROR=${DATA_MIRROR:-../shared/data}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-8}
PERIOD=${PERIOD:-2}
DATA=$(cd "$DATA_MIRROR" && pwd)
for f in communes-$REGION.geojson epci-$REGION.json departements-$REGION.geojson lieux-$REGION-v1.csv; do
	[[ -f $DATA/$f ]] || { echo "reload-load: $DATA/$f not found (set DATA_MIRROR)" >&2; exit 1; }
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
	[[ $(id -u) -eq 0 ]] || { echo "reload-load: install ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1; }
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

if [[ -z ${BIN:-} ]]; then
	log "make build"
	make -s build >/dev/null
	BIN=./bin/cartonum
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-reload.XXXXXX")
SERVER_PID= LOOP_PID=
cleanup() {
	for p in $LOOP_PID $SERVER_PID; do
		if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
	done
	if [[ -n ${KEEP_WORK:-} ]]; then echo "reload-load: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


log "importing region $REGION into $WORK/cartonum.db"
"$BIN" import --db "$WORK/cartonum.db" --region "$REGION" \
	--communes "$DATA/communes-$REGION.geojson" --epci "$DATA/epci-$REGION.json" \
	--departements "$DATA/departements-$REGION.geojson" --report "$WORK/import.json" \
	"$DATA/lieux-$REGION-v1.csv" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }

# The two one-row files: the first place of the file, phone A or B.
head -1 "$DATA/lieux-$REGION-v1.csv" >"$WORK/header.csv"
row=$(sed -n 2p "$DATA/lieux-$REGION-v1.csv")
for v in a b; do
	phone=$([[ $v == a ]] && echo "+33300000001" || echo "+33300000002")
	{ cat "$WORK/header.csv"; awk -v ph="$phone" 'BEGIN { FS = OFS = "," } { $12 = ph; print }' <<<"$row"; } >"$WORK/change-$v.csv"
done

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
"$BIN" serve --db "$WORK/cartonum.db" --addr "127.0.0.1:$PORT" --reload-interval 1s >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 600); do
	grep -qE 'tiles ready|generation ready' "$WORK/server.log" && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
	((i < 600)) || { echo "reload-load: server not ready after 60 s" >&2; exit 1; }
	sleep 0.1
done

# 45 tiles: z8–z12 around Lille, the tile and its 8 neighbours.
awk -v lon=3.0573 -v lat=50.6366 'BEGIN {
	pi = atan2(0, -1); phi = lat * pi / 180
	for (z = 8; z <= 12; z++) {
		n = 2 ^ z; x = int((lon + 180) / 360 * n)
		y = int((1 - log(sin(phi) / cos(phi) + 1 / cos(phi)) / pi) / 2 * n)
		for (dx = -1; dx <= 1; dx++) for (dy = -1; dy <= 1; dy++)
			printf "/tiles/communes/%d/%d/%d.mvt\n", z, x + dx, y + dy
	}
}' >"$WORK/paths.txt"
while read -r p; do curl -s -o /dev/null -H 'Accept-Encoding: gzip' "$BASE$p"; done <"$WORK/paths.txt"

cat >"$WORK/tiles.lua" <<'LUA'
local requests, i = {}, 0
function init(args)
	wrk.headers["Accept-Encoding"] = "gzip"
	for line in io.lines(args[1]) do requests[#requests + 1] = wrk.format("GET", line) end
end
function request()
	i = i % #requests + 1
	return requests[i]
end
function done(summary, latency, _)
	local e = summary.errors
	io.write(string.format("rps %.0f\np50 %.3f\np99 %.3f\nmax %.3f\nerrors %d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, latency.max / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
run_wrk() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/tiles.lua" "$BASE" -- "$WORK/paths.txt" | tail -5 >"$WORK/$1.out"; }
val() { awk -v k="$2" '$1 == k { print $2 }' "$WORK/$1.out"; }

log "steady: wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
run_wrk steady

log "reloads: an import every $PERIOD s, --reload-interval 1s"
reloads0=$(grep -c 'data reloaded' "$WORK/server.log" || true)
(
	n=0
	while :; do
		v=$([[ $((n % 2)) == 0 ]] && echo b || echo a)
		"$BIN" import --db "$WORK/cartonum.db" --region "$REGION" "$WORK/change-$v.csv" >>"$WORK/loop.log" 2>&1 || true
		n=$((n + 1))
		sleep "$PERIOD"
	done
) &
LOOP_PID=$!
run_wrk reloads
kill "$LOOP_PID" 2>/dev/null || true
wait "$LOOP_PID" 2>/dev/null || true
LOOP_PID=
reloads=$(( $(grep -c 'data reloaded' "$WORK/server.log" || true) - reloads0 ))
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
build=$(grep -E 'generation ready|tiles ready' "$WORK/server.log" | tail -n +2 | grep -o 'duration_ms=[0-9]*' | cut -d= -f2 | sort -n |
	awk '{ v[NR] = $1; s += $1 } END { if (NR) printf "%d builds, median %d ms, max %d ms", NR, v[int((NR + 1) / 2)], v[NR]; else print "none logged" }')

echo
echo "$BIN; wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(wc -l <"$WORK/paths.txt") cached communes tiles; $(nproc) cores shared"
printf '| %-8s | %10s | %8s | %8s | %8s | %6s |\n' run requests/s "p50 ms" "p99 ms" "max ms" errors
printf '|----------|------------|----------|----------|----------|--------|\n'
for r in steady reloads; do
	printf '| %-8s | %10s | %8s | %8s | %8s | %6s |\n' "$r" "$(val $r rps)" "$(val $r p50)" "$(val $r p99)" "$(val $r max)" "$(val $r errors)"
done
echo
total=$(grep 'data reloaded' "$WORK/server.log" | grep -o ' duration_ms=[0-9]*' | cut -d= -f2 | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) printf "median %d ms, max %d ms", v[int((NR + 1) / 2)], v[NR]; else print "not logged" }')
echo "reloads during the second run: $reloads; rebuild after each reload: $build; whole reload (load + build): $total"
echo "server peak RSS (VmHWM) $((hwm_kb / 1024)) MB"
awk -v a="$(val steady p99)" -v b="$(val reloads p99)" 'BEGIN {
	r = b / a; printf "p99 reloads / steady = %.2f (target ≤ 2): %s\n", r, (r <= 2 ? "met" : "MISSED") }'
