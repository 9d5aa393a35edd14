# Shared by the load-test scripts of bench/ (sourced, not run): tools from
# Debian, a free loopback port, a region imported from the data mirror, a
# server started and stopped, wrk over a list of paths.

log() { printf '== %s\n' "$*" >&2; }

# need_debs PKG…: installs the Debian packages whose command is missing
# (command name = package name unless given as cmd:pkg), as root.
need_debs() {
	local missing=() spec cmd pkg
	for spec in "$@"; do
		cmd=${spec%%:*} pkg=${spec#*:}
		command -v "$cmd" >/dev/null || missing+=("$pkg")
	done
	((${#missing[@]})) || return 0
	if [[ $(id -u) -ne 0 ]]; then
		echo "missing ${missing[*]}: run as root or apt-get install ${missing[*]}" >&2
		return 1
	fi
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# cartonum_bin: BIN, or bin/cartonum built by make build when BIN is unset.
cartonum_bin() {
	BIN=${BIN:-}
	if [[ -z $BIN ]]; then
		log "make build"
		make -s build >/dev/null
		BIN=./bin/cartonum
	fi
}

free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "no free port found" >&2
	return 1
}

# around LON LAT ZMIN ZMAX: the communes tiles within R tiles of the point's
# tile (R=1 up to z10, 2 from z11), one path per line.
around() {
	awk -v lon="$1" -v lat="$2" -v zmin="$3" -v zmax="$4" 'BEGIN {
		pi = atan2(0, -1); phi = lat * pi / 180
		for (z = zmin; z <= zmax; z++) {
			n = 2 ^ z; r = z <= 10 ? 1 : 2
			x = int((lon + 180) / 360 * n)
			y = int((1 - log(sin(phi) / cos(phi) + 1 / cos(phi)) / pi) / 2 * n)
			for (dx = -r; dx <= r; dx++) for (dy = -r; dy <= r; dy++)
				printf "/tiles/communes/%d/%d/%d.mvt\n", z, x + dx, y + dy
		}
	}'
}

# import_region BIN DB REGION DATA: the region's communes, EPCI,
# départements and places, with the neighbouring places within 30 km when
# the mirror has the national file (as make run does).
import_region() {
	local bin=$1 db=$2 region=$3 data=$4 margin=() extra=()
	if [[ -f $data/lieux-france-v1.csv ]]; then
		margin=(--margin-km 30)
		extra=("$data/lieux-france-v1.csv")
	fi
	"$bin" import --db "$db" --region "$region" "${margin[@]}" \
		--communes "$data/communes-$region.geojson" --epci "$data/epci-$region.json" \
		--departements "$data/departements-$region.geojson" \
		"$data/lieux-$region-v1.csv" "${extra[@]}" >"$db.import.log" 2>&1 || { cat "$db.import.log" >&2; return 1; }
}

# start_server BIN DB PORT LOG [flags…]: starts cartonum serve in the
# background (SERVER_PID) and waits for /healthz. SERVER_CPUS, when set,
# pins the server to those CPUs (taskset -c).
start_server() {
	local bin=$1 db=$2 port=$3 logf=$4 pin=()
	shift 4
	[[ -n ${SERVER_CPUS:-} ]] && pin=(taskset -c "$SERVER_CPUS")
	"${pin[@]}" "$bin" serve --db "$db" --addr "127.0.0.1:$port" "$@" >"$logf" 2>&1 &
	SERVER_PID=$!
	for i in $(seq 600); do
		curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$logf" >&2; return 1; }
		((i < 600)) || { echo "server not up after 60 s" >&2; return 1; }
		sleep 0.1
	done
}

stop_server() {
	if [[ -n ${SERVER_PID:-} ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	SERVER_PID=
}

# write_wrk_lua FILE: a wrk script cycling through the paths of the file
# given after "--" (each thread from its own offset), every request with
# Accept-Encoding: gzip, printing requests/s, percentiles and errors (non-2xx
# counted as status errors by wrk).
write_wrk_lua() {
	cat >"$1" <<'LUA'
local threads = 0
function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end
local requests, i = {}, 0
function init(args)
	wrk.headers["Accept-Encoding"] = "gzip"
	for line in io.lines(args[1]) do
		if #line > 0 then requests[#requests + 1] = wrk.format("GET", line) end
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
	for _, p in ipairs({ 50, 90, 99 }) do
		io.write(string.format("p%s_ms %.3f\n", p, latency:percentile(p) / 1000))
	end
	io.write(string.format("max_ms %.3f\nnon2xx %d\nsocket_errors %d\n", latency.max / 1000, e.status,
		e.connect + e.read + e.write + e.timeout))
end
LUA
}

# wrk_row NAME BASE PATHSFILE: runs wrk on the paths and prints one row of
# a Markdown table (requests/s, p50, p90, p99, max, non-2xx). WRK_CPUS,
# when set, pins wrk to those CPUs (taskset -c).
wrk_row() {
	local name=$1 base=$2 paths=$3 out pin=()
	[[ -n ${WRK_CPUS:-} ]] && pin=(taskset -c "$WRK_CPUS")
	out=$("${pin[@]}" wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-64}" -d"${DURATION:-10s}" --latency -s "$WORK/paths.lua" "$base" -- "$paths")
	val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
	printf '| %-28s | %8s | %7s | %7s | %7s | %8s | %7s |\n' "$name" "$(val requests_per_s)" "$(val p50_ms)" "$(val p90_ms)" \
		"$(val p99_ms)" "$(val max_ms)" "$(($(val non2xx) + $(val socket_errors)))"
}

table_head() {
	printf '| %-28s | %8s | %7s | %7s | %7s | %8s | %7s |\n' "" "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" "errors"
	printf '|------------------------------|----------|---------|---------|---------|----------|---------|\n'
}
