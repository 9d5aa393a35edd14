#!/usr/bin/env bash
# Cached tiles side by side with the physical reference: nginx serving the
# very same tiles as static gzip files from disk, same wrk command, same
# machine.
#
#   bash bench/nginx-compare.sh          # root, or nginx, wrk and curl installed
#   DURATION=20s CONNECTIONS=64 THREADS=2 ROUNDS=3 PIN=1 BIN=path/to/cartonum bash bench/nginx-compare.sh
#
# 1. builds (make build) or takes BIN, imports REGION (32), starts
#    `cartonum serve` on loopback;
# 2. lists the communes tiles a map user asks for (z8–z14 around Lille and
#    Amiens, the whole region z6–z10, as bench/wrk-tiles.sh), fetches each
#    gzipped from the server and writes it to disk as z/x/y.mvt.gz (empty
#    tiles, answered 204, are not written);
# 3. starts nginx (worker_processes auto, access log off, sendfile,
#    gzip_static always, 204 for a missing tile) on another port with the
#    same URL layout and checks that both answer the same bytes; starts
#    bench/barehttp, a bare net/http handler answering the same bytes from
#    memory (Go's own ceiling, no router nor middleware);
# 4. runs wrk (THREADS, CONNECTIONS, DURATION, Accept-Encoding: gzip) on the
#    same URL list against Cartonum, nginx and barehttp in turn (the others
#    idle), ROUNDS times, and gives the ratios of the medians over the
#    rounds. With PIN=1 (the default on 2 CPUs or more) the three servers
#    run on the first half of the CPUs and wrk on the other half (taskset),
#    so that a latency measures the server, not its fight with wrk for the
#    same cores; PIN=0 shares every CPU as before.
# Target (issue 13): Cartonum ≥ 0.8× nginx's requests/s, p99 within 1.5×.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
REGION=${REGION:-32}
DATA=$(cd "${DATA_MIRROR:-../shared/data}" && pwd)
export DURATION=${DURATION:-20s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-3}
NCPU=$(nproc)
PIN=${PIN:-$((NCPU >= 2))}
if [[ $PIN == 1 ]]; then
	export SERVER_CPUS=0-$((NCPU / 2 - 1)) WRK_CPUS=$((NCPU / 2))-$((NCPU - 1))
else
	unset SERVER_CPUS WRK_CPUS
fi
need_debs wrk curl nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-nginx.XXXXXX")
NGINX_PID= BARE_PID=
cleanup() {
	stop_server
	[[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null || true
	[[ -n $BARE_PID ]] && kill "$BARE_PID" 2>/dev/null || true
	[[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cartonum_bin
go build -o "$WORK/tiletimes" ./bench/tiletimes
go build -o "$WORK/barehttp" ./bench/barehttp
log "importing region $REGION"
import_region "$BIN" "$WORK/cartonum.db" "$REGION" "$DATA"
PORT=$(free_port)
start_server "$BIN" "$WORK/cartonum.db" "$PORT" "$WORK/server.log"
C=http://127.0.0.1:$PORT

{
	around 3.0573 50.6366 8 14
	around 2.2957 49.8942 8 14
	"$WORK/tiletimes" -data "$DATA" -region "$REGION" -zooms 6-10 -list | awk '{ printf "/tiles/communes/%d/%d/%d.mvt\n", $1, $2, $3 }'
} | sort -u >"$WORK/paths.txt"

log "writing $(wc -l <"$WORK/paths.txt") tiles to disk from the server"
ROOT=$WORK/www
while read -r p; do
	mkdir -p "$ROOT$(dirname "$p")"
	code=$(curl -s -H 'Accept-Encoding: gzip' -o "$ROOT$p.gz" -w '%{http_code}' "$C$p")
	[[ $code == 200 ]] || rm -f "$ROOT$p.gz"
done <"$WORK/paths.txt"

NPORT=$(free_port)
mkdir -p "$WORK/nginx"
# nginx's workers drop root for nobody: let them read the tiles.
chmod 755 "$WORK"
chmod -R a+rX "$ROOT"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	types { application/vnd.mapbox-vector-tile mvt; }
	server {
		listen 127.0.0.1:$NPORT;
		root $ROOT;
		location /tiles/ {
			gzip_static always;
			gunzip on;
			add_header Cache-Control "public, max-age=31536000, immutable";
			error_page 404 =204 /empty;
		}
		location = /empty { return 204; }
	}
}
CONF
${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} "$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' 2>"$WORK/nginx/stderr" &
NGINX_PID=$!
N=http://127.0.0.1:$NPORT
# wait_up URL PID LOG: waits until URL answers, or fails with LOG when PID died.
wait_up() {
	for _ in $(seq 100); do
		curl -s -o /dev/null "$1" && return 0
		kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
		sleep 0.1
	done
}
wait_up "$N/empty" "$NGINX_PID" "$WORK/nginx/stderr"
BPORT=$(free_port)
${SERVER_CPUS:+taskset -c "$SERVER_CPUS"} "$WORK/barehttp" "$ROOT" "127.0.0.1:$BPORT" 2>"$WORK/barehttp.log" &
BARE_PID=$!
B=http://127.0.0.1:$BPORT
wait_up "$B/" "$BARE_PID" "$WORK/barehttp.log"
log "checking that the three answer the same bytes"
diffs=0
while read -r p; do
	a=$(curl -s -H 'Accept-Encoding: gzip' -w ' %{http_code}' "$C$p" | md5sum)
	b=$(curl -s -H 'Accept-Encoding: gzip' -w ' %{http_code}' "$N$p" | md5sum)
	c=$(curl -s -H 'Accept-Encoding: gzip' -w ' %{http_code}' "$B$p" | md5sum)
	[[ $a == "$b" && $a == "$c" ]] || diffs=$((diffs + 1))
done <"$WORK/paths.txt"
((diffs == 0)) || { echo "nginx-compare: $diffs tiles differ between Cartonum, nginx and barehttp" >&2; exit 1; }
write_wrk_lua "$WORK/paths.lua"

echo
echo "cartonum $(git describe --always --dirty 2>/dev/null || echo '?'), $("$NGINX" -v 2>&1 | sed 's/.*: //'), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds"
if [[ $PIN == 1 ]]; then
	echo "$NCPU CPUs: the servers on CPUs $SERVER_CPUS, wrk on CPUs $WRK_CPUS (PIN=1)"
else
	echo "$NCPU CPUs shared by wrk and the server (PIN=0)"
fi
echo "$(wc -l <"$WORK/paths.txt") communes tiles ($(find "$ROOT" -name '*.gz' | wc -l) non-empty), identical bytes on the three servers"
echo
table_head
: >"$WORK/rows"
for round in $(seq "$ROUNDS"); do
	for server in "cartonum serve|$C" "nginx (gzip_static)|$N" "bare net/http|$B"; do
		row=$(wrk_row "${server%%|*}" "${server#*|}" "$WORK/paths.txt")
		echo "$row"
		echo "$row" >>"$WORK/rows"
	done
done
echo
# Medians over the rounds of requests/s (column 3) and p99 (column 6).
awk -F'|' '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ name = $2; gsub(/^ +| +$/, "", name); n[name]++; rps[name, n[name]] = $3; p99[name, n[name]] = $6 }
END {
	split("cartonum serve|nginx (gzip_static)|bare net/http", names, "|")
	for (k = 1; k <= 3; k++) {
		m = names[k]; delete r; delete q
		for (i = 1; i <= n[m]; i++) { r[i] = rps[m, i]; q[i] = p99[m, i] }
		mr[m] = median(r, n[m]); mq[m] = median(q, n[m])
		printf "median of %d rounds, %s: %.0f req/s, p99 %.2f ms\n", n[m], m, mr[m], mq[m]
	}
	c = "cartonum serve"; g = "nginx (gzip_static)"; b = "bare net/http"
	printf "Cartonum / nginx: %.2f× the requests/s (target ≥ 0.8), p99 %.2f× (target ≤ 1.5)\n", mr[c] / mr[g], mq[c] / mq[g]
	printf "bare net/http / nginx: %.2f× the requests/s, p99 %.2f×; Cartonum / bare net/http: %.2f×, p99 %.2f×\n", mr[b] / mr[g], mq[b] / mq[g], mr[c] / mr[b], mq[c] / mq[b]
}' "$WORK/rows"
