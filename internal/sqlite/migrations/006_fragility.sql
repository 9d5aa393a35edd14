-- Digital-fragility scores (cartonum import-fragility): one score per
-- commune, IRIS scores already aggregated to their commune. An import
-- replaces every row at once; fragility_imports records each accepted
-- import and what became of its rows.
CREATE TABLE commune_fragility (
    code  TEXT PRIMARY KEY,
    score REAL NOT NULL,
    -- units is the number of rows (communes or IRIS) behind the score.
    units INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE fragility_imports (
    id             INTEGER PRIMARY KEY,
    imported_at    TEXT NOT NULL,
    file           TEXT NOT NULL,
    level          TEXT NOT NULL,
    code_col       TEXT NOT NULL,
    score_col      TEXT NOT NULL,
    population_col TEXT NOT NULL DEFAULT '',
    rows           INTEGER NOT NULL,
    imported       INTEGER NOT NULL,
    outside        INTEGER NOT NULL,
    rejected       INTEGER NOT NULL,
    communes       INTEGER NOT NULL
) STRICT;
