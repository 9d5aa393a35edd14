#!/usr/bin/env bash
# Cached tiles side by side with the physical reference: nginx serving the
# very same tiles as static gzip files from disk, same wrk command, same
# machine, one run each.
#
#   bash bench/nginx-compare.sh          # root, or nginx, wrk and curl installed
#   DURATION=20s CONNECTIONS=64 THREADS=2 BIN=path/to/cartonum bash bench/nginx-compare.sh
#
# 1. builds (make build) or takes BIN, imports REGION (32), starts
#    `cartonum serve` on loopback;
# 2. lists the communes tiles a map user asks for (z8–z14 around Lille and
#    Amiens, the whole region z6–z10, as bench/wrk-tiles.sh), fetches each
#    gzipped from the server and writes it to disk as z/x/y.mvt.gz (empty
#    tiles, answered 204, are not written);
# 3. starts nginx (worker_processes auto, access log off, sendfile,
#    gzip_static always, 204 for a missing tile) on another port with the
#    same URL layout and checks that both answer the same bytes;
# 4. runs wrk (THREADS, CONNECTIONS, DURATION, Accept-Encoding: gzip) on the
#    same URL list, against Cartonum then nginx (the other one idle).
# Target (issue 13): Cartonum ≥ 0.8× nginx's requests/s, p99 within 1.5×.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
REGION=${REGION:-32}
DATA=$(cd "${DATA_MIRROR:-../shared/data}" && pwd)
export DURATION=${DURATION:-20s} THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-64}
need_debs wrk curl nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-nginx.XXXXXX")
NGINX_PID=
cleanup() {
	stop_server
	[[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null || true
	[[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cartonum_bin
go build -o "$WORK/tiletimes" ./bench/tiletimes
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
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' 2>"$WORK/nginx/stderr" &
NGINX_PID=$!
N=http://127.0.0.1:$NPORT
for i in $(seq 100); do
	curl -s -o /dev/null "$N/empty" && break
	kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx/stderr" >&2; exit 1; }
	sleep 0.1
done
log "checking that both answer the same bytes"
diffs=0
while read -r p; do
	a=$(curl -s -H 'Accept-Encoding: gzip' -w ' %{http_code}' "$C$p" | md5sum)
	b=$(curl -s -H 'Accept-Encoding: gzip' -w ' %{http_code}' "$N$p" | md5sum)
	[[ $a == "$b" ]] || diffs=$((diffs + 1))
done <"$WORK/paths.txt"
((diffs == 0)) || { echo "nginx-compare: $diffs tiles differ between Cartonum and nginx" >&2; exit 1; }
write_wrk_lua "$WORK/paths.lua"

echo
echo "cartonum $(git describe --always --dirty 2>/dev/null || echo '?'), $("$NGINX" -v 2>&1 | sed 's/.*: //'), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores shared by wrk and the server"
echo "$(wc -l <"$WORK/paths.txt") communes tiles ($(find "$ROOT" -name '*.gz' | wc -l) non-empty), identical bytes on both servers"
echo
table_head
crow=$(wrk_row "cartonum serve" "$C" "$WORK/paths.txt")
echo "$crow"
nrow=$(wrk_row "nginx (gzip_static)" "$N" "$WORK/paths.txt")
echo "$nrow"
echo
awk -F'|' -v c="$crow" -v n="$nrow" 'BEGIN {
	split(c, a, "|"); split(n, b, "|")
	printf "Cartonum / nginx: %.2f× the requests/s (target ≥ 0.8), p99 %.2f× (target ≤ 1.5)\n", a[3] / b[3], a[6] / b[6] }'
