package grid

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// rect is a commune whose contour is a longitude-latitude rectangle.
func rect(code string, lon0, lat0, lon1, lat1 float64) cartonum.Commune {
	ring := orb.Ring{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}
	return cartonum.Commune{Code: code, CodeDepartement: "80", Geometry: orb.MultiPolygon{{ring}}}
}

// fixtureCommunes are the two communes of testdata/filosofi-200m.csv: 80021
// west of 2.35°E and 80001 east of it, both between 49.85°N and 49.93°N.
func fixtureCommunes() []cartonum.Commune {
	return []cartonum.Commune{rect("80021", 2.25, 49.85, 2.35, 49.93), rect("80001", 2.35, 49.85, 2.45, 49.93)}
}

// wantFixture is what testdata/filosofi-200m.csv gives, row by row (line 1
// is the header):
//
//	2  N3004200E3768600 imported in 80021: 100 inhabitants, 15+5 aged 65+, 10 of 40 households poor → 25 poor
//	3  N3005200E3769600 imported in 80021: 50.5, 10+2.5, 0 of 20 → 0
//	4  N3002400E3775800 imported in 80001: 30, 3+1, 6 of 12 → 15
//	5  Paris: outside
//	6  CRS3035RES200mN29626E: rejected, identifier
//	7  a 1 km square: rejected
//	8  Ind "abc": rejected
//	9  line 2 again: rejected, duplicate
//	10 Men -4: rejected
//	11 4 fields: rejected
//	12 N2998800E3775400, 194 m south of 80001, lcog_geo 80001: imported in 80001: 20, 6+2, 5 of 10 → 10
//	13 N2999600E3768200, 148 m south of 80021 but lcog_geo 80999: outside
//	14 50.5°N, no lcog_geo: outside
func checkFixture(t *testing.T, cells []cartonum.GridCell, rep cartonum.GridImport) {
	t.Helper()
	if rep.Rows != 13 || rep.Imported != 4 || rep.Outside != 3 || rep.Rejected != 6 || rep.Communes != 2 || rep.Population != 200.5 {
		t.Errorf("report %+v, want 13 rows: 4 imported, 3 outside, 6 rejected, 2 communes, 200.5 inhabitants", rep)
	}
	want := []cartonum.GridCell{
		{Idcar: "CRS3035RES200MN3004200E3768600", Commune: "80021", Lon: 2.298858, Lat: 49.890145, Ind: 100, Men: 40, MenPauv: 10, Elderly: 20, Poor: 25},
		{Idcar: "CRS3035RES200MN3005200E3769600", Commune: "80021", Lon: 2.311273, Lat: 49.900021, Ind: 50.5, Men: 20, MenPauv: 0, Elderly: 12.5, Poor: 0},
		{Idcar: "CRS3035RES200MN3002400E3775800", Commune: "80001", Lon: 2.401156, Lat: 49.880797, Ind: 30, Men: 12, MenPauv: 6, Elderly: 4, Poor: 15},
		{Idcar: "CRS3035RES200MN2998800E3775400", Commune: "80001", Lon: 2.400725, Lat: 49.848254, Ind: 20, Men: 10, MenPauv: 5, Elderly: 8, Poor: 10},
	}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d: %+v", len(cells), len(want), cells)
	}
	for i, w := range want {
		c := cells[i]
		if c.Idcar != w.Idcar || c.Commune != w.Commune || c.Ind != w.Ind || c.Men != w.Men || c.MenPauv != w.MenPauv ||
			c.Elderly != w.Elderly || c.Poor != w.Poor || math.Abs(c.Lon-w.Lon) > 1e-6 || math.Abs(c.Lat-w.Lat) > 1e-6 {
			t.Errorf("cell %d = %+v, want %+v", i, c, w)
		}
	}
	wantRejects := []struct {
		line   int
		reason string
	}{
		{6, "identifiant de carreau"},
		{7, "carreau de 1000 m"},
		{8, "ind « abc » n'est pas un nombre"},
		{9, "carreau en double (déjà ligne 2)"},
		{10, "men « -4 » est négatif"},
		{11, "4 champs au lieu de 35"},
	}
	if len(rep.Rejects) != len(wantRejects) {
		t.Fatalf("rejects %+v, want %d", rep.Rejects, len(wantRejects))
	}
	for i, w := range wantRejects {
		if r := rep.Rejects[i]; r.Line != w.line || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d = %+v, want line %d: %q", i, r, w.line, w.reason)
		}
	}
}

// TestReadFixture reads the official-format fixture: every row's fate,
// the centres (EPSG:3035 → WGS84), the clipping to the region and the
// counts derived from each row.
func TestReadFixture(t *testing.T) {
	cells, rep, err := Read(context.Background(), filepath.Join("testdata", "filosofi-200m.csv"), fixtureCommunes())
	if err != nil {
		t.Fatal(err)
	}
	if rep.File != "filosofi-200m.csv" {
		t.Errorf("file %q", rep.File)
	}
	checkFixture(t, cells, rep)
}

// TestReadLiberal: the same file with `;`, decimal commas, quoted values,
// a BOM, CRLF line ends and lower-case column names reads the same.
func TestReadLiberal(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "filosofi-200m.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var out strings.Builder
	out.WriteString("\ufeff")
	for i, l := range lines {
		fields := strings.Split(l, ",")
		for k, f := range fields {
			if i == 0 {
				f = strings.ToLower(f)
			}
			fields[k] = `"` + strings.Replace(f, ".", ",", 1) + `"`
		}
		out.WriteString(strings.Join(fields, ";") + "\r\n")
	}
	path := filepath.Join(t.TempDir(), "liberal.csv")
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cells, rep, err := Read(context.Background(), path, fixtureCommunes())
	if err != nil {
		t.Fatal(err)
	}
	checkFixture(t, cells, rep)
}

// TestReadGeoPackage reads the fixture's rows from a GeoPackage's features
// table (columns in another order and case, geometry ignored).
func TestReadGeoPackage(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "filosofi-200m.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "carreaux.gpkg")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stmts := []string{
		`CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT)`,
		`INSERT INTO gpkg_contents VALUES ('filosofi2017_carreaux_200m_met', 'features', 'carreaux')`,
		`CREATE TABLE filosofi2017_carreaux_200m_met (fid INTEGER PRIMARY KEY, geom BLOB, MEN_PAUV REAL, IDCAR_200M TEXT, IND REAL, MEN REAL, IND_65_79 REAL, IND_80P REAL, LCOG_GEO TEXT)`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.ToLower(h)] = i
	}
	for _, rec := range recs[1:] {
		if len(rec) != len(recs[0]) {
			continue // the short row is a CSV matter
		}
		v := func(name string) any { return rec[col[name]] } // text in a REAL column stays text when not a number
		if _, err := db.Exec(`INSERT INTO filosofi2017_carreaux_200m_met (geom, MEN_PAUV, IDCAR_200M, IND, MEN, IND_65_79, IND_80P, LCOG_GEO) VALUES (x'00', ?, ?, ?, ?, ?, ?, ?)`,
			v("men_pauv"), v("idcar_200m"), v("ind"), v("men"), v("ind_65_79"), v("ind_80p"), v("lcog_geo")); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	cells, rep, err := Read(context.Background(), path, fixtureCommunes())
	if err != nil {
		t.Fatal(err)
	}
	// Features are numbered from 1: the CSV's line minus one, the short
	// row of line 11 being left out.
	if rep.Rows != 12 || rep.Imported != 4 || rep.Outside != 3 || rep.Rejected != 5 {
		t.Errorf("report %+v, want 12 rows: 4 imported, 3 outside, 5 rejected", rep)
	}
	want, _, err := Read(context.Background(), filepath.Join("testdata", "filosofi-200m.csv"), fixtureCommunes())
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i := range want {
		if cells[i] != want[i] {
			t.Errorf("cell %d = %+v, want %+v", i, cells[i], want[i])
		}
	}
	for i, line := range []int{5, 6, 7, 8, 9} {
		if i >= len(rep.Rejects) || rep.Rejects[i].Line != line {
			t.Errorf("rejects %+v: want feature %d at %d", rep.Rejects, line, i)
		}
	}
	if len(rep.Rejects) > 3 && !strings.Contains(rep.Rejects[3].Reason, "déjà ligne 1") {
		t.Errorf("duplicate: %+v", rep.Rejects[3])
	}
}

// TestReadFailures: files that are not grid files, or that hold no square
// of the region, fail with ErrFormat.
func TestReadFailures(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"other columns", "code,score\n80021,0.5\n"},
		{"no square of the region", "Idcar_200m,Ind,Men,Men_pauv,Ind_65_79,Ind_80p\nCRS3035RES200mN2888600E3760400,80,30,3,8,2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".csv")
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, _, err := Read(context.Background(), path, fixtureCommunes()); !errors.Is(err, ErrFormat) {
				t.Errorf("error %v, want ErrFormat", err)
			}
		})
	}
}

func TestParseIdcar(t *testing.T) {
	for _, tc := range []struct {
		id               string
		res, north, east float64
		ok               bool
	}{
		{"CRS3035RES200mN2029800E3780600", 200, 2029800, 3780600, true},
		{"crs3035res200mn2962600e3790800", 200, 2962600, 3790800, true},
		{"CRS3035RES1000mN2962000E3790000", 1000, 2962000, 3790000, true},
		{"CRS3035RES200mE3780600N2029800", 0, 0, 0, false},
		{"CRS2154RES200mN2029800E3780600", 0, 0, 0, false},
		{"CRS3035RES200mN-2029800E3780600", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		res, n, e, err := ParseIdcar(tc.id)
		if (err == nil) != tc.ok || res != tc.res || n != tc.north || e != tc.east {
			t.Errorf("%q: %g %g %g %v", tc.id, res, n, e, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "filosofi-200m.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("Idcar_200m;Ind;Men;Men_pauv;Ind_65_79;Ind_80p\n\"CRS3035RES200mN3004200E3768600\";\"1,5\";1;1;1;1\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		cells, rep, err := Read(context.Background(), path, fixtureCommunes())
		if err != nil {
			return
		}
		if rep.Imported+rep.Outside+rep.Rejected != rep.Rows || len(cells) != rep.Imported {
			t.Fatalf("rows not accounted for: %+v, %d cells", rep, len(cells))
		}
		for _, c := range cells {
			if c.Elderly > c.Ind || c.Poor > c.Ind+1e-9 || c.Ind < 0 || math.IsNaN(c.Lon) {
				t.Fatalf("cell %+v", c)
			}
		}
	})
}
