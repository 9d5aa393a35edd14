-- Id conflicts are a fate of their own in the import counts.
ALTER TABLE imports ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0;

-- geocodes caches the geocoder's answers used at import, so that importing
-- the same file again does not query the geocoder again. key is the query
-- (address, postcode, commune code) as sent; found = 0 records "no result".
CREATE TABLE geocodes (
	key        TEXT PRIMARY KEY,
	found      INTEGER NOT NULL,
	lon        REAL NOT NULL DEFAULT 0,
	lat        REAL NOT NULL DEFAULT 0,
	score      REAL NOT NULL DEFAULT 0,
	citycode   TEXT NOT NULL DEFAULT '',
	label      TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL DEFAULT '',
	fetched_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
