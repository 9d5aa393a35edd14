-- travel_matrix caches the trips a routing engine (OSRM) computed, so that
-- a restart, a new data version or a what-if asks the engine only about
-- pairs it was never asked. travel identifies the engine and its travel
-- parameters (e.g. "osrm host:port/driving"); coordinates are micro-degrees
-- of the demand point (src) and of the place (dst); seconds and meters are
-- NULL when the engine found no route. data_version is the data version of
-- the request that asked first.
CREATE TABLE travel_matrix (
	travel       TEXT    NOT NULL,
	src_lon      INTEGER NOT NULL,
	src_lat      INTEGER NOT NULL,
	dst_lon      INTEGER NOT NULL,
	dst_lat      INTEGER NOT NULL,
	seconds      REAL,
	meters       REAL,
	data_version INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (travel, src_lon, src_lat, dst_lon, dst_lat)
) STRICT, WITHOUT ROWID;
