-- scenarios keeps the what-if scenarios planners chose to save: the
-- request and its result, as JSON.
CREATE TABLE scenarios (
	id         INTEGER PRIMARY KEY,
	created_at TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	body       TEXT NOT NULL
) STRICT;
