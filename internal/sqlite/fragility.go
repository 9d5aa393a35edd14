package sqlite

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// ReplaceFragility makes the fragility scores exactly scores, records the
// import and bumps the data version, in one transaction: an import that
// fails leaves the previous scores in place.
func (db *DB) ReplaceFragility(ctx context.Context, scores []cartonum.FragilityScore, rec cartonum.FragilityImport) (int64, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("fragility: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM commune_fragility`); err != nil {
		return 0, fmt.Errorf("fragility: clear: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO commune_fragility (code, score, units) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("fragility: %w", err)
	}
	defer stmt.Close()
	for _, s := range scores {
		if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
			return 0, fmt.Errorf("fragility: score of %s is not a number", s.Code)
		}
		if _, err := stmt.ExecContext(ctx, s.Code, s.Score, s.Units); err != nil {
			return 0, fmt.Errorf("fragility: %s: %w", s.Code, err)
		}
	}
	if rec.ImportedAt.IsZero() {
		rec.ImportedAt = time.Now()
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO fragility_imports (imported_at, file, level, code_col, score_col, population_col,
			rows, imported, outside, rejected, communes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(rec.ImportedAt), rec.File, rec.Level, rec.CodeCol, rec.ScoreCol, rec.PopulationCol,
		rec.Rows, rec.Imported, rec.Outside, rec.Rejected, rec.Communes)
	if err != nil {
		return 0, fmt.Errorf("fragility: record import: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("fragility: record import: %w", err)
	}
	if err := bumpDataVersion(ctx, tx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("fragility: commit: %w", err)
	}
	return id, nil
}

// Fragility returns the fragility score of each commune that has one.
func (db *DB) Fragility(ctx context.Context) (map[string]float64, error) {
	return readFragility(ctx, db.read)
}

// readFragility reads the fragility scores through q.
func readFragility(ctx context.Context, q querier) (map[string]float64, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, score FROM commune_fragility`)
	if err != nil {
		return nil, fmt.Errorf("fragility: %w", err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		var code string
		var score float64
		if err := rows.Scan(&code, &score); err != nil {
			return nil, fmt.Errorf("fragility: %w", err)
		}
		out[code] = score
	}
	return out, rows.Err()
}

// FragilityImports lists the fragility imports, the latest first.
func (db *DB) FragilityImports(ctx context.Context) ([]cartonum.FragilityImport, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, imported_at, file, level, code_col, score_col, population_col,
			rows, imported, outside, rejected, communes
		FROM fragility_imports ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("fragility imports: %w", err)
	}
	defer rows.Close()
	var out []cartonum.FragilityImport
	for rows.Next() {
		var r cartonum.FragilityImport
		var at string
		if err := rows.Scan(&r.ID, &at, &r.File, &r.Level, &r.CodeCol, &r.ScoreCol, &r.PopulationCol,
			&r.Rows, &r.Imported, &r.Outside, &r.Rejected, &r.Communes); err != nil {
			return nil, fmt.Errorf("fragility imports: %w", err)
		}
		if r.ImportedAt, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
