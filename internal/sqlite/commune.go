package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Communes returns every commune, ordered by code.
func (db *DB) Communes(ctx context.Context) ([]cartonum.Commune, error) {
	return readCommunes(ctx, db.read)
}

// readCommunes reads every commune through q, ordered by code, with its
// fragility score (0 when it has none).
func readCommunes(ctx context.Context, q querier) ([]cartonum.Commune, error) {
	var n int // the slice's capacity: the rows read next are as many in a transaction
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM communes`).Scan(&n); err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT c.code, c.nom, c.code_departement, c.code_region, c.code_epci, c.codes_postaux, c.population,
			c.geometry, COALESCE(f.score, 0)
		FROM communes c LEFT JOIN commune_fragility f ON f.code = c.code
		ORDER BY c.code`)
	if err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	defer rows.Close()

	var (
		communes = make([]cartonum.Commune, 0, n)
		postaux  sql.RawBytes
		geometry sql.RawBytes
	)
	for rows.Next() {
		var c cartonum.Commune
		if err := rows.Scan(&c.Code, &c.Nom, &c.CodeDepartement, &c.CodeRegion, &c.CodeEpci,
			&postaux, &c.Population, &geometry, &c.Fragility); err != nil {
			return nil, fmt.Errorf("communes: %w", err)
		}
		if c.CodesPostaux, err = decodeStrings(postaux); err != nil {
			return nil, fmt.Errorf("communes: %s: %w", c.Code, err)
		}
		if c.Geometry, err = decodeGeometry(geometry); err != nil {
			return nil, fmt.Errorf("communes: %s: %w", c.Code, err)
		}
		communes = append(communes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	return communes, nil
}

// replaceCommunes makes the communes table hold exactly cs, writing only the
// rows that differ, and returns how many rows it inserted, updated or
// deleted.
func replaceCommunes(ctx context.Context, tx *sql.Tx, cs []cartonum.Commune) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO communes (code, nom, code_departement, code_region, code_epci, codes_postaux,
			population, geometry, min_lon, min_lat, max_lon, max_lat)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET
			nom = excluded.nom,
			code_departement = excluded.code_departement,
			code_region = excluded.code_region,
			code_epci = excluded.code_epci,
			codes_postaux = excluded.codes_postaux,
			population = excluded.population,
			geometry = excluded.geometry,
			min_lon = excluded.min_lon,
			min_lat = excluded.min_lat,
			max_lon = excluded.max_lon,
			max_lat = excluded.max_lat
		WHERE (communes.nom, communes.code_departement, communes.code_region, communes.code_epci,
				communes.codes_postaux, communes.population, communes.geometry)
			IS NOT (excluded.nom, excluded.code_departement, excluded.code_region, excluded.code_epci,
				excluded.codes_postaux, excluded.population, excluded.geometry)`)
	if err != nil {
		return 0, fmt.Errorf("communes: %w", err)
	}
	defer stmt.Close()

	ectx := context.WithoutCancel(ctx) // see applyPlaces
	changed := 0
	codes := make([]string, len(cs))
	for i, c := range cs {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("commune %s: %w", c.Code, err)
		}
		codes[i] = c.Code
		geometry, err := encodeGeometry(c.Geometry)
		if err != nil {
			return 0, fmt.Errorf("commune %s: %w", c.Code, err)
		}
		var minLon, minLat, maxLon, maxLat any
		if geometry != nil {
			b := c.Geometry.Bound()
			minLon, minLat, maxLon, maxLat = b.Min.Lon(), b.Min.Lat(), b.Max.Lon(), b.Max.Lat()
		}
		res, err := stmt.ExecContext(ectx, c.Code, c.Nom, c.CodeDepartement, c.CodeRegion, c.CodeEpci,
			encodeStrings(c.CodesPostaux), c.Population, geometry, minLon, minLat, maxLon, maxLat)
		if err != nil {
			return 0, fmt.Errorf("commune %s: %w", c.Code, err)
		}
		changed += rowsAffected(res)
	}

	res, err := tx.ExecContext(ctx, `
		DELETE FROM communes WHERE code NOT IN (SELECT value FROM json_each(?))`, encodeStrings(codes))
	if err != nil {
		return 0, fmt.Errorf("communes: delete: %w", err)
	}
	return changed + rowsAffected(res), nil
}
