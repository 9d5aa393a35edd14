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
// moderators' overrides as one committed state: the dataset never mixes two
// imports, whatever is written meanwhile. In WAL mode a read transaction
// sees one committed state from its first read to its last. The places are
// read through a second transaction, on a second connection, while the
// territories are read through the first (each connection steps one
// statement at a time): both transactions first read the data version,
// which every write of the loaded tables changes, so equal versions mean
// the same committed state. When they differ (an import committed between
// the two first reads), Load tries again, and after loadAttempts reads
// everything through one transaction.
func (db *DB) Load(ctx context.Context) (cartonum.Dataset, error) {
	for range loadAttempts {
		d, same, err := db.loadPair(ctx)
		if err != nil || same {
			return d, err
		}
	}
	return db.loadOne(ctx)
}

// loadAttempts is how many times Load tries two transactions.
const loadAttempts = 3

// loadPair is Load through two transactions; same is false when they did
// not see the same data version (the dataset is then empty).
func (db *DB) loadPair(ctx context.Context) (d cartonum.Dataset, same bool, err error) {
	db.pairMu.Lock()
	txT, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		db.pairMu.Unlock()
		return d, false, fmt.Errorf("load: begin: %w", err)
	}
	defer txT.Rollback()
	txP, err := db.read.BeginTx(ctx, nil)
	db.pairMu.Unlock()
	if err != nil {
		return d, false, fmt.Errorf("load: begin: %w", err)
	}
	defer txP.Rollback()
	// The first read of each transaction starts its snapshot.
	if d.Version, err = readVersion(ctx, txT); err != nil {
		return cartonum.Dataset{}, false, fmt.Errorf("load: %w", err)
	}
	v, err := readVersion(ctx, txP)
	if err != nil {
		return cartonum.Dataset{}, false, fmt.Errorf("load: %w", err)
	}
	if v != d.Version {
		return cartonum.Dataset{}, false, nil
	}
	type placesRead struct {
		places []cartonum.Place
		err    error
	}
	placesc := make(chan placesRead, 1)
	go func() {
		ps, err := readPlaces(ctx, txP)
		placesc <- placesRead{ps, err}
	}()
	err = readTerritories(ctx, txT, &d)
	pr := <-placesc // before the deferred rollback: the goroutine uses txP
	if err != nil {
		return cartonum.Dataset{}, false, fmt.Errorf("load: %w", err)
	}
	if pr.err != nil {
		return cartonum.Dataset{}, false, fmt.Errorf("load: %w", pr.err)
	}
	d.Places = pr.places
	return d, true, nil
}

// loadOne is Load through one transaction.
func (db *DB) loadOne(ctx context.Context) (cartonum.Dataset, error) {
	var d cartonum.Dataset
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return d, fmt.Errorf("load: begin: %w", err)
	}
	defer tx.Rollback()
	if d.Version, err = readVersion(ctx, tx); err != nil {
		return d, fmt.Errorf("load: %w", err)
	}
	if err := readTerritories(ctx, tx, &d); err != nil {
		return cartonum.Dataset{}, fmt.Errorf("load: %w", err)
	}
	if d.Places, err = readPlaces(ctx, tx); err != nil {
		return cartonum.Dataset{}, fmt.Errorf("load: %w", err)
	}
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
