package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// ReplaceGrid makes the gridded population exactly cells, records the
// import with its report and bumps the data version, in one transaction:
// an import that fails leaves the previous cells in place.
func (db *DB) ReplaceGrid(ctx context.Context, cells []cartonum.GridCell, rec cartonum.GridImport) (int64, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("grid: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM grid_cells`); err != nil {
		return 0, fmt.Errorf("grid: clear: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO grid_cells (idcar, commune, lon, lat, ind, men, men_pauv, ind_65p, poor)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("grid: %w", err)
	}
	defer stmt.Close()
	for i := range cells {
		c := &cells[i]
		for _, v := range []float64{c.Lon, c.Lat, c.Ind, c.Men, c.MenPauv, c.Elderly, c.Poor} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("grid: cell %s: a value is not a number", c.Idcar)
			}
		}
		if _, err := stmt.ExecContext(ctx, c.Idcar, c.Commune, c.Lon, c.Lat, c.Ind, c.Men, c.MenPauv, c.Elderly, c.Poor); err != nil {
			return 0, fmt.Errorf("grid: cell %s: %w", c.Idcar, err)
		}
	}
	if rec.ImportedAt.IsZero() {
		rec.ImportedAt = time.Now()
	}
	report, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("grid: report: %w", err)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO grid_imports (imported_at, file, rows, imported, outside, rejected, communes, report)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(rec.ImportedAt), rec.File, rec.Rows, rec.Imported, rec.Outside, rec.Rejected, rec.Communes, string(report))
	if err != nil {
		return 0, fmt.Errorf("grid: record import: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("grid: record import: %w", err)
	}
	if err := bumpDataVersion(ctx, tx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("grid: commit: %w", err)
	}
	return id, nil
}

// GridCells returns the gridded population, ordered by commune and
// identifier, with the data version it was read at (both in one read
// transaction). It is empty when no grid was imported.
func (db *DB) GridCells(ctx context.Context) (int64, []cartonum.GridCell, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("grid: begin: %w", err)
	}
	defer tx.Rollback()
	v, err := readVersion(ctx, tx)
	if err != nil {
		return 0, nil, fmt.Errorf("grid: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM grid_cells`).Scan(&n); err != nil {
		return 0, nil, fmt.Errorf("grid: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT idcar, commune, lon, lat, ind, men, men_pauv, ind_65p, poor
		FROM grid_cells ORDER BY commune, idcar`)
	if err != nil {
		return 0, nil, fmt.Errorf("grid: %w", err)
	}
	defer rows.Close()
	out := make([]cartonum.GridCell, 0, n)
	for rows.Next() {
		var c cartonum.GridCell
		if err := rows.Scan(&c.Idcar, &c.Commune, &c.Lon, &c.Lat, &c.Ind, &c.Men, &c.MenPauv, &c.Elderly, &c.Poor); err != nil {
			return 0, nil, fmt.Errorf("grid: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("grid: %w", err)
	}
	return v, out, nil
}

// GridImports lists the grid imports, the latest first, with their
// reports.
func (db *DB) GridImports(ctx context.Context) ([]cartonum.GridImport, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, report FROM grid_imports ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("grid imports: %w", err)
	}
	defer rows.Close()
	var out []cartonum.GridImport
	for rows.Next() {
		var id int64
		var report string
		if err := rows.Scan(&id, &report); err != nil {
			return nil, fmt.Errorf("grid imports: %w", err)
		}
		var r cartonum.GridImport
		if err := json.Unmarshal([]byte(report), &r); err != nil {
			return nil, fmt.Errorf("grid imports: %d: %w", id, err)
		}
		r.ID = id
		out = append(out, r)
	}
	return out, rows.Err()
}
