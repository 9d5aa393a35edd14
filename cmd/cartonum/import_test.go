package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

// countRows counts the data rows of a mirror file independently of the
// importer: CSV records after the header, or JSON array elements.
func countRows(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if filepath.Ext(path) == ".json" {
		var rows []json.RawMessage
		if err := json.NewDecoder(f).Decode(&rows); err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return len(recs) - 1
}

func loadAll(t *testing.T, dbPath string) (*sqlite.DB, *index.Snapshot) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	snap, err := loadSnapshot(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return db, snap
}

// TestImportMirrorFiles imports every places file of the mirror into a
// fresh database with the region's territories and checks the accounting,
// the placement of every place, and that re-importing changes nothing.
func TestImportMirrorFiles(t *testing.T) {
	dir := mirror(t)
	for _, name := range []string{"lieux-32-v1.csv", "lieux-32-v0.json", "exemple-valide-1.0.2.csv", "lieux-france-v1.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			cfg := territoryConfig(t, filepath.Join(t.TempDir(), "c.db"))
			cfg.Files = []string{path}
			rep := doImport(t, cfg)

			want := countRows(t, path)
			tot := rep.Totals
			if tot.RowsRead != want {
				t.Errorf("rows read = %d, the file has %d", tot.RowsRead, want)
			}
			if tot.Imported+tot.Merged+tot.Rejected != tot.RowsRead {
				t.Errorf("imported %d + merged %d + rejected %d != read %d", tot.Imported, tot.Merged, tot.Rejected, tot.RowsRead)
			}
			if n := len(rep.Files[0].Rows); n != want {
				t.Errorf("report lists %d rows, want %d", n, want)
			}
			lines := map[int]bool{}
			for _, r := range rep.Files[0].Rows {
				if lines[r.Line] {
					t.Errorf("line %d reported twice", r.Line)
				}
				lines[r.Line] = true
				if r.Status == standard.StatusRejected && (r.Rejection == nil || r.Rejection.Reason == "") {
					t.Errorf("line %d rejected without a reason", r.Line)
				}
			}
			if rep.Places.Created != tot.Imported {
				t.Errorf("created %d places from %d imported rows", rep.Places.Created, tot.Imported)
			}
			db, snap := loadAll(t, cfg.DB)
			if got := len(snap.Places()); got != rep.Places.Total {
				t.Errorf("database holds %d places, report says %d", got, rep.Places.Total)
			}
			for _, p := range snap.Places() {
				c, ok := snap.Commune(p.CodeInsee)
				if !ok {
					t.Errorf("place %s: commune %q not in the region", p.ID, p.CodeInsee)
					continue
				}
				if !c.Geometry.Bound().Pad(0.03).Contains(orb.Point{p.Longitude, p.Latitude}) {
					t.Errorf("place %s at (%g, %g) is far from its commune %s", p.ID, p.Latitude, p.Longitude, c.Code)
				}
			}
			v1, _ := db.Version(context.Background())

			again := doImport(t, cfg)
			if again.Places.Created != 0 || again.Places.Updated != 0 {
				t.Errorf("re-import changed places: %+v", again.Places)
			}
			if again.Totals != rep.Totals {
				t.Errorf("re-import accounting %+v differs from first %+v", again.Totals, rep.Totals)
			}
			if v2, _ := db.Version(context.Background()); v2 != v1 {
				t.Errorf("re-import changed the data version %d → %d", v1, v2)
			}
		})
	}
}

// TestImportRegionFiguresMirror pins the figures of the region's file, so
// that a change in repair or merge rules shows up in review.
func TestImportRegionFiguresMirror(t *testing.T) {
	dir := mirror(t)
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv"), filepath.Join(dir, "lieux-32-v0.json")}
	rep := doImport(t, cfg)
	v1, v0 := rep.Files[0].Counts, rep.Files[1].Counts
	// The v0.1 JSON holds the same places as the v1 CSV: every one of its
	// rows must end in a place of the CSV.
	if v0.Imported != 0 || v0.Merged+v0.Rejected != v0.RowsRead {
		t.Errorf("v0 rows: %+v, want all merged into the v1 places", v0)
	}
	if v1.Rejected > 2 {
		t.Errorf("v1 rejected %d rows, want at most 2 (see report)", v1.Rejected)
	}
	if v1.Merged < 200 {
		t.Errorf("v1 merged only %d duplicates; the file repeats over 200 places", v1.Merged)
	}
	var precise, commune int
	_, snap := loadAll(t, cfg.DB)
	for _, p := range snap.Places() {
		if p.Provenance.Precision == cartonum.PrecisionCommune {
			commune++
		} else {
			precise++
		}
	}
	if commune == 0 {
		t.Error("no place placed at its commune, yet 18 rows have no coordinates")
	}
}

// TestFailedImportChangesNothing: one unreadable file makes the whole
// import fail before anything is written.
func TestFailedImportChangesNothing(t *testing.T) {
	dir := mirror(t)
	tmp := t.TempDir()
	cfg := territoryConfig(t, filepath.Join(tmp, "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(t, cfg)
	db, before := loadAll(t, cfg.DB)
	v1, _ := db.Version(context.Background())
	imports1, _ := db.Imports(context.Background())

	cases := []struct {
		name    string
		content string
	}{
		{"empty", ""},
		{"header only", "id,pivot,nom,commune,code_postal,adresse,date_maj\n"},
		{"wrong header", "a,b,c\n1,2,3\n"},
		{"broken json", `[{"id": "x", "nom": `},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(tmp, "bad.csv")
			if err := os.WriteFile(bad, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg2 := cfg
			cfg2.Communes, cfg2.EPCI, cfg2.Departements = nil, nil, nil
			cfg2.Files = []string{filepath.Join(dir, "lieux-france-v1.csv"), bad}
			_, err := runImport(context.Background(), cfg2, quietLogger(), os.Stderr, os.Stderr)
			if err == nil || !errors.Is(err, standard.ErrUnreadable) {
				t.Fatalf("import with %s: err = %v, want ErrUnreadable", tc.name, err)
			}
			if v2, _ := db.Version(context.Background()); v2 != v1 {
				t.Errorf("data version changed %d → %d", v1, v2)
			}
			if imports2, _ := db.Imports(context.Background()); len(imports2) != len(imports1) {
				t.Errorf("import history grew from %d to %d", len(imports1), len(imports2))
			}
			_, after := loadAll(t, cfg.DB)
			if !reflect.DeepEqual(before.Places(), after.Places()) {
				t.Error("places changed")
			}
		})
	}
}
