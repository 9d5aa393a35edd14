-- derived keeps what a process derives from the data and would otherwise
-- compute again at every start (the topology of the communes, the default
-- indicators of the data version): name says
-- what it is, key identifies what it was derived from and by which
-- program, data is its encoding. It is a cache: deleting a row costs the
-- next start the time to compute it, nothing else, and no data version
-- depends on it.
CREATE TABLE derived (
	name       TEXT NOT NULL PRIMARY KEY,
	key        BLOB NOT NULL,
	data       BLOB NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
