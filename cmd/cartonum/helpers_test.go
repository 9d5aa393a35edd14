package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/testmirror"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// territoryConfig is an import configuration with the region's territories.
func territoryConfig(tb testing.TB, db string) Config {
	dir := mirror(tb)
	return Config{
		DB: db, Region: "32",
		Communes:     []string{filepath.Join(dir, "communes-32.geojson")},
		EPCI:         []string{filepath.Join(dir, "epci-32.json")},
		Departements: []string{filepath.Join(dir, "departements-32.geojson")},
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

// mirror returns the data mirror directory.
func mirror(tb testing.TB) string {
	tb.Helper()
	return testmirror.Dir(tb)
}

// runMain serves cfg on a free loopback port until the test ends.
func runMain(t *testing.T, cfg Config) *Main {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	m := NewMain(cfg, quietLogger())
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m
}
