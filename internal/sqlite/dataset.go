package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// querier is what the read helpers need: a connection pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Load reads the data version, the territories, the open places and the
// moderators' overrides in one read transaction: in WAL mode it sees one
// committed state from its first read to its last, so the dataset never
// mixes two imports, whatever is written meanwhile.
func (db *DB) Load(ctx context.Context) (cartonum.Dataset, error) {
	var d cartonum.Dataset
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return d, fmt.Errorf("load: begin: %w", err)
	}
	defer tx.Rollback()
	if d.Version, err = readVersion(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if d.Communes, err = readCommunes(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if d.EPCIs, err = readEPCIs(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if d.Departements, err = readDepartements(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if d.Places, err = readPlaces(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if d.Overrides, err = readOverrides(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	return d, nil
}

// readVersion reads the data version through q.
func readVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
