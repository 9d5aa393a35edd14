#!/usr/bin/env bash
# Load test of the tile server: how many communes tiles per second
# `cartonum serve` answers from its cache, at what latency, with how much
# memory.
#
#   bash bench/wrk-tiles.sh              # from the repository root or anywhere
#   REGION=32 DURATION=20s THREADS=2 CONNECTIONS=64 LOG_LEVEL=info bash bench/wrk-tiles.sh
#   KEEP_WORK=1 GODEBUG=gctrace=1 bash bench/wrk-tiles.sh   # keep the server log (with GC traces)
#
# What it does:
#   1. installs wrk (and curl) from Debian when missing (apt-get, as root);
#   2. make build, imports the region from the data mirror into a temporary
#      database, starts `cartonum serve` on 127.0.0.1 and a free port, with
#      the default configuration (LOG_LEVEL=info: one log line per API
#      request, tile requests logged only at debug level; LOG_LEVEL=debug
#      logs every tile request too, and then the script also reports the time
#      spent inside the server);
#   3. makes the list of tile URLs a map user would ask for: z8–z14 around
#      Lille and Amiens, the whole region at z6–z10 (empty tiles, answered
#      204, included), and requests each once to fill the cache;
#   4. runs wrk (THREADS threads, CONNECTIONS connections, DURATION, --latency)
#      cycling through those URLs with Accept-Encoding: gzip;
#   5. prints requests/s, latency percentiles and the server's resident memory
#      (VmRSS, VmHWM from /proc) after the load, and whether the targets are met.
# The server is stopped and the temporary directory removed on exit.
# Client and server share this machine's cores: the figures are a floor.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
REGION=${REGION:-32}
DATA_MIRROR=${DATA_MIRROR:-../shared/data}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
LOG_LEVEL=${LOG_LEVEL:-info}
DATA=$(cd "$DATA_MIRROR" && pwd)
for f in communes-$REGION.geojson epci-$REGION.json departements-$REGION.geojson lieux-$REGION-v1.csv; do
	[[ -f $DATA/$f ]] || { echo "wrk-tiles: $DATA/$f not found (set DATA_MIRROR)" >&2; exit 1; }
done


# --- 1. tools ------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "wrk-tiles: missing ${missing[*]}: run as root or install them (apt-get install ${missing[*]})" >&2
		exit 1
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi


WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-wrk.XXXXXX")
SERVER_PID=
cleanup() {
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [[ -n ${KEEP_WORK:-} ]]; then
		echo "wrk-tiles: kept $WORK (server.log, paths.txt, wrk.out, tiles.lua)" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 2. build, import, serve ----------------------------------------------------
log "make build"
make -s build >/dev/null
go build -o "$WORK/tiletimes" ./bench/tiletimes

log "importing region $REGION into $WORK/cartonum.db"
./bin/cartonum import --db "$WORK/cartonum.db" --region "$REGION" \
	--communes "$DATA/communes-$REGION.geojson" --epci "$DATA/epci-$REGION.json" \
	--departements "$DATA/departements-$REGION.geojson" --report "$WORK/import.json" \
	"$DATA/lieux-$REGION-v1.csv" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
log "serving on $BASE (log level $LOG_LEVEL, log in a file)"
./bin/cartonum serve --db "$WORK/cartonum.db" --addr "127.0.0.1:$PORT" --log-level "$LOG_LEVEL" \
	>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 300); do
	curl -sf -o /dev/null "$BASE/healthz" && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
	((i < 300)) || { echo "wrk-tiles: server not up after 30 s" >&2; exit 1; }
	sleep 0.1
done
# The server listens once its generation is built (every zoom generalised;
# logged as "generation ready"): the warm-up below only fills the cache.

# --- 3. URL list, cache warm-up --------------------------------------------------
# (around: bench/lib.sh)
{
	around 3.0573 50.6366 8 14 # Lille
	around 2.2957 49.8942 8 14 # Amiens
	"$WORK/tiletimes" -data "$DATA" -region "$REGION" -zooms 6-10 -list |
		awk '{ printf "/tiles/communes/%d/%d/%d.mvt\n", $1, $2, $3 }'
} | sort -u >"$WORK/paths.txt"
log "warming the cache with $(wc -l <"$WORK/paths.txt") tiles"
while read -r p; do
	curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w "%{http_code} %{size_download} $p\n" "$BASE$p"
done <"$WORK/paths.txt" >"$WORK/warm.txt"
echo "URLs: $(wc -l <"$WORK/paths.txt") communes tiles (z8–z14 around Lille and Amiens, whole region z6–z10);" \
	"status counts: $(cut -d' ' -f1 "$WORK/warm.txt" | sort | uniq -c | awk '{ printf "%s%s×%s", sep, $2, $1; sep = ", " }');" \
	"mean gzipped body $(awk '$1 == 200 { s += $2; n++ } END { printf "%.0f", n ? s / n : 0 }' "$WORK/warm.txt") bytes"
grep -qv '^20[04] ' "$WORK/warm.txt" && { echo "wrk-tiles: some tiles failed during warm-up" >&2; exit 1; }
sample=$(awk '$1 == 200 && $3 ~ /^\/tiles\/communes\/12\// { print $3; exit }' "$WORK/warm.txt")
echo "sample response headers ($sample):"
curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$BASE$sample" |
	grep -iE '^(HTTP|content-type|content-encoding|content-length|etag|cache-control)' | sed 's/^/  /'
grep -E '^Vm(RSS|HWM)' "/proc/$SERVER_PID/status" | tr -s ' \t' ' ' | sed 's/^/  before load: /'

# --- 4. load -----------------------------------------------------------------------
cat >"$WORK/tiles.lua" <<'LUA'
-- Cycles through the paths of the file given after "--", each thread from
-- its own offset, every request with Accept-Encoding: gzip.
local threads = 0
function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

local requests, i = {}, 0
function init(args)
	wrk.headers["Accept-Encoding"] = "gzip"
	for line in io.lines(args[1]) do
		requests[#requests + 1] = wrk.format("GET", line)
	end
	i = (tid or 0) * math.floor(#requests / 2)
end

function request()
	i = i % #requests + 1
	return requests[i]
end

function done(summary, latency, _)
	local e = summary.errors
	io.write(string.format("requests %d\nseconds %.2f\nrequests_per_s %.0f\n",
		summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
	for _, p in ipairs({ 50, 90, 99, 99.9 }) do
		io.write(string.format("p%s_ms %.3f\n", p, latency:percentile(p) / 1000))
	end
	io.write(string.format("max_ms %.3f\n", latency.max / 1000))
	io.write(string.format("errors connect %d read %d write %d status %d timeout %d\n",
		e.connect, e.read, e.write, e.status, e.timeout))
end
LUA
# CPU time of the server (clock ticks) and log position before the load.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
ticks0=$(cpu_ticks)
log_lines0=$(wc -l <"$WORK/server.log")
log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
echo
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }'), $(nproc) cores shared by wrk and the server, cartonum log level $LOG_LEVEL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/tiles.lua" "$BASE" -- "$WORK/paths.txt" |
	tee "$WORK/wrk.out"

# --- 5. results --------------------------------------------------------------------
ticks1=$(cpu_ticks)
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
val() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/wrk.out"; }
rps=$(val requests_per_s)
p50=$(val p50_ms) p90=$(val p90_ms) p99=$(val p99_ms)
logged=$(grep -c 'msg=http' "$WORK/server.log" || true)
echo
echo "server after the load: VmRSS $((rss_kb / 1024)) MB, VmHWM $((hwm_kb / 1024)) MB; $logged requests logged"
awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v d="$(val seconds)" -v n="$(nproc)" 'BEGIN {
	printf "server CPU during the load: %.1f s in %.1f s (%.0f%% of the %d cores; wrk has the rest)\n", t / hz, d, 100 * t / hz / d / n, n }'
# Time inside the server, as its request log measures it (handler, from
# routing to the last byte written), against the latency wrk sees.
if ((logged > 1000)); then
	tail -n +"$((log_lines0 + 1))" "$WORK/server.log" | grep -o 'duration_ms=[0-9.]*' | cut -d= -f2 | sort -g |
		awk '{ v[NR] = $1 } END {
			printf "time inside the server during the load (request log, %d requests): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms\n",
				NR, v[int(NR * .5)], v[int(NR * .9)], v[int(NR * .99)], v[int(NR * .999)], v[NR] }'
fi
echo
printf '| %-14s | %10s | %9s | %9s | %9s | %10s | %10s |\n' "" "requests/s" "p50 ms" "p90 ms" "p99 ms" "VmRSS MB" "VmHWM MB"
printf '|----------------|------------|-----------|-----------|-----------|------------|------------|\n'
printf '| %-14s | %10s | %9s | %9s | %9s | %10d | %10d |\n' "cartonum serve" "$rps" "$p50" "$p90" "$p99" $((rss_kb / 1024)) $((hwm_kb / 1024))
echo
verdict() { if [[ $1 == 1 ]]; then echo "met"; else echo "MISSED"; fi; }
echo "target ≥ 20,000 requests/s: $(verdict "$(awk -v v="$rps" 'BEGIN { print (v >= 20000) }')") ($rps)"
echo "target p99 < 5 ms: $(verdict "$(awk -v v="$p99" 'BEGIN { print (v < 5) }')") ($p99 ms)"
echo "target RSS < 300 MB: $(verdict "$((rss_kb < 300 * 1024 ? 1 : 0))") ($((rss_kb / 1024)) MB; peak $((hwm_kb / 1024)) MB)"
