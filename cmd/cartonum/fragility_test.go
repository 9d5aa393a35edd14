package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// fragilityDB is a database holding three communes of the Somme.
func fragilityDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cartonum.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cs []cartonum.Commune
	for _, code := range []string{"80001", "80021", "80620"} {
		cs = append(cs, cartonum.Commune{Code: code, Nom: "C" + code, CodeDepartement: "80", CodeRegion: "32", Population: 1000})
	}
	if _, err := db.Apply(context.Background(), sqlite.Batch{Communes: cs}); err != nil {
		t.Fatal(err)
	}
	return path
}

func scoresOf(t *testing.T, path string) map[string]float64 {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Fragility(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestImportFragilityCommand(t *testing.T) {
	path := fragilityDB(t)
	csv := filepath.Join(t.TempDir(), "ifn.csv")
	if err := os.WriteFile(csv, []byte("Code Iris;P16 Pop;SCORE GLOBAL region * \n800210101;1000;120\n800210102;3000;80\n800010000;500;100,5\n751010101;1700;62\n80620XXXX;10;1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The file first, then the flags (as README writes it).
	var out bytes.Buffer
	err := run(context.Background(), []string{"import-fragility", csv, "--db", path, "--level", "iris",
		"--code-col", "Code Iris", "--score-col", "SCORE GLOBAL region *", "--population-col", "P16 Pop"},
		func(string) string { return "" }, nil, &out, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"5 lignes : 3 importées, 1 hors région, 1 rejetées", "ligne 6 80620XXXX : code invalide", "Communes avec un score : 2 sur 3"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// Amiens: (1000·120 + 3000·80) / 4000 = 90.
	if s := scoresOf(t, path); len(s) != 2 || s["80021"] != 90 || s["80001"] != 100.5 {
		t.Errorf("scores %v", s)
	}
	reports, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "fragilite-*-report.json"))
	if len(reports) != 1 {
		t.Errorf("reports %v", reports)
	}

	// A failed import (a column that is not there) changes nothing.
	out.Reset()
	err = run(context.Background(), []string{"import-fragility", "--db", path, "--code-col", "code", "--score-col", "score", csv},
		func(string) string { return "" }, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), `colonne "code" absente`) {
		t.Errorf("error %v", err)
	}
	if s := scoresOf(t, path); len(s) != 2 || s["80021"] != 90 {
		t.Errorf("scores after a failed import %v", s)
	}
	for _, args := range [][]string{
		{"import-fragility", "--db", path, csv},                                                           // no columns
		{"import-fragility", "--db", path, "--code-col", "c", "--score-col", "s"},                         // no file
		{"import-fragility", "--db", path, "--code-col", "c", "--score-col", "s", "--level", "epci", csv}, // bad level
		{"import-fragility", "--db", path, "--code-col", "c", "--score-col", "s", "--sep", ":", csv},      // bad separator
	} {
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
