package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// gridFixture is internal/grid's official-format fixture.
var gridFixture = filepath.Join("..", "..", "internal", "grid", "testdata", "filosofi-200m.csv")

// gridDB creates a database holding the two communes of the grid fixture
// (80021 with 130,000 inhabitants, 80001 with 23,000) and returns its path.
func gridDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cartonum.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rect := func(code string, pop int, lon0 float64) cartonum.Commune {
		return cartonum.Commune{Code: code, Nom: "Commune " + code, CodeDepartement: "80", CodeRegion: "32",
			Population: pop, Geometry: orb.MultiPolygon{{{{lon0, 49.85}, {lon0 + 0.1, 49.85}, {lon0 + 0.1, 49.93}, {lon0, 49.93}, {lon0, 49.85}}}}}
	}
	if _, err := db.Apply(context.Background(), sqlite.Batch{Region: "32",
		Communes: []cartonum.Commune{rect("80021", 130000, 2.25), rect("80001", 23000, 2.35)}}); err != nil {
		t.Fatal(err)
	}
	return path
}

// analyseRegion runs analyse at the region level with extra flags and
// returns the region's population under the profile, or the error.
func analyseRegion(t *testing.T, db string, flags ...string) (float64, string, error) {
	t.Helper()
	var out bytes.Buffer
	args := append([]string{"analyse", "--db", db, "--level", "region", "--format", "json"}, flags...)
	if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &bytes.Buffer{}); err != nil {
		return 0, "", err
	}
	var res struct {
		Params struct {
			Profile string `json:"profile"`
		} `json:"params"`
		Items []struct {
			Population float64 `json:"population"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Items) != 1 {
		t.Fatalf("analyse output %s: %v", out.Bytes(), err)
	}
	return res.Items[0].Population, res.Params.Profile, nil
}

// TestImportGrid: import-grid stores the fixture's squares of the region
// and reports every row; a failed import changes nothing; analyse --profil
// then counts the calibrated 65+ inhabitants, and refuses before.
func TestImportGrid(t *testing.T) {
	db := gridDB(t)
	getenv := func(string) string { return "" }
	if _, _, err := analyseRegion(t, db, "--profil", "65plus"); err == nil || !strings.Contains(err.Error(), "import-grid") {
		t.Errorf("analyse --profil 65plus without grid: %v, want an error telling to import the grid", err)
	}
	report := filepath.Join(t.TempDir(), "grid-report.json")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import-grid", gridFixture, "--db", db, "--report", report}, getenv, nil, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"13 lignes, 4 carreaux importés dans 2 communes, 3 hors des communes chargées, 6 rejetées",
		"ligne 9 : carreau en double (déjà ligne 2)", "ligne 11 : 4 champs au lieu de 35"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	var rep cartonum.GridImport
	if b, err := os.ReadFile(report); err != nil || json.Unmarshal(b, &rep) != nil || len(rep.Rejects) != 6 || rep.ID == 0 {
		t.Errorf("report %+v: %v", rep, err)
	}

	// 80021: 150.5 gridded inhabitants, 32.5 aged 65+; 80001: 50 and 12.
	want := 32.5*130000/150.5 + 12*23000/50.0
	pop, profile, err := analyseRegion(t, db, "--profil", "65plus")
	if err != nil || profile != "65plus" || math.Abs(pop-want) > 1e-6*want {
		t.Errorf("analyse --profil 65plus: %v %q %v, want %v", pop, profile, err, want)
	}
	if pop, _, err := analyseRegion(t, db); err != nil || pop != 153000 {
		t.Errorf("analyse: population %v %v, want the legal 153,000", pop, err)
	}
	if _, _, err := analyseRegion(t, db, "--profil", "jeunes"); err == nil {
		t.Error("analyse --profil jeunes accepted")
	}
	if _, _, err := analyseRegion(t, db, "--profil", "65plus", "--mix", "1,1,1"); err == nil {
		t.Error("analyse --mix without mixte accepted")
	}
	mixPop, _, err := analyseRegion(t, db, "--profil", "mixte", "--mix", "0,1,0")
	if err != nil || math.Abs(mixPop-want) > 1e-6*want {
		t.Errorf("analyse --profil mixte --mix 0,1,0: %v %v, want %v", mixPop, err, want)
	}

	// A file without the official columns fails and leaves the grid as it was.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("code;score\n80021;1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"import-grid", "--db", db, bad}, getenv, nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Fatal("a file without the grid's columns was imported")
	}
	s, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, cells, err := s.GridCells(context.Background())
	if err != nil || len(cells) != 4 {
		t.Errorf("after a failed import: %d cells (%v), want the 4 of the previous import", len(cells), err)
	}
	if imports, _ := s.GridImports(context.Background()); len(imports) != 1 {
		t.Errorf("%d imports recorded, want 1", len(imports))
	}
}

// TestServeReloadsGrid: a running server answers 409 to the 65plus profile
// until import-grid runs in another process, then counts the gridded 65+
// inhabitants without restart.
func TestServeReloadsGrid(t *testing.T) {
	db := gridDB(t)
	m := NewMain(Config{DB: db, Region: "32", Addr: "127.0.0.1:0", ShutdownTimeout: 5 * time.Second,
		ReloadInterval: 50 * time.Millisecond}, quietLogger())
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	u := "http://" + m.Addr() + "/api/indicators?level=region&profil=65plus"
	if resp, b := get(t, u); resp.StatusCode != http.StatusConflict {
		t.Fatalf("before import-grid: %d %s, want 409", resp.StatusCode, b)
	}
	if err := run(context.Background(), []string{"import-grid", "--db", db, gridFixture}, func(string) string { return "" }, nil, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	want := 32.5*130000/150.5 + 12*23000/50.0
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, b := get(t, u)
		if resp.StatusCode == http.StatusOK {
			var out struct {
				Items []struct {
					Population float64 `json:"population"`
				} `json:"items"`
			}
			if err := json.Unmarshal(b, &out); err != nil || len(out.Items) != 1 || math.Abs(out.Items[0].Population-want) > 1e-6*want {
				t.Fatalf("after import-grid: %s, want a population of %v", b, want)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server still refuses the 65plus profile after import-grid")
}
