package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/grid"
	"github.com/cartonum/cartonum/internal/sqlite"
)

const gridUsage = `cartonum import-grid FILE [--db F] [--report F]

Imports INSEE's gridded population (Filosofi, squares of 200 m: the official
CSV, Filosofi2017_carreaux_200m_met.csv, or its GeoPackage): every square
whose centre lies in one of the region's communes is assigned to it. The
analysis then spreads each commune's legal population over its squares
instead of the uniform 1 km grid (communes without a square, withheld by
INSEE, keep the uniform spread), and the 65plus, pauvres and mixte profiles
become available. The squares replace those of the previous import at once;
a failed import changes nothing. Run cartonum import (communes) first.

Flags:
`

// gridConfig is the configuration of import-grid.
type gridConfig struct {
	DB, File, Report string
}

// parseGridConfig reads the flags of import-grid, which may come before or
// after the file.
func parseGridConfig(args []string, getenv func(string) string, stderr io.Writer) (gridConfig, error) {
	var c gridConfig
	fs := flag.NewFlagSet("cartonum import-grid", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, gridUsage); fs.PrintDefaults() }
	fs.StringVar(&c.DB, "db", env(getenv, "DB", "data/cartonum.db"), "SQLite database file (CARTONUM_DB)")
	fs.StringVar(&c.Report, "report", "", "write the JSON report (every rejected row with its line and reason) to this file")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return c, err
	}
	if len(files) != 1 {
		fs.Usage()
		return c, fmt.Errorf("cartonum import-grid : un fichier attendu, %d donnés", len(files))
	}
	c.File = files[0]
	if err := checkEnv(fs, getenv); err != nil {
		return c, err
	}
	return c, nil
}

// runImportGrid imports a Filosofi 200 m file into the database and prints
// what became of its rows.
func runImportGrid(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseGridConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	db, err := sqlite.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	communes, err := db.Communes(ctx)
	if err != nil {
		return err
	}
	if len(communes) == 0 {
		return fmt.Errorf("%s ne contient aucune commune : lancez d'abord cartonum import --communes …", c.DB)
	}
	cells, rep, err := grid.Read(ctx, c.File, communes)
	if err != nil {
		return err
	}
	if rep.ID, err = db.ReplaceGrid(ctx, cells, rep); err != nil {
		return fmt.Errorf("import de %s : %w", c.File, err)
	}
	if c.Report != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(c.Report, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("rapport %s : %w", c.Report, err)
		}
	}
	legal, bare, barePop := 0, 0, 0
	held := map[string]bool{}
	for i := range cells {
		held[cells[i].Commune] = true
	}
	for i := range communes {
		legal += communes[i].Population
		if !held[communes[i].Code] {
			bare++
			barePop += communes[i].Population
		}
	}
	fmt.Fprintf(stdout, "%s : %d lignes, %d carreaux importés dans %d communes, %d hors des communes chargées, %d rejetées (%s)\n",
		rep.File, rep.Rows, rep.Imported, rep.Communes, rep.Outside, rep.Rejected, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%.0f habitants dans les carreaux, calés sur la population légale des communes (%d) ; %d communes sans carreau (secret statistique, %d habitants) gardent la répartition uniforme\n",
		rep.Population, legal, bare, barePop)
	for i, r := range rep.Rejects {
		if i == 20 {
			fmt.Fprintf(stdout, "… %d autres lignes rejetées (--report pour la liste)\n", rep.Rejected-20)
			break
		}
		fmt.Fprintf(stdout, "ligne %d : %s\n", r.Line, r.Reason)
	}
	return nil
}

// loadDemand returns the demand source of the gridded population stored
// in the database, nil (the uniform grid) when no grid was imported. It is
// read after the snapshot: when an import lands in between, the newer cells
// are used, and the next reload, which sees the newer data version,
// rebuilds everything from one version again.
func loadDemand(ctx context.Context, db *sqlite.DB) (analysis.DemandSource, error) {
	_, cells, err := db.GridCells(ctx)
	if err != nil {
		return nil, err
	}
	return generation.Demand(cells), nil
}

// parseInterleaved parses fs's flags wherever they stand among the file
// arguments ("FILE --db F" as well as "--db F FILE") and returns the files.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
