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
// mixes two imports, whatever is written meanwhile. The places are read
// while the territories are, through the same transaction: its connection
// steps one statement at a time, the rows are decoded concurrently.
func (db *DB) Load(ctx context.Context) (cartonum.Dataset, error) {
	var d cartonum.Dataset
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return d, fmt.Errorf("load: begin: %w", err)
	}
	defer tx.Rollback()
	// The first read starts the transaction's snapshot, before the places
	// are read concurrently.
	if d.Version, err = readVersion(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	type placesRead struct {
		places []cartonum.Place
		err    error
	}
	placesc := make(chan placesRead, 1)
	go func() {
		ps, err := readPlaces(ctx, tx)
		placesc <- placesRead{ps, err}
	}()
	err = readTerritories(ctx, tx, &d)
	pr := <-placesc // before the deferred rollback: the goroutine uses tx
	if err != nil {
		return cartonum.Dataset{}, fmt.Errorf("load: %w", err)
	}
	if pr.err != nil {
		return cartonum.Dataset{}, fmt.Errorf("load: %w", pr.err)
	}
	d.Places = pr.places
	return d, nil
}

// readTerritories reads the communes, EPCIs, départements and overrides of
// Load through q.
func readTerritories(ctx context.Context, q querier, d *cartonum.Dataset) error {
	var err error
	if d.Communes, err = readCommunes(ctx, q); err != nil {
		return err
	}
	if d.EPCIs, err = readEPCIs(ctx, q); err != nil {
		return err
	}
	if d.Departements, err = readDepartements(ctx, q); err != nil {
		return err
	}
	if d.Overrides, err = readOverrides(ctx, q); err != nil {
		return err
	}
	return nil
}

// readVersion reads the data version through q.
func readVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'data_version'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
