package cartonum

import "time"

// GridCell is one square of INSEE's gridded population (Filosofi 200 m) as
// cartonum import-grid stores it: its identifier, the commune that holds
// its centre, the centre in WGS84, and its counts. Elderly is Ind_65_79 +
// Ind_80p; Poor, the inhabitants of poor households, is Ind × Men_pauv /
// Men (the squares count poor households, not people).
type GridCell struct {
	Idcar   string  `json:"idcar"`
	Commune string  `json:"commune"`
	Lon     float64 `json:"lon"`
	Lat     float64 `json:"lat"`
	Ind     float64 `json:"ind"`
	Men     float64 `json:"men"`
	MenPauv float64 `json:"men_pauv"`
	Elderly float64 `json:"ind_65plus"`
	Poor    float64 `json:"poor"`
}

// GridImport records one accepted grid import and the fate of every row of
// its file: imported, outside the region, or rejected (with its line and
// reason).
type GridImport struct {
	ID         int64     `json:"id,omitempty"`
	ImportedAt time.Time `json:"imported_at"`
	File       string    `json:"file"`
	Rows       int       `json:"rows"`
	Imported   int       `json:"imported"`
	Outside    int       `json:"outside"`
	Rejected   int       `json:"rejected"`
	// Communes is how many communes hold at least one imported cell;
	// Population is the inhabitants of the imported cells, before they are
	// calibrated to the communes' legal population.
	Communes   int          `json:"communes"`
	Population float64      `json:"population"`
	Rejects    []GridReject `json:"rejects"`
}

// GridReject is a row of a grid file that was not imported, and why.
type GridReject struct {
	Line   int    `json:"ligne"`
	Idcar  string `json:"idcar,omitempty"`
	Reason string `json:"motif"`
}
