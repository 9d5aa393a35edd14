package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Geocode is one cached geocoder answer.
type Geocode = cartonum.Geocode

// Geocodes returns every cached geocoder answer, by key.
func (db *DB) Geocodes(ctx context.Context) (map[string]Geocode, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT key, found, lon, lat, score, citycode, label, kind, fetched_at FROM geocodes`)
	if err != nil {
		return nil, fmt.Errorf("geocodes: %w", err)
	}
	defer rows.Close()
	out := map[string]Geocode{}
	for rows.Next() {
		var g Geocode
		var fetched string
		if err := rows.Scan(&g.Key, &g.Found, &g.Lon, &g.Lat, &g.Score, &g.CityCode, &g.Label, &g.Kind, &fetched); err != nil {
			return nil, fmt.Errorf("geocodes: %w", err)
		}
		if g.FetchedAt, err = parseTime(fetched); err != nil {
			return nil, fmt.Errorf("geocode %q: %w", g.Key, err)
		}
		out[g.Key] = g
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("geocodes: %w", err)
	}
	return out, nil
}

// putGeocodes stores geocoder answers, replacing older ones of the same key.
func putGeocodes(ctx context.Context, tx *sql.Tx, list []Geocode) error {
	if len(list) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO geocodes (key, found, lon, lat, score, citycode, label, kind, fetched_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET found = excluded.found, lon = excluded.lon, lat = excluded.lat,
			score = excluded.score, citycode = excluded.citycode, label = excluded.label,
			kind = excluded.kind, fetched_at = excluded.fetched_at`)
	if err != nil {
		return fmt.Errorf("geocodes: %w", err)
	}
	defer stmt.Close()
	for _, g := range list {
		if _, err := stmt.ExecContext(ctx, g.Key, g.Found, g.Lon, g.Lat, g.Score, g.CityCode, g.Label, g.Kind, formatTime(g.FetchedAt)); err != nil {
			return fmt.Errorf("geocode %q: %w", g.Key, err)
		}
	}
	return nil
}
