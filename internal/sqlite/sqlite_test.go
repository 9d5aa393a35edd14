package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// openTest opens a new database in a temporary directory, closed at the end
// of the test.
func openTest(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "cartonum.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// mustApply applies b and returns the import id.
func mustApply(tb testing.TB, db *DB, b Batch) int64 {
	tb.Helper()
	id, err := db.Apply(context.Background(), b)
	if err != nil {
		tb.Fatalf("apply: %v", err)
	}
	return id
}

// mustVersion returns the data version.
func mustVersion(tb testing.TB, db *DB) int64 {
	tb.Helper()
	v, err := db.Version(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// dump returns the whole content of the database, every table in rowid or
// key order, as text: two dumps are equal when the databases are.
func dump(tb testing.TB, db *DB) string {
	tb.Helper()
	ctx := context.Background()
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()

	var b strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&b, "== %s\n", table)
		rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY 1`)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func TestOpen(t *testing.T) {
	t.Run("invalid path", func(t *testing.T) {
		for _, path := range []string{"", ":memory:"} {
			_, err := Open(context.Background(), path)
			if got := cartonum.KindOf(err); got != cartonum.KindInvalid {
				t.Errorf("Open(%q): kind %v (%v), want KindInvalid", path, got, err)
			}
		}
	})

	t.Run("pragmas", func(t *testing.T) {
		db := openTest(t)
		ctx := context.Background()
		for _, tc := range []struct {
			pool   *sql.DB
			pragma string
			want   string
		}{
			{db.write, "journal_mode", "wal"},
			{db.write, "foreign_keys", "1"},
			{db.write, "synchronous", "2"}, // FULL
			{db.write, "busy_timeout", fmt.Sprint(busyTimeout.Milliseconds())},
			{db.read, "journal_mode", "wal"},
			{db.read, "query_only", "1"},
			{db.read, "busy_timeout", fmt.Sprint(busyTimeout.Milliseconds())},
		} {
			var got string
			if err := tc.pool.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("%s = %s, want %s", tc.pragma, got, tc.want)
			}
		}
	})

	t.Run("odd file name", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a b?c#d%20.db")
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		mustApply(t, db, Batch{Region: "11"})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReopen checks that opening an existing file applies no migration
// again and keeps the data.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cartonum.db")
	migrations := func(db *DB) map[string]string {
		rows, err := db.read.QueryContext(ctx, `SELECT name, applied_at FROM schema_migrations`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string]string{}
		for rows.Next() {
			var name, at string
			if err := rows.Scan(&name, &at); err != nil {
				t.Fatal(err)
			}
			m[name] = at
		}
		return m
	}
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v %v", files, err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first := migrations(db)
	if len(first) != len(files) {
		t.Fatalf("%d migrations recorded, want %d", len(first), len(files))
	}
	id := mustApply(t, db, Batch{Region: "32", Upserts: []cartonum.Place{testPlace("p1")}})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	time.Sleep(2 * time.Millisecond) // a second run would record a later time
	for i := range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if got := migrations(db); fmt.Sprint(got) != fmt.Sprint(first) {
			t.Errorf("reopen %d: migrations %v, want %v", i, got, first)
		}
		p, err := db.Place(ctx, "p1")
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		if p.Provenance.BatchID != id {
			t.Errorf("reopen %d: batch %d, want %d", i, p.Provenance.BatchID, id)
		}
		if v := mustVersion(t, db); v != 1 {
			t.Errorf("reopen %d: version %d, want 1", i, v)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVersion checks that the data version changes exactly when an import
// changes a territory or a place.
func TestVersion(t *testing.T) {
	db := openTest(t)
	communes := []cartonum.Commune{testCommune("32013"), testCommune("32107")}
	places := []cartonum.Place{testPlace("a"), testPlace("b")}
	changedCommunes := []cartonum.Commune{testCommune("32013"), testCommune("32107")}
	changedCommunes[1].Population++
	changedPlace := testPlace("b")
	changedPlace.Horaires = "Mo-Fr 09:00-12:00"

	for _, tc := range []struct {
		name    string
		batch   Batch
		fail    bool
		changed bool
	}{
		{"first import", Batch{Communes: communes, Upserts: places}, false, true},
		{"same data again", Batch{Communes: communes, Upserts: places}, false, false},
		{"nothing", Batch{}, false, false},
		{"empty lists of nil territories", Batch{Upserts: []cartonum.Place{}, Deletes: []string{}}, false, false},
		{"delete of an unknown place", Batch{Deletes: []string{"zzz"}}, false, false},
		{"commune population", Batch{Communes: changedCommunes}, false, true},
		{"one place field", Batch{Upserts: []cartonum.Place{changedPlace}}, false, true},
		{"new EPCI", Batch{EPCIs: []cartonum.EPCI{{Code: "200034", Nom: "CC"}}}, false, true},
		{"EPCI list emptied", Batch{EPCIs: []cartonum.EPCI{}}, false, true},
		{"failed import", Batch{Upserts: []cartonum.Place{testPlace("c"), testPlace("c")}}, true, false},
		{"delete a place", Batch{Deletes: []string{"a"}}, false, true},
		{"communes emptied", Batch{Communes: []cartonum.Commune{}}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := mustVersion(t, db)
			_, err := db.Apply(context.Background(), tc.batch)
			if (err != nil) != tc.fail {
				t.Fatalf("apply: %v, want failure %v", err, tc.fail)
			}
			after := mustVersion(t, db)
			if got := after != before; got != tc.changed {
				t.Errorf("version %d -> %d, want changed %v", before, after, tc.changed)
			}
		})
	}
}

// TestConcurrentReaders reads while imports replace every place, checking
// that readers never fail (no SQLITE_BUSY) and always see one whole import.
func TestConcurrentReaders(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = 300
	batch := func(gen int) Batch {
		places := genPlaces(n, 1)
		for i := range places {
			places[i].Nom = fmt.Sprintf("génération %d", gen)
		}
		return Batch{Region: "11", Communes: genCommunes(50, 2000), Upserts: places}
	}
	mustApply(t, db, batch(0))

	var (
		stop  atomic.Bool
		reads atomic.Int64
		wg    sync.WaitGroup
	)
	errs := make(chan error, 16)
	for r := range 8 {
		wg.Go(func() {
			for !stop.Load() {
				var err error
				switch r % 4 {
				case 0:
					var places []cartonum.Place
					places, err = db.Places(ctx)
					if err == nil && len(places) != n {
						err = fmt.Errorf("read %d places, want %d", len(places), n)
					}
					for _, p := range places {
						if p.Nom != places[0].Nom {
							err = fmt.Errorf("torn read: %q and %q", p.Nom, places[0].Nom)
							break
						}
					}
				case 1:
					_, err = db.Communes(ctx)
				case 2:
					_, err = db.Version(ctx)
				case 3:
					_, err = db.Imports(ctx)
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				reads.Add(1)
			}
		})
	}
	for gen := 1; gen <= 20; gen++ {
		mustApply(t, db, batch(gen))
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if v := mustVersion(t, db); v != 21 {
		t.Errorf("version %d, want 21", v)
	}
	t.Logf("%d reads during 20 imports", reads.Load())
}
