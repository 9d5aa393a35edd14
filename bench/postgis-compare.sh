#!/usr/bin/env bash
# Compares the time to build the communes vector tiles of a region with
# PostGIS (ST_AsMVT/ST_AsMVTGeom, the way pg_tileserv and Martin do it) and
# with Cartonum (bench/tiletimes), on exactly the same tiles: every tile of
# zooms 6–12 covering the region's bounds.
#
#   bash bench/postgis-compare.sh            # from the repository root or anywhere
#   REGION=32 REPS=5 ZOOMS=6-12 DATA_MIRROR=../shared/data JIT=off bash bench/postgis-compare.sh
#
# What it does:
#   1. installs PostgreSQL and PostGIS from Debian when missing (apt-get, as root);
#   2. creates a throwaway cluster in a temporary directory, owned by a
#      non-root user, listening on 127.0.0.1 only, on a free port (no Unix socket);
#   3. loads the communes (code, nom, population, geometry as in the GeoJSON,
#      ST_Transform'ed to EPSG:3857) with a GiST index, ANALYZE;
#   4. times in the database (PL/pgSQL, clock_timestamp() around each tile) one
#      untimed pass and REPS timed passes over the tile list printed by
#      `tiletimes -list`;
#   5. runs tiletimes (Cartonum, cache bypassed, generalisation precomputed once);
#   6. prints one row per zoom, and whether the targets are met.
# The cluster and the temporary directory are removed on exit, whatever happens.
# Not part of make test: it needs root (or PostgreSQL and PostGIS already
# installed) and a few minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh
ROOT=$(pwd)
REGION=${REGION:-32}
DATA_MIRROR=${DATA_MIRROR:-../shared/data}
REPS=${REPS:-5}
ZOOMS=${ZOOMS:-6-12}
PGVERSION=${PGVERSION:-15}
JIT=${JIT:-off}
DATA=$(cd "$DATA_MIRROR" && pwd)
COMMUNES=$DATA/communes-$REGION.geojson
[[ -f $COMMUNES ]] || { echo "postgis-compare: $COMMUNES not found (set DATA_MIRROR)" >&2; exit 1; }

# tsv_table aligns tab-separated columns.
tsv_table() { awk -F '\t' '{ for (i = 1; i <= NF; i++) printf "%-12s", $i; print "" }'; }

# --- 1. PostgreSQL and PostGIS -------------------------------------------
PGBIN=/usr/lib/postgresql/$PGVERSION/bin
missing=()
[[ -x $PGBIN/initdb && -x $PGBIN/pg_ctl ]] || missing+=(postgresql "postgresql-$PGVERSION")
[[ -f /usr/share/postgresql/$PGVERSION/extension/postgis.control ]] || missing+=("postgresql-$PGVERSION-postgis-3")
command -v psql >/dev/null || missing+=("postgresql-client-$PGVERSION")
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "postgis-compare: missing ${missing[*]}: run as root or install them (apt-get install ${missing[*]})" >&2
		exit 1
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The cluster runs as a non-root user: postgres (created by the Debian
# package), or one we create.
if [[ $(id -u) -eq 0 ]]; then
	PGUSER_OS=postgres
	id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS"
	as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
else
	PGUSER_OS=$(id -un)
	as_pg() { "$@"; }
fi


# --- 2. throwaway cluster --------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartonum-postgis.XXXXXX")
PGDATA=$WORK/pgdata
cleanup() {
	if [[ -f $PGDATA/postmaster.pid ]]; then
		as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chown "$PGUSER_OS" "$WORK"
chmod 700 "$WORK"

PORT=$(free_port)
log "cluster in $WORK as $PGUSER_OS, 127.0.0.1:$PORT"
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1 ||
	{ cat "$WORK/initdb.log" >&2; exit 1; }
cat >>"$PGDATA/postgresql.conf" <<EOF
# postgis-compare.sh: loopback only, no Unix socket
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
# JIT (on by default in PostgreSQL) compiles the plans it deems expensive,
# which costs milliseconds per query: off unless JIT=on, to give PostGIS its
# best times.
jit = $JIT
fsync = off
EOF
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w -t 60 start >/dev/null ||
	{ cat "$WORK/postgres.log" >&2; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# --- 3. data -----------------------------------------------------------------
log "building bench/tiletimes and bench/postgisload"
go build -o "$WORK/tiletimes" ./bench/tiletimes
go build -o "$WORK/postgisload" ./bench/postgisload

sql -c 'CREATE EXTENSION postgis' >/dev/null
echo "PostgreSQL: $(sql -At -c 'SELECT version()')"
echo "PostGIS:    $(sql -At -c 'SELECT postgis_full_version()')"
echo "settings:   jit=$(sql -At -c 'SHOW jit'), shared_buffers=$(sql -At -c 'SHOW shared_buffers'), work_mem=$(sql -At -c 'SHOW work_mem'); one backend, serial plans (PL/pgSQL SELECT INTO)"
echo "machine:    $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

log "loading $COMMUNES"
start=$(date +%s%N)
"$WORK/postgisload" -communes "$COMMUNES" >"$WORK/load.sql"
sql -f "$WORK/load.sql" >/dev/null
sql -At -F ' ' -c "SELECT 'loaded: ' || count(*) || ' communes, ' || sum(ST_NPoints(geom)) || ' vertices, table ' ||
	pg_size_pretty(pg_total_relation_size('communes')) FROM communes"
echo "load + GiST index + ANALYZE: $((($(date +%s%N) - start) / 1000000)) ms (not counted below)"

"$WORK/tiletimes" -data "$DATA" -region "$REGION" -zooms "$ZOOMS" -list >"$WORK/tiles.txt"
echo "tiles: $(wc -l <"$WORK/tiles.txt") (every tile of z$ZOOMS covering the region's bounds, same list on both sides)"

# --- 4. PostGIS timings ------------------------------------------------------
log "timing PostGIS: 1 untimed pass + $REPS timed passes"
sql >/dev/null <<SQL
CREATE TABLE tiles (z int, x int, y int);
\copy tiles FROM '$WORK/tiles.txt' WITH (FORMAT text, DELIMITER ' ')
CREATE TABLE timings (z int, x int, y int, rep int, ms float8, bytes int);
CREATE FUNCTION bench_tiles(reps int) RETURNS void LANGUAGE plpgsql AS \$\$
DECLARE
	t record;
	t0 timestamptz;
	mvt bytea;
BEGIN
	FOR r IN 0..reps LOOP -- pass 0 is the untimed warm-up
		FOR t IN SELECT * FROM tiles ORDER BY z, x, y LOOP
			t0 := clock_timestamp();
			SELECT ST_AsMVT(q, 'communes', 4096, 'geom') INTO mvt FROM (
				SELECT code, nom, population,
				       ST_AsMVTGeom(geom, ST_TileEnvelope(t.z, t.x, t.y), 4096, 64, true) AS geom
				FROM communes
				WHERE geom && ST_TileEnvelope(t.z, t.x, t.y, margin => 64.0/4096)) q;
			INSERT INTO timings VALUES (t.z, t.x, t.y, r,
				extract(epoch FROM clock_timestamp() - t0) * 1000, coalesce(octet_length(mvt), 0));
		END LOOP;
	END LOOP;
END \$\$;
SELECT bench_tiles($REPS);
SQL
# Same summary as tiletimes: each tile's median over the timed passes, then
# median, p90 and mean over the zoom's tiles; bytes over non-empty tiles.
sql -At -F $'\t' >"$WORK/postgis.tsv" <<'SQL'
WITH per_tile AS (
	SELECT z, x, y, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, max(bytes) AS bytes
	FROM timings WHERE rep > 0 GROUP BY z, x, y)
SELECT z, count(*),
	round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 4),
	round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric, 4),
	round(coalesce(avg(bytes) FILTER (WHERE bytes > 0), 0)), max(bytes),
	round(avg(ms)::numeric, 4), count(*) FILTER (WHERE bytes = 0)
FROM per_tile GROUP BY z ORDER BY z;
SQL
echo
echo "PostGIS, per tile (ms), bytes over non-empty tiles:"
{ echo $'zoom\ttiles\tmedian_ms\tp90_ms\tmean_bytes\tmax_bytes\tmean_ms\tempty'; cat "$WORK/postgis.tsv"; } | tsv_table

# Stop PostgreSQL before timing Cartonum, so that they do not share the CPU.
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null

# --- 5. Cartonum timings -------------------------------------------------------
log "timing Cartonum (bench/tiletimes)"
echo
"$WORK/tiletimes" -data "$DATA" -region "$REGION" -zooms "$ZOOMS" -reps "$REPS" | tee "$WORK/cartonum.out" |
	sed -n '/^#/p'
grep -v '^#' "$WORK/cartonum.out" | tsv_table
grep -v '^#' "$WORK/cartonum.out" | tail -n +2 >"$WORK/cartonum.tsv"

# --- 6. comparison -------------------------------------------------------------
echo
echo "Communes layer, region $REGION, $REPS timed passes; ms per tile (median over the zoom's tiles of each tile's median),"
echo "KB = 1000 bytes of uncompressed MVT, mean over non-empty tiles. PostGIS tiles carry code, nom, population at"
echo "every zoom; Cartonum's carry a numeric id only below z8 and six properties from z8 (see internal/tileset)."
echo
awk -F '\t' -v region="$REGION" '
	NR == FNR { pg[$1] = $0; next }
	{
		split(pg[$1], p, "\t")
		zs[++n] = $1
		tiles[$1] = $2; pmed[$1] = p[3]; cmed[$1] = $3; pp90[$1] = p[4]; cp90[$1] = $4
		pkb[$1] = p[5] / 1000; ckb[$1] = $5 / 1000; pmax[$1] = p[6] / 1000; cmax[$1] = $6 / 1000
		pmean[$1] = p[7]; cmean[$1] = $7; pempty[$1] = p[8]; cempty[$1] = $8
	}
	function ratio(a, b) { return b > 0 ? a / b : 0 }
	END {
		fmt = "| %4s | %5s | %17s | %18s | %10s | %15s | %16s |\n"
		printf fmt, "zoom", "tiles", "PostGIS median ms", "Cartonum median ms", "speed-up ×", "PostGIS mean KB", "Cartonum mean KB"
		printf "|------|-------|-------------------|--------------------|------------|-----------------|------------------|\n"
		for (i = 1; i <= n; i++) {
			z = zs[i]
			printf "| %4s | %5d | %17.4f | %18.4f | %10.1f | %15.1f | %16.1f |\n", z, tiles[z], pmed[z], cmed[z], ratio(pmed[z], cmed[z]), pkb[z], ckb[z]
		}
		print ""
		print "Detail: p90 and mean ms per tile, speed-up on the mean (total time), max KB, empty tiles (PostGIS/Cartonum)."
		print ""
		fmt = "| %4s | %11s | %12s | %12s | %13s | %15s | %11s | %12s | %11s |\n"
		printf fmt, "zoom", "PostGIS p90", "Cartonum p90", "PostGIS mean", "Cartonum mean", "speed-up mean ×", "PostGIS max", "Cartonum max", "empty"
		printf "|------|-------------|--------------|--------------|---------------|-----------------|-------------|--------------|-------------|\n"
		for (i = 1; i <= n; i++) {
			z = zs[i]
			printf "| %4s | %11.4f | %12.4f | %12.4f | %13.4f | %15.1f | %11.1f | %12.1f | %11s |\n", z, pp90[z], cp90[z], pmean[z], cmean[z], ratio(pmean[z], cmean[z]), pmax[z], cmax[z], pempty[z] "/" cempty[z]
		}
		print ""
		missed = ""
		for (i = 1; i <= n; i++) {
			z = zs[i]
			if (z >= 6 && z <= 12 && ratio(pmed[z], cmed[z]) < 5) missed = missed " z" z " (" sprintf("%.1f", ratio(pmed[z], cmed[z])) "×)"
		}
		if (missed == "") print "target ≥ 5× faster than PostGIS (median) at every zoom 6–12: met"
		else print "target ≥ 5× faster than PostGIS (median) at every zoom 6–12: MISSED at" missed
		if (6 in ckb) {
			if (ckb[6] < 100) printf "target z6 communes tile under 100 KB on average: met (%.1f KB; PostGIS %.1f KB)\n", ckb[6], pkb[6]
			else printf "target z6 communes tile under 100 KB on average: MISSED (%.1f KB; PostGIS %.1f KB)\n", ckb[6], pkb[6]
		}
	}' "$WORK/postgis.tsv" "$WORK/cartonum.tsv"
