// Package sqlite is the embedded store of Cartonum: territories (communes,
// EPCI, départements), places with their provenance, the batches that
// wrote them (imports and moderators' decisions) and the history of every
// place, the moderators' corrections, the contributions' proposals, and the
// accounts and sessions of moderators, in one SQLite file.
//
// The file runs in WAL mode. Reads go through a pool of query-only
// connections and writes through a single connection, so writers are
// serialised and readers always see the last committed import without ever
// waiting for a writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// The writer runs with synchronous=FULL: a commit is on disk, WAL synced,
// before Apply or AddProposal returns, so what was acknowledged survives a
// power cut and not only a crash of the process.

// busyTimeout is how long a connection waits for a lock held by another
// process (or by a WAL checkpoint) before failing with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// DB is the store. It is safe for concurrent use.
type DB struct {
	read  *sql.DB // query-only connections, one per concurrent reader
	write *sql.DB // exactly one connection: writes are serialised
	// pairMu is held by a Load while it takes its two read connections:
	// only one caller at a time waits for a second connection while
	// holding one, so loads cannot starve each other of connections.
	pairMu sync.Mutex
}

// Open opens the database file at path, creating it if needed, and applies
// the migrations it does not have yet.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		// In-memory databases are not shared between the two pools.
		return nil, cartonum.Errorf(cartonum.KindInvalid, "open database: invalid path %q: want a file path", path)
	}
	ms := busyTimeout.Milliseconds()
	write, err := sql.Open("sqlite3", dsn(path, fmt.Sprintf(
		"_journal_mode=WAL&_foreign_keys=1&_busy_timeout=%d&_synchronous=FULL&_txlock=immediate", ms)))
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)

	db := &DB{write: write}
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}

	// The writer has created the file and switched it to WAL (a persistent
	// setting), so readers need no journal mode of their own.
	read, err := sql.Open("sqlite3", dsn(path, fmt.Sprintf(
		"_foreign_keys=1&_busy_timeout=%d&_synchronous=NORMAL&_query_only=1", ms)))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	db.read = read
	return db, nil
}

// dsn returns the go-sqlite3 data source name of the file at path with the
// given query parameters. The path is written as a URI so that any file name,
// even one with '?' or '#', is opened as is.
func dsn(path, params string) string {
	p := filepath.ToSlash(filepath.Clean(path))
	p = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(p)
	return "file:" + p + "?" + params
}

// Close closes the database, checkpointing its WAL.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// migrate applies, in name order, the embedded migrations not yet recorded
// in schema_migrations, each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			name       TEXT PRIMARY KEY,
			applied_at TEXT NOT NULL
		) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// migrateFile applies one migration unless it has already been applied.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	base := path.Base(name)
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	buf, err := fs.ReadFile(migrationFS, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(buf)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		base, formatTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// Version returns the data version: a number that changes whenever an
// import changes a territory or a place, and only then. Caches built from
// the store are stale when it differs from the version they were built at.
func (db *DB) Version(ctx context.Context) (int64, error) {
	return readVersion(ctx, db.read)
}

// bumpDataVersion increments the data version.
func bumpDataVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'data_version'`); err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	return nil
}

// timeFormat is RFC 3339 in UTC with nine fractional digits always: the
// stored times have one width, so that they compare as strings in SQL as
// they do as times (RFC3339Nano drops trailing zeros, which puts
// "10:00:00Z" after "10:00:00.5Z").
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// formatTime formats t for storage: RFC 3339 in UTC, to the nanosecond,
// fixed width.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeFormat)
}

// parseTime parses a time written by formatTime.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// rowsAffected returns the number of rows res changed. SQLite always knows
// it, so the error RowsAffected may return does not occur.
func rowsAffected(res sql.Result) int {
	n, _ := res.RowsAffected()
	return int(n)
}
