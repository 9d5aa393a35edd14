package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Batch is everything one import writes. Apply writes it atomically.
type Batch struct {
	Region     string
	Files      []string
	StartedAt  time.Time
	FinishedAt time.Time

	// Communes, EPCIs and Departements replace their table when non-nil:
	// the listed rows are inserted or updated by code, the others deleted.
	// Nil leaves the table unchanged.
	Communes     []cartonum.Commune
	EPCIs        []cartonum.EPCI
	Departements []cartonum.Departement

	// Upserts are inserted, or fully replace the stored place of the same
	// id; the Provenance.BatchID they carry is ignored. A place that differs
	// from the stored one gets the new import's id as BatchID; one equal to
	// it in every field is left alone (it keeps the BatchID of the import
	// that last changed it, and the data version does not move). Every id of
	// their Provenance.SourceIDs, and their own id, maps to them in
	// place_sources; a source id that another place keeps is an error of
	// kind KindConflict.
	Upserts []cartonum.Place
	// Deletes are ids of places to delete, such as places a merge absorbed.
	// Unknown ids are ignored.
	Deletes []string

	Counts Counts
	// Report is the JSON report of the import, stored as is.
	Report []byte
	// Geocodes are geocoder answers obtained during the import, cached in
	// the same transaction.
	Geocodes []Geocode
}

// Counts are the row counts of an import, as its report states them.
type Counts struct {
	RowsRead, Imported, Merged, Conflicts, Rejected, Repaired int
}

// Import is a past import, as listed by Imports.
type Import struct {
	ID         int64
	Region     string
	Files      []string
	StartedAt  time.Time
	FinishedAt time.Time
	Counts     Counts
	// Changed is how many places the import actually inserted, updated or
	// deleted: len(Upserts)+len(Deletes) when every upsert changed its place
	// and every deleted id existed.
	Changed int
}

// validate checks what SQLite would not, or only halfway through the
// batch: missing and duplicate keys, and the report's syntax.
func (b *Batch) validate() error {
	invalid := func(format string, args ...any) error {
		return cartonum.Errorf(cartonum.KindInvalid, "invalid batch: "+format, args...)
	}
	if err := uniqueCodes("commune", len(b.Communes), func(i int) string { return b.Communes[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("EPCI", len(b.EPCIs), func(i int) string { return b.EPCIs[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("departement", len(b.Departements), func(i int) string { return b.Departements[i].Code }); err != nil {
		return invalid("%s", err)
	}
	if err := uniqueCodes("place", len(b.Upserts), func(i int) string { return b.Upserts[i].ID }); err != nil {
		return invalid("%s", err)
	}
	if len(b.Deletes) > 0 && len(b.Upserts) > 0 {
		upserted := make(map[string]bool, len(b.Upserts))
		for i := range b.Upserts {
			upserted[b.Upserts[i].ID] = true
		}
		for _, id := range b.Deletes {
			if upserted[id] {
				return invalid("place %q both upserted and deleted", id)
			}
		}
	}
	if len(b.Report) > 0 && !json.Valid(b.Report) {
		return invalid("report is not valid JSON")
	}
	return nil
}

// uniqueCodes checks that the n keys key(i) are non-empty and distinct.
func uniqueCodes(what string, n int, key func(int) string) error {
	seen := make(map[string]bool, n)
	for i := range n {
		k := key(i)
		if k == "" {
			return fmt.Errorf("%s %d has an empty key", what, i)
		}
		if seen[k] {
			return fmt.Errorf("duplicate %s %q", what, k)
		}
		seen[k] = true
	}
	return nil
}

// Apply writes b in one transaction and returns the id of the new import:
// either all of b lands or nothing does. The data version is bumped when a
// territory or a place actually changed.
func (db *DB) Apply(ctx context.Context, b Batch) (int64, error) {
	if err := b.validate(); err != nil {
		return 0, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("apply import: begin: %w", err)
	}
	defer tx.Rollback()

	id, err := applyBatch(ctx, tx, &b)
	if err != nil {
		return 0, fmt.Errorf("apply import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("apply import: commit: %w", err)
	}
	return id, nil
}

// applyBatch writes b within tx and returns the new import's id.
func applyBatch(ctx context.Context, tx *sql.Tx, b *Batch) (int64, error) {
	id, err := insertImport(ctx, tx, b)
	if err != nil {
		return 0, err
	}

	territories := 0
	if b.Communes != nil {
		n, err := replaceCommunes(ctx, tx, b.Communes)
		if err != nil {
			return 0, err
		}
		territories += n
	}
	if b.EPCIs != nil {
		n, err := replaceEPCIs(ctx, tx, b.EPCIs)
		if err != nil {
			return 0, err
		}
		territories += n
	}
	if b.Departements != nil {
		n, err := replaceDepartements(ctx, tx, b.Departements)
		if err != nil {
			return 0, err
		}
		territories += n
	}

	places, err := applyPlaces(ctx, tx, id, b.Upserts, b.Deletes)
	if err != nil {
		return 0, err
	}
	if err := putGeocodes(ctx, tx, b.Geocodes); err != nil {
		return 0, err
	}
	if places > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE imports SET changed = ? WHERE id = ?`, places, id); err != nil {
			return 0, fmt.Errorf("import %d: %w", id, err)
		}
	}
	if territories+places > 0 {
		if err := bumpDataVersion(ctx, tx); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// insertImport records the import of b and returns its id.
func insertImport(ctx context.Context, tx *sql.Tx, b *Batch) (int64, error) {
	var report any
	if len(b.Report) > 0 {
		report = string(b.Report)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO imports (started_at, finished_at, region, files,
			rows_read, imported, merged, conflicts, rejected, repaired, report)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(b.StartedAt), formatTime(b.FinishedAt), b.Region, encodeStrings(b.Files),
		b.Counts.RowsRead, b.Counts.Imported, b.Counts.Merged, b.Counts.Conflicts, b.Counts.Rejected, b.Counts.Repaired,
		report)
	if err != nil {
		return 0, fmt.Errorf("insert import: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert import: %w", err)
	}
	return id, nil
}

// Imports returns every import, newest first, without its report.
func (db *DB) Imports(ctx context.Context) ([]Import, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, region, files, started_at, finished_at,
			rows_read, imported, merged, conflicts, rejected, repaired, changed
		FROM imports
		ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()

	var (
		imports               []Import
		files                 sql.RawBytes
		startedAt, finishedAt string
	)
	for rows.Next() {
		var im Import
		c := &im.Counts
		if err := rows.Scan(&im.ID, &im.Region, &files, &startedAt, &finishedAt,
			&c.RowsRead, &c.Imported, &c.Merged, &c.Conflicts, &c.Rejected, &c.Repaired, &im.Changed); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		if im.Files, err = decodeStrings(files); err != nil {
			return nil, fmt.Errorf("import %d: files: %w", im.ID, err)
		}
		if im.StartedAt, err = parseTime(startedAt); err != nil {
			return nil, fmt.Errorf("import %d: %w", im.ID, err)
		}
		if im.FinishedAt, err = parseTime(finishedAt); err != nil {
			return nil, fmt.Errorf("import %d: %w", im.ID, err)
		}
		imports = append(imports, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return imports, nil
}

// ImportReport returns the JSON report of import id as it was given to
// Apply (nil if it had none), or an error of kind KindNotFound.
func (db *DB) ImportReport(ctx context.Context, id int64) ([]byte, error) {
	var report []byte
	err := db.read.QueryRowContext(ctx, `SELECT report FROM imports WHERE id = ?`, id).Scan(&report)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cartonum.Errorf(cartonum.KindNotFound, "import %d not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("import %d report: %w", id, err)
	}
	return report, nil
}
