-- Gridded population (cartonum import-grid): INSEE Filosofi 200 m squares
-- of the region, each assigned to the commune that holds its centre. An
-- import replaces every row at once; grid_imports records each accepted
-- import and what became of its rows.
CREATE TABLE grid_cells (
    idcar     TEXT PRIMARY KEY, -- Idcar_200m, e.g. CRS3035RES200mN2029800E3780600
    commune   TEXT NOT NULL,    -- INSEE code of the commune holding the centre
    lon       REAL NOT NULL,    -- centre, WGS84
    lat       REAL NOT NULL,
    ind       REAL NOT NULL,    -- Ind: inhabitants
    men       REAL NOT NULL,    -- Men: households
    men_pauv  REAL NOT NULL,    -- Men_pauv: poor households
    ind_65p   REAL NOT NULL,    -- Ind_65_79 + Ind_80p: inhabitants aged 65+
    poor      REAL NOT NULL     -- Ind × Men_pauv / Men: inhabitants of poor households
) STRICT;

CREATE INDEX grid_cells_commune_idx ON grid_cells (commune);

CREATE TABLE grid_imports (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    file        TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    imported    INTEGER NOT NULL,
    outside     INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    communes    INTEGER NOT NULL,  -- communes with at least one cell
    report      TEXT NOT NULL DEFAULT '{}'
) STRICT;
