#!/usr/bin/env bash
# Cartonum at the size of the whole country, on the national synthetic case
# of bench/natsynth (35,032 communes, 1,500 EPCI, 20,000 places, 68 M
# inhabitants, the 18 regions):
#
#   bash bench/national.sh        # root, or wrk and curl installed
#   BIN=path/to/cartonum DURATION=10s KEEP_WORK=1 bash bench/national.sh
#
# 1. writes the case (go run ./bench/natsynth; NATSYNTH=DIR reuses one);
# 2. imports it with --region all: time and peak RSS (GNU time);
# 3. starts cartonum serve: the first start after the import (it computes
#    and stores the default indicators), then cold start to ready (launch to
#    its "serving" log line, COLD_RUNS=3 starts), the generation's build time (its log
#    line), RSS; the
#    first requests of a visitor after it (the zooms are generalised in the
#    background then) and when every zoom is generalised (its log line);
# 4. asks every communes tile of z6–z12 over the data (tiletimes -list
#    -region all), each once, in one curl on a kept-alive connection: the
#    uncached tile as the server builds it (indicator attributes, gzip);
#    per zoom the count, mean, p99 and max ms; then the same tiles in
#    process (tiletimes -served, REPS repetitions, 1 by default);
# 5. the default indicators (/api/indicators), first answer and cached;
# 6. wrk (THREADS, CONNECTIONS, DURATION) on one URL list each:
#    /api/search?q=… (prefixes of ten commune names, typed key by key),
#    /api/sites?near=… (as the web app's list: ten cities, radius,
#    limit=1000), a place (/api/sites/{id}, twenty places);
# 7. the server's RSS after the load;
# 8. cartonum export-tiles of the whole case to z EXPORT_MAXZOOM (12; none
#    to skip): time and peak RSS.
# Targets (issue 13): cold start < 3 s, generation < 10 s, RSS < 1.5 GB,
# uncached communes tiles z6–z12 p99 < 20 ms, search, near and a place
# ≥ 10,000 requests/s with p99 < 20 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
need_debs wrk curl /usr/bin/time:time
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-national.XXXXXX")
cleanup() {
	stop_server
	[[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z ${BIN:-} ]]; then
	log "go build ./cmd/cartonum"
	go build -o "$WORK/cartonum" ./cmd/cartonum
	BIN=$WORK/cartonum
fi
go build -o "$WORK/tiletimes" ./bench/tiletimes
DATA=${NATSYNTH:-$WORK/data}
if [[ ! -f $DATA/communes-france.geojson ]]; then
	log "writing the national synthetic case into $DATA"
	go run ./bench/natsynth -out "$DATA" >&2
fi

echo "cartonum $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "case: $(grep -o '"codeRegion"' "$DATA/communes-france.geojson" | wc -l) communes, $(grep -o '"membres"' "$DATA/epci-france.json" | wc -l) EPCI ($DATA)"
echo

# --- 2. import ----------------------------------------------------------------
log "import --region all"
DB=$WORK/national.db
/usr/bin/time -f '%e %M' -o "$WORK/import.time" "$BIN" import --db "$DB" --region all \
	--communes "$DATA/communes-france.geojson" --epci "$DATA/epci-france.json" \
	"$DATA/lieux-france-v1.csv" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; exit 1; }
read -r import_s import_kb <"$WORK/import.time"
head -3 "$WORK/import.log"
printf 'import: %.1f s, peak RSS %d MB, database %d MB\n' "$import_s" $((import_kb / 1024)) $(($(stat -c %s "$DB") / 1000000))

# --- 3. cold start --------------------------------------------------------------
log "serve: cold start"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
# Ready is the time from launch to the server's "serving" log line (its
# timestamp): polling /healthz with a new curl every few milliseconds would
# take CPU from the start it measures, on 2 cores. The log is read every
# 0.1 s; /healthz is then asked once. COLD_RUNS starts (3 by default), the
# last one kept serving for the steps below.
start_server() {
	t0=$(date +%s%N)
	"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	until grep -q 'msg=serving' "$WORK/server.log"; do
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
		sleep 0.1
	done
	ready_ms=$((($(date -d "$(grep -m1 'msg=serving' "$WORK/server.log" | grep -o 'time=[^ ]*' | cut -d= -f2)" +%s%N) - t0) / 1000000))
	curl -sf -o /dev/null "$BASE/healthz" || { echo "healthz failed" >&2; exit 1; }
}
# The import stored the communes' topology; the first start after it
# computes the default indicators of the new data version and stores them
# once its zooms are generalised (then the next starts read them): it is
# measured apart, and kept serving until they are stored.
start_server
after_import_ms=$ready_ms
for _ in $(seq 600); do
	grep -q 'default indicators stored' "$WORK/server.log" && break
	sleep 0.1
done
echo "first start after the import: ${after_import_ms} ms to ready ($(grep -m1 'msg="topology of the communes"' "$WORK/server.log" | grep -o 'source=[a-z]*'), indicators $(grep -m1 'msg="default indicators"' "$WORK/server.log" | grep -o 'source=[a-z]*'); generation $(grep -m1 'generation ready' "$WORK/server.log" | grep -o 'duration_ms=[0-9]*'))"
grep -q 'default indicators stored' "$WORK/server.log" || echo "warning: the default indicators were not stored" >&2
stop_server
sleep 2
runs=()
for ((i = 1; i < ${COLD_RUNS:-3}; i++)); do
	start_server
	runs+=("$ready_ms")
	stop_server
	sleep 2
done
start_server
runs+=("$ready_ms")
sorted=$(printf '%s\n' "${runs[@]}" | sort -n | paste -sd' ')
gen_ms=$(grep -m1 'generation ready' "$WORK/server.log" | grep -o 'duration_ms=[0-9]*' | cut -d= -f2 || true)
load_ms=$(grep -m1 'data loaded' "$WORK/server.log" | grep -o 'duration_ms=[0-9]*' | cut -d= -f2 || true)
rss() { awk -v k="$1:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
echo "cold start to ready, ${#runs[@]} starts: ${runs[*]} ms (sorted: $sorted); the last: data loaded in ${load_ms:-?} ms, generation built in ${gen_ms:-?} ms ($(grep -m1 'msg="topology of the communes"' "$WORK/server.log" | grep -o 'source=[a-z]*') topology, $(grep -m1 'msg="default indicators"' "$WORK/server.log" | grep -o 'source=[a-z]*') indicators); RSS $(rss VmRSS) MB, peak $(rss VmHWM) MB"
# The zooms are generalised in the background from then on: the first
# requests, as a visitor's first view (the TileJSON, then the base-map
# tiles over France at zoom 5 and over Paris at zoom 12), may wait for theirs.
first=$(curl -s -o /dev/null -w "%{time_total}" "$BASE/tiles/departements,epci,libelles.json")
for t in 5/16/11 5/15/11 12/2074/1409; do
	first="$first $(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$BASE/tiles/departements,epci,communes,sites/$t.mvt")"
done
echo "first requests after ready (TileJSON, base-map 5/16/11, 5/15/11, 12/2074/1409): $(echo $first | awk '{ for (i = 1; i <= NF; i++) printf "%.0f ms ", $i * 1000 }')"
for _ in $(seq 600); do
	grep -q 'tiles generalised at every zoom' "$WORK/server.log" && break
	sleep 0.1
done
warm_ms=$(grep -m1 'tiles generalised at every zoom' "$WORK/server.log" | grep -o 'duration_ms=[0-9]*' | cut -d= -f2 || true)
echo "every zoom generalised ${warm_ms:-?} ms after the build started; RSS $(rss VmRSS) MB"

# --- 4. uncached tiles ----------------------------------------------------------
log "uncached communes tiles z6–z12"
"$WORK/tiletimes" -data "$DATA" -region all -zooms 6-12 -list >"$WORK/tiles.txt"
awk -v b="$BASE" '{ printf "url = \"%s/tiles/communes/%d/%d/%d.mvt\"\noutput = \"/dev/null\"\n", b, $1, $2, $3 }' "$WORK/tiles.txt" >"$WORK/tiles.curl"
curl -s -K "$WORK/tiles.curl" -H 'Accept-Encoding: gzip' -w '%{url_effective} %{http_code} %{time_total}\n' >"$WORK/tiles.times"
echo
echo "uncached communes tiles, each asked once (curl, one kept-alive connection; ms from request to last byte):"
echo
echo "| zoom | tiles | 200 | 204 | mean ms | p99 ms | max ms |"
echo "|------|-------|-----|-----|---------|--------|--------|"
awk '{ split($1, p, "/"); z = p[6]; print z, $2, $3 * 1000 }' "$WORK/tiles.times" | sort -k1,1n -k3,3n |
	awk '
	function flush() {
		if (n == 0) return
		i = int(0.99 * n + 0.999999); if (i < 1) i = 1; if (i > n) i = n
		printf "| %4s | %5d | %5d | %3d | %7.2f | %6.2f | %6.2f |\n", z, n, ok, empty, sum / n, v[i], v[n]
		all_n += n; all_sum += sum
	}
	$1 != z { flush(); z = $1; n = 0; ok = 0; empty = 0; sum = 0 }
	{ v[++n] = $3; sum += $3; if ($2 == 200) ok++; else if ($2 == 204) empty++ }
	END { flush() }'
sort -k3,3n "$WORK/tiles.times" | awk '{ v[++n] = $3 * 1000 } END {
	i = int(0.99 * n + 0.999999)
	printf "\nall zooms: %d tiles, mean %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 20 ms)\n", n, 0, v[i], v[n] }' |
	sed "s/mean 0.00 ms/mean $(awk '{ s += $3 } END { printf "%.2f", s * 1000 / NR }' "$WORK/tiles.times") ms/"
awk '$2 != 200 && $2 != 204 { bad++ } END { if (bad) printf "%d tiles answered neither 200 nor 204\n", bad }' "$WORK/tiles.times"

echo
echo "the same tiles in process (tiletimes -served: encoding, ETag and gzip, without indicator attributes nor HTTP):"
"$WORK/tiletimes" -data "$DATA" -region all -zooms 6-12 -reps "${REPS:-1}" -served | grep -v '^#' |
	awk -F'\t' 'NR == 1 { print "| zoom | tiles | mean ms | p99 ms | max ms | max KB |"; print "|------|-------|---------|--------|--------|--------|"; next }
	{ printf "| %4s | %5s | %7.2f | %6.2f | %6.2f | %6.1f |\n", $1, $2, $7, $9, $10, $6 / 1000 }'

# --- 5. default indicators --------------------------------------------------------
echo
for q in '' '?level=epci' '?level=departement' '?level=region'; do
	first=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{http_code} %{time_total} %{size_download}' "$BASE/api/indicators$q")
	again=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$BASE/api/indicators$q")
	read -r code t1 size <<<"$first"
	awk -v q="$q" -v code="$code" -v t1="$t1" -v t2="$again" -v size="$size" 'BEGIN {
		printf "/api/indicators%s: HTTP %s, first answer %.1f ms, again %.1f ms, %d KB gzipped\n", q, code, t1 * 1000, t2 * 1000, size / 1000 }'
done

# --- 6. wrk -------------------------------------------------------------------
# Search: ten commune names typed key by key (2 letters to the whole name),
# cut by character and percent-encoded by byte.
urlencode() {
	local LC_ALL=C s=$1 out='' c j
	for ((j = 0; j < ${#s}; j++)); do
		c=${s:j:1}
		case $c in
		[a-zA-Z0-9.~_-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c" && out+=$c ;;
		esac
	done
	printf '%s' "$out"
}
grep -o '"nom":"[^"]*"' "$DATA/communes-france.geojson" | cut -d'"' -f4 | awk 'NR % 3500 == 17' | head -10 |
	while IFS= read -r name; do
		export LC_ALL=C.UTF-8
		for ((i = 2; i <= ${#name}; i++)); do
			printf '/api/search?q=%s&limit=8\n' "$(urlencode "${name:0:i}")"
		done
	done >"$WORK/search.txt"
# near: ten places of the case, as the web app's list asks (radius, limit).
curl -s "$BASE/api/sites?limit=1000" | grep -o '"coordinates":\[[-0-9.]*,[-0-9.]*\]' | awk -F'[][,]' 'NR % 100 == 1 {
	printf "/api/sites?near=%.5f,%.5f&radius=%d&limit=1000\n", $2, $3, 3000 + (NR % 5) * 2000 }' | head -10 >"$WORK/near.txt"
curl -s "$BASE/api/sites?limit=1000" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 | awk 'NR % 50 == 1' | head -20 |
	sed 's|^|/api/sites/|' >"$WORK/place.txt"
for f in search near place; do
	while read -r p; do curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{http_code}\n' "$BASE$p"; done <"$WORK/$f.txt" |
		sort | uniq -c | awk -v f="$f" '{ printf "  %s: HTTP %s × %s\n", f, $2, $1 }' >&2
done
write_wrk_lua "$WORK/paths.lua"
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores shared by wrk and the server"
echo
table_head
wrk_row "search ($(wc -l <"$WORK/search.txt") prefixes)" "$BASE" "$WORK/search.txt"
wrk_row "near ($(wc -l <"$WORK/near.txt") URLs)" "$BASE" "$WORK/near.txt"
wrk_row "a place ($(wc -l <"$WORK/place.txt") places)" "$BASE" "$WORK/place.txt"
echo
echo "server after the load: RSS $(rss VmRSS) MB, peak $(rss VmHWM) MB (target < 1.5 GB); load average $(cut -d' ' -f1-3 /proc/loadavg)"
stop_server

# --- 8. PMTiles export ------------------------------------------------------------
if [[ ${EXPORT_MAXZOOM:-12} != none ]]; then
	log "export-tiles --maxzoom ${EXPORT_MAXZOOM:-12}"
	/usr/bin/time -f '%e %M' -o "$WORK/export.time" "$BIN" export-tiles --db "$DB" --out "$WORK/national.pmtiles" \
		--maxzoom "${EXPORT_MAXZOOM:-12}" >"$WORK/export.log" 2>&1 || { cat "$WORK/export.log" >&2; exit 1; }
	read -r export_s export_kb <"$WORK/export.time"
	echo
	cat "$WORK/export.log"
	printf 'export-tiles: %.1f s, peak RSS %d MB (tile data streamed to a temporary file)\n' "$export_s" $((export_kb / 1024))
fi
