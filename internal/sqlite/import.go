package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Batch is everything one import writes; Apply writes it atomically.
type Batch = cartonum.Batch

// Counts are the row counts of an import, as its report states them.
type Counts = cartonum.Counts

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

// Apply writes b in one transaction and returns the id of the new import:
// either all of b lands or nothing does. The data version is bumped when a
// territory or a place actually changed. When b.Base is set and the data
// version is no longer *b.Base, nothing is written and the error, of kind
// KindConflict, wraps cartonum.ErrStale: the version is read inside the
// write transaction, which holds the database's write lock from its start,
// so no other writer can move it between the check and the commit.
func (db *DB) Apply(ctx context.Context, b Batch) (int64, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("apply import: begin: %w", err)
	}
	defer tx.Rollback()

	if b.Base != nil {
		v, err := readVersion(ctx, tx)
		if err != nil {
			return 0, fmt.Errorf("apply import: %w", err)
		}
		if v != *b.Base {
			return 0, &cartonum.Error{Kind: cartonum.KindConflict, Err: cartonum.ErrStale,
				Message: fmt.Sprintf("import calculé sur la version %d des données, devenue %d", *b.Base, v)}
		}
	}
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
