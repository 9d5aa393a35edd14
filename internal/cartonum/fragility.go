package cartonum

import "time"

// FragilityScore is a commune's digital-fragility score, as imported by
// cartonum import-fragility (La MedNum's index or any score per commune or
// IRIS): higher is more fragile. Units is the number of rows behind it (1
// for a commune-level file, its IRIS otherwise).
type FragilityScore struct {
	Code  string
	Score float64
	Units int
}

// FragilityImport records one accepted fragility import: the file, how its
// columns were mapped, and what became of its rows (every row is imported,
// outside the region or rejected).
type FragilityImport struct {
	ID            int64
	ImportedAt    time.Time
	File          string
	Level         string // commune or iris
	CodeCol       string
	ScoreCol      string
	PopulationCol string
	Rows          int
	Imported      int
	Outside       int
	Rejected      int
	// Communes is how many communes received a score.
	Communes int
}
