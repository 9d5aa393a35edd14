package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Departements returns every département, ordered by code.
func (db *DB) Departements(ctx context.Context) ([]cartonum.Departement, error) {
	return readDepartements(ctx, db.read)
}

// readDepartements reads every département through q, ordered by code.
func readDepartements(ctx context.Context, q querier) ([]cartonum.Departement, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT code, nom, geometry
		FROM departements
		ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("departements: %w", err)
	}
	defer rows.Close()

	var (
		departements []cartonum.Departement
		geometry     sql.RawBytes
	)
	for rows.Next() {
		var d cartonum.Departement
		if err := rows.Scan(&d.Code, &d.Nom, &geometry); err != nil {
			return nil, fmt.Errorf("departements: %w", err)
		}
		if d.Geometry, err = decodeGeometry(geometry); err != nil {
			return nil, fmt.Errorf("departement %s: %w", d.Code, err)
		}
		departements = append(departements, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("departements: %w", err)
	}
	return departements, nil
}

// replaceDepartements makes the departements table hold exactly ds, writing
// only the rows that differ, and returns how many rows it inserted, updated
// or deleted.
func replaceDepartements(ctx context.Context, tx *sql.Tx, ds []cartonum.Departement) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO departements (code, nom, geometry)
		VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET
			nom = excluded.nom,
			geometry = excluded.geometry
		WHERE (departements.nom, departements.geometry) IS NOT (excluded.nom, excluded.geometry)`)
	if err != nil {
		return 0, fmt.Errorf("departements: %w", err)
	}
	defer stmt.Close()

	ectx := context.WithoutCancel(ctx) // see applyPlaces
	changed := 0
	codes := make([]string, len(ds))
	for i, d := range ds {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("departement %s: %w", d.Code, err)
		}
		codes[i] = d.Code
		geometry, err := encodeGeometry(d.Geometry)
		if err != nil {
			return 0, fmt.Errorf("departement %s: %w", d.Code, err)
		}
		res, err := stmt.ExecContext(ectx, d.Code, d.Nom, geometry)
		if err != nil {
			return 0, fmt.Errorf("departement %s: %w", d.Code, err)
		}
		changed += rowsAffected(res)
	}

	res, err := tx.ExecContext(ctx, `
		DELETE FROM departements WHERE code NOT IN (SELECT value FROM json_each(?))`, encodeStrings(codes))
	if err != nil {
		return 0, fmt.Errorf("departements: delete: %w", err)
	}
	return changed + rowsAffected(res), nil
}
