package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/cartonum/cartonum/internal/standard"
)

// mirror returns the data mirror directory. Under CI the mirror must be
// there: its absence fails the test instead of skipping it.
func mirror(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("CARTONUM_DATA_MIRROR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "communes-32.geojson")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("data mirror missing under CI: %v", err)
		}
		tb.Skipf("data mirror not found (%v); set CARTONUM_DATA_MIRROR", err)
	}
	return dir
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// territoryConfig is an import configuration with the region's territories.
func territoryConfig(tb testing.TB, db string) Config {
	dir := mirror(tb)
	return Config{
		DB: db, Region: "32",
		Communes:     filepath.Join(dir, "communes-32.geojson"),
		EPCI:         filepath.Join(dir, "epci-32.json"),
		Departements: filepath.Join(dir, "departements-32.geojson"),
		Report:       filepath.Join(filepath.Dir(db), "report.json"),
	}
}

// doImport runs the import command and fails the test on error.
func doImport(tb testing.TB, cfg Config) *standard.Report {
	tb.Helper()
	rep, err := runImport(context.Background(), cfg, quietLogger(), io.Discard, io.Discard)
	if err != nil {
		tb.Fatalf("import %v: %v", cfg.Files, err)
	}
	return rep
}
