-- Contributions, moderation and history (issue 10).

-- The extra columns beyond the standard (JSON arrays), and the closure of a
-- place by moderation: a closed place (closed_at set) is out of the dataset
-- but keeps its row, its history and its source ids, and can be reopened.
ALTER TABLE places ADD COLUMN equipements    TEXT NOT NULL DEFAULT '[]';
ALTER TABLE places ADD COLUMN qualifications TEXT NOT NULL DEFAULT '[]';
ALTER TABLE places ADD COLUMN closed_at      TEXT;

-- Every applied batch is an import or a moderation, with its author.
ALTER TABLE imports ADD COLUMN kind        TEXT NOT NULL DEFAULT 'import'; -- import | moderation
ALTER TABLE imports ADD COLUMN actor_user  INTEGER NOT NULL DEFAULT 0;     -- users.id, moderation
ALTER TABLE imports ADD COLUMN actor_email TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN proposal_id INTEGER NOT NULL DEFAULT 0;     -- the proposal applied, if any

-- place_history has one row per place a batch created, changed, closed,
-- reopened or deleted. place_id is no foreign key: the history of a
-- deleted place stays.
CREATE TABLE place_history (
	id       INTEGER PRIMARY KEY,
	place_id TEXT NOT NULL,
	batch_id INTEGER NOT NULL REFERENCES imports (id),
	at       TEXT NOT NULL,
	action   TEXT NOT NULL,              -- creation | modification | fermeture | reouverture | suppression
	fields   TEXT NOT NULL DEFAULT '[]', -- JSON array of the changed columns
	before   TEXT,                       -- JSON object, null for a creation
	after    TEXT                        -- JSON object, null for a deletion
) STRICT;

CREATE INDEX place_history_place_id_idx ON place_history (place_id, id);

-- place_overrides are the fields moderators set: imports keep them against
-- older source values.
CREATE TABLE place_overrides (
	place_id TEXT NOT NULL,
	field    TEXT NOT NULL,
	value    TEXT NOT NULL, -- JSON
	at       TEXT NOT NULL,
	batch_id INTEGER NOT NULL REFERENCES imports (id),
	PRIMARY KEY (place_id, field)
) STRICT, WITHOUT ROWID;

-- proposals are the contributions and the sources' newer values, waiting
-- for or having had a moderator's decision.
CREATE TABLE proposals (
	id          INTEGER PRIMARY KEY,
	type        TEXT NOT NULL,
	place_id    TEXT NOT NULL DEFAULT '',
	fields      TEXT NOT NULL DEFAULT '{}', -- JSON object
	motive      TEXT NOT NULL DEFAULT '',
	comment     TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	token       TEXT NOT NULL DEFAULT '',
	client      TEXT NOT NULL DEFAULT '',
	origin      TEXT NOT NULL DEFAULT '',
	source_name TEXT NOT NULL DEFAULT '',
	key         TEXT NOT NULL DEFAULT '',
	code_insee  TEXT NOT NULL DEFAULT '',
	epci        TEXT NOT NULL DEFAULT '',
	departement TEXT NOT NULL DEFAULT '',
	lon         REAL NOT NULL DEFAULT 0,
	lat         REAL NOT NULL DEFAULT 0,
	status      TEXT NOT NULL DEFAULT 'en_attente',
	reason      TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	decided_at  TEXT NOT NULL DEFAULT '',
	decided_by  INTEGER NOT NULL DEFAULT 0,
	result      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE UNIQUE INDEX proposals_token_idx ON proposals (token) WHERE token <> '';
CREATE UNIQUE INDEX proposals_key_idx ON proposals (key) WHERE key <> '';
CREATE INDEX proposals_queue_idx ON proposals (status, departement, created_at);
CREATE INDEX proposals_epci_idx ON proposals (status, epci, created_at);
CREATE INDEX proposals_client_idx ON proposals (client, created_at);
CREATE INDEX proposals_place_idx ON proposals (place_id);

-- users are the moderators' and administrators' accounts.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	departements  TEXT NOT NULL DEFAULT '[]', -- JSON array
	epcis         TEXT NOT NULL DEFAULT '[]', -- JSON array
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    TEXT NOT NULL
) STRICT;

-- sessions keep a hash of each session token, never the token.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- login_failures records failed logins by key (an e-mail, a client), for
-- the throttle.
CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  TEXT NOT NULL
) STRICT;

CREATE INDEX login_failures_key_idx ON login_failures (key, at);
CREATE INDEX login_failures_at_idx ON login_failures (at);
