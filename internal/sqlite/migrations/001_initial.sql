-- Initial schema of the Cartonum store.

-- meta holds store-wide counters; data_version is bumped by every import
-- that changes a row of territories or places, so caches can tell stale data.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('data_version', 0);

-- imports records every applied batch with its counts and JSON report.
CREATE TABLE imports (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	region      TEXT NOT NULL,
	files       TEXT NOT NULL DEFAULT '[]', -- JSON array of file names
	rows_read   INTEGER NOT NULL DEFAULT 0,
	imported    INTEGER NOT NULL DEFAULT 0,
	merged      INTEGER NOT NULL DEFAULT 0,
	rejected    INTEGER NOT NULL DEFAULT 0,
	repaired    INTEGER NOT NULL DEFAULT 0,
	changed     INTEGER NOT NULL DEFAULT 0, -- places inserted, updated or deleted
	report      TEXT                        -- JSON, stored as given
) STRICT;

CREATE TABLE communes (
	code             TEXT PRIMARY KEY,
	nom              TEXT NOT NULL,
	code_departement TEXT NOT NULL,
	code_region      TEXT NOT NULL,
	code_epci        TEXT NOT NULL DEFAULT '',
	codes_postaux    TEXT NOT NULL DEFAULT '[]', -- JSON array
	population       INTEGER NOT NULL DEFAULT 0,
	geometry         BLOB,                       -- WKB MultiPolygon, WGS84
	min_lon          REAL,
	min_lat          REAL,
	max_lon          REAL,
	max_lat          REAL
) STRICT;

CREATE TABLE epci (
	code       TEXT PRIMARY KEY,
	nom        TEXT NOT NULL,
	type       TEXT NOT NULL DEFAULT '',
	population INTEGER NOT NULL DEFAULT 0,
	membres    TEXT NOT NULL DEFAULT '[]' -- JSON array of commune codes
) STRICT;

CREATE TABLE departements (
	code     TEXT PRIMARY KEY,
	nom      TEXT NOT NULL,
	geometry BLOB -- WKB MultiPolygon, WGS84
) STRICT;

-- places has one column per field of the standard (lists as JSON arrays)
-- and the provenance columns. code_insee is deliberately not a foreign key:
-- places may lie outside the region's communes.
CREATE TABLE places (
	id                              TEXT PRIMARY KEY,
	pivot                           TEXT NOT NULL DEFAULT '',
	nom                             TEXT NOT NULL DEFAULT '',
	commune                         TEXT NOT NULL DEFAULT '',
	code_postal                     TEXT NOT NULL DEFAULT '',
	code_insee                      TEXT NOT NULL DEFAULT '',
	adresse                         TEXT NOT NULL DEFAULT '',
	complement_adresse              TEXT NOT NULL DEFAULT '',
	latitude                        REAL NOT NULL,
	longitude                       REAL NOT NULL,
	typologie                       TEXT NOT NULL DEFAULT '[]',
	telephone                       TEXT NOT NULL DEFAULT '',
	courriels                       TEXT NOT NULL DEFAULT '[]',
	site_web                        TEXT NOT NULL DEFAULT '[]',
	horaires                        TEXT NOT NULL DEFAULT '',
	presentation_resume             TEXT NOT NULL DEFAULT '',
	presentation_detail             TEXT NOT NULL DEFAULT '',
	source                          TEXT NOT NULL DEFAULT '',
	itinerance                      TEXT NOT NULL DEFAULT '[]',
	structure_parente               TEXT NOT NULL DEFAULT '',
	date_maj                        TEXT NOT NULL DEFAULT '',
	services                        TEXT NOT NULL DEFAULT '[]',
	publics_specifiquement_adresses TEXT NOT NULL DEFAULT '[]',
	prise_en_charge_specifique      TEXT NOT NULL DEFAULT '[]',
	frais_a_charge                  TEXT NOT NULL DEFAULT '[]',
	dispositif_programmes_nationaux TEXT NOT NULL DEFAULT '[]',
	formations_labels               TEXT NOT NULL DEFAULT '[]',
	autres_formations_labels        TEXT NOT NULL DEFAULT '[]',
	modalites_acces                 TEXT NOT NULL DEFAULT '[]',
	modalites_accompagnement        TEXT NOT NULL DEFAULT '[]',
	fiche_acces_libre               TEXT NOT NULL DEFAULT '',
	prise_rdv                       TEXT NOT NULL DEFAULT '',

	source_ids       TEXT NOT NULL DEFAULT '[]', -- JSON array, own id first
	sources          TEXT NOT NULL DEFAULT '[]', -- JSON array
	precision        TEXT NOT NULL DEFAULT '',
	outside_region   INTEGER NOT NULL DEFAULT 0,
	horaires_invalid INTEGER NOT NULL DEFAULT 0,
	repairs          TEXT NOT NULL DEFAULT '[]', -- JSON array of {field, message}
	batch_id         INTEGER NOT NULL REFERENCES imports (id)
) STRICT;

CREATE INDEX places_code_insee_idx ON places (code_insee);
CREATE INDEX places_batch_id_idx ON places (batch_id);

-- place_sources maps every source record id to the place it was merged into.
CREATE TABLE place_sources (
	source_id TEXT PRIMARY KEY,
	place_id  TEXT NOT NULL REFERENCES places (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX place_sources_place_id_idx ON place_sources (place_id);
