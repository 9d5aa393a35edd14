package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// EPCIs returns every EPCI, ordered by code.
func (db *DB) EPCIs(ctx context.Context) ([]cartonum.EPCI, error) {
	return readEPCIs(ctx, db.read)
}

// readEPCIs reads every EPCI through q, ordered by code.
func readEPCIs(ctx context.Context, q querier) ([]cartonum.EPCI, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT code, nom, type, population, membres
		FROM epci
		ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("epci: %w", err)
	}
	defer rows.Close()

	var (
		epcis   []cartonum.EPCI
		membres sql.RawBytes
	)
	for rows.Next() {
		var e cartonum.EPCI
		if err := rows.Scan(&e.Code, &e.Nom, &e.Type, &e.Population, &membres); err != nil {
			return nil, fmt.Errorf("epci: %w", err)
		}
		if e.Membres, err = decodeStrings(membres); err != nil {
			return nil, fmt.Errorf("epci %s: %w", e.Code, err)
		}
		epcis = append(epcis, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("epci: %w", err)
	}
	return epcis, nil
}

// replaceEPCIs makes the epci table hold exactly es, writing only the rows
// that differ, and returns how many rows it inserted, updated or deleted.
func replaceEPCIs(ctx context.Context, tx *sql.Tx, es []cartonum.EPCI) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO epci (code, nom, type, population, membres)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET
			nom = excluded.nom,
			type = excluded.type,
			population = excluded.population,
			membres = excluded.membres
		WHERE (epci.nom, epci.type, epci.population, epci.membres)
			IS NOT (excluded.nom, excluded.type, excluded.population, excluded.membres)`)
	if err != nil {
		return 0, fmt.Errorf("epci: %w", err)
	}
	defer stmt.Close()

	ectx := context.WithoutCancel(ctx) // see applyPlaces
	changed := 0
	codes := make([]string, len(es))
	for i, e := range es {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("epci %s: %w", e.Code, err)
		}
		codes[i] = e.Code
		res, err := stmt.ExecContext(ectx, e.Code, e.Nom, e.Type, e.Population, encodeStrings(e.Membres))
		if err != nil {
			return 0, fmt.Errorf("epci %s: %w", e.Code, err)
		}
		changed += rowsAffected(res)
	}

	res, err := tx.ExecContext(ctx, `
		DELETE FROM epci WHERE code NOT IN (SELECT value FROM json_each(?))`, encodeStrings(codes))
	if err != nil {
		return 0, fmt.Errorf("epci: delete: %w", err)
	}
	return changed + rowsAffected(res), nil
}
