package importing

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// openStore opens a new SQLite store in a temporary directory.
func openStore(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cartonum.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// base is the synthetic region 28: communes, derived EPCI and départements,
// and eleven places.
func base() Request {
	return Request{Region: "28", Communes: []string{"testdata/communes-28.geojson"}, Places: []string{"testdata/lieux-28-v1.csv"}}
}

// duplicateOf writes a places file holding one record, a copy of the
// record id of the region's file under the id newID: the import merges it
// into the stored place.
func duplicateOf(t *testing.T, id, newID string) string {
	t.Helper()
	buf, err := os.ReadFile("testdata/lieux-28-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(buf), "\n")
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, id+",") {
			path := filepath.Join(t.TempDir(), newID+".csv")
			body := lines[0] + "\n" + newID + strings.TrimPrefix(l, id) + "\n"
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}
	}
	t.Fatalf("no record %s", id)
	return ""
}

// sourceIDs returns the source ids of the stored place id.
func sourceIDs(t *testing.T, db *sqlite.DB, id string) []string {
	t.Helper()
	p, err := db.Place(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Provenance.SourceIDs
}

func TestImportSequential(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	res, err := svc.Import(ctx, base())
	if err != nil {
		t.Fatal(err)
	}
	if res.Communes != 9 || res.Attempts != 1 || res.Report.Totals.Imported != 11 {
		t.Errorf("base import: %d communes, %d attempts, %d imported", res.Communes, res.Attempts, res.Report.Totals.Imported)
	}
	for _, dup := range []string{"dup-a", "dup-b"} {
		if _, err := svc.Import(ctx, Request{Region: "28", Places: []string{duplicateOf(t, "syn-caen-1", dup)}}); err != nil {
			t.Fatal(err)
		}
	}
	got := sourceIDs(t, db, "syn-caen-1")
	if !slices.Contains(got, "dup-a") || !slices.Contains(got, "dup-b") {
		t.Errorf("source ids %v, want dup-a and dup-b merged", got)
	}
}

// pausedStore is a store whose first Load, once done, waits for resume:
// the import that uses it computes its batch from data that another import
// changes meanwhile.
type pausedStore struct {
	cartonum.Store
	once           sync.Once
	loaded, resume chan struct{}
}

func (s *pausedStore) Load(ctx context.Context) (cartonum.Dataset, error) {
	d, err := s.Store.Load(ctx)
	s.once.Do(func() {
		close(s.loaded)
		<-s.resume
	})
	return d, err
}

// TestConcurrentImportsLoseNothing runs two imports at once, each merging
// a duplicate record into the same stored place: the first loads, the
// second loads, writes and ends, then the first writes. Its batch was
// computed from a version that moved, so it is refused and computed again:
// the place keeps both merged records. Applying it anyway would drop the
// second import's record.
func TestConcurrentImportsLoseNothing(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	if _, err := (&Service{Store: db}).Import(ctx, base()); err != nil {
		t.Fatal(err)
	}
	reqA := Request{Region: "28", Places: []string{duplicateOf(t, "syn-caen-1", "dup-a")}}
	reqB := Request{Region: "28", Places: []string{duplicateOf(t, "syn-caen-1", "dup-b")}}

	paused := &pausedStore{Store: db, loaded: make(chan struct{}), resume: make(chan struct{})}
	var (
		resA *Result
		errA error
		wg   sync.WaitGroup
	)
	wg.Go(func() { resA, errA = (&Service{Store: paused}).Import(ctx, reqA) })
	<-paused.loaded
	resB, err := (&Service{Store: db}).Import(ctx, reqB)
	if err != nil {
		t.Fatal(err)
	}
	close(paused.resume)
	wg.Wait()
	if errA != nil {
		t.Fatal(errA)
	}
	if resA.Attempts != 2 || resB.Attempts != 1 {
		t.Errorf("attempts: A %d (want 2), B %d (want 1)", resA.Attempts, resB.Attempts)
	}
	got := sourceIDs(t, db, "syn-caen-1")
	if !slices.Contains(got, "dup-a") || !slices.Contains(got, "dup-b") {
		t.Errorf("source ids %v, want dup-a and dup-b: an update was lost", got)
	}
}

// TestConcurrentImportsReported: with a single attempt allowed, the import
// whose data moved fails with a conflict wrapping ErrStale and writes
// nothing.
func TestConcurrentImportsReported(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	if _, err := (&Service{Store: db}).Import(ctx, base()); err != nil {
		t.Fatal(err)
	}
	paused := &pausedStore{Store: db, loaded: make(chan struct{}), resume: make(chan struct{})}
	var (
		errA error
		wg   sync.WaitGroup
	)
	wg.Go(func() {
		_, errA = (&Service{Store: paused, Attempts: 1}).Import(ctx,
			Request{Region: "28", Places: []string{duplicateOf(t, "syn-caen-1", "dup-a")}})
	})
	<-paused.loaded
	if _, err := (&Service{Store: db}).Import(ctx, Request{Region: "28", Places: []string{duplicateOf(t, "syn-caen-1", "dup-b")}}); err != nil {
		t.Fatal(err)
	}
	close(paused.resume)
	wg.Wait()
	if cartonum.KindOf(errA) != cartonum.KindConflict || !errors.Is(errA, cartonum.ErrStale) {
		t.Fatalf("err = %v, want a conflict wrapping ErrStale", errA)
	}
	if got := sourceIDs(t, db, "syn-caen-1"); slices.Contains(got, "dup-a") || !slices.Contains(got, "dup-b") {
		t.Errorf("source ids %v, want dup-b only", got)
	}
}

// TestUnreadableInputWritesNothing: a missing file stops the import before
// the store is touched.
func TestUnreadableInputWritesNothing(t *testing.T) {
	_, err := Read(Request{Region: "28", Places: []string{"testdata/missing.csv"}}, nil)
	if err == nil {
		t.Fatal("no error for a missing file")
	}
	if _, err := Read(Request{Region: "28"}, nil); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("nothing to import: %v, want KindInvalid", err)
	}
}
