package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cartonum/cartonum/internal/fragility"
	"github.com/cartonum/cartonum/internal/sqlite"
)

const fragilityUsage = `cartonum import-fragility FILE --code-col C --score-col S [--level commune|iris]
                          [--population-col P] [--sep auto|;|,|tab||] [--db F] [--report F]

Imports a digital-fragility score per commune or IRIS (La MedNum's "indice de
fragilité numérique" export, or any CSV with an INSEE code and a score). IRIS
codes (9 characters, the first 5 the commune) are averaged per commune,
weighted by the IRIS population when --population-col is given. The scores
replace those of the previous import at once; a failed import changes nothing.
Example (La MedNum's IRIS export):
  cartonum import-fragility ifn-iris.csv --level iris --code-col "Code Iris" \
    --score-col "SCORE GLOBAL region *" --population-col "P16 Pop"

Flags:
`

// fragilityConfig is the configuration of import-fragility.
type fragilityConfig struct {
	DB, File, Report string
	Options          fragility.Options
}

// parseFragilityConfig reads the flags of import-fragility, which may come
// before or after the file.
func parseFragilityConfig(args []string, getenv func(string) string, stderr io.Writer) (fragilityConfig, error) {
	var c fragilityConfig
	var sep, level string
	fs := flag.NewFlagSet("cartonum import-fragility", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, fragilityUsage); fs.PrintDefaults() }
	fs.StringVar(&c.DB, "db", env(getenv, "DB", "data/cartonum.db"), "SQLite database file (CARTONUM_DB)")
	fs.StringVar(&c.Options.CodeCol, "code-col", "", "column of the INSEE code (commune or IRIS); required")
	fs.StringVar(&c.Options.ScoreCol, "score-col", "", "column of the score (higher is more fragile); required")
	fs.StringVar(&c.Options.PopulationCol, "population-col", "", "column of the population of each row, to weigh IRIS in their commune's score")
	fs.StringVar(&level, "level", fragility.LevelCommune, "level of the rows: commune or iris")
	fs.StringVar(&sep, "sep", "auto", "field separator: auto, ';', ',', '|' or tab")
	fs.StringVar(&c.Report, "report", "", "write the JSON report to this file (default: beside the database)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return c, err
	}
	if len(files) != 1 {
		fs.Usage()
		return c, fmt.Errorf("cartonum import-fragility : un fichier attendu, %d donnés", len(files))
	}
	c.File = files[0]
	if c.Options.CodeCol == "" || c.Options.ScoreCol == "" {
		return c, errors.New("cartonum import-fragility : --code-col et --score-col sont obligatoires")
	}
	switch level {
	case fragility.LevelCommune, fragility.LevelIRIS:
		c.Options.Level = level
	default:
		return c, fmt.Errorf("--level %q invalide : commune ou iris", level)
	}
	r, err := fragility.ParseSep(sep)
	if err != nil {
		return c, err
	}
	c.Options.Sep = r
	return c, nil
}

// runImportFragility imports a fragility file into the database, then
// writes the report beside it (or to --report) and prints its summary
// with the rejected lines.
func runImportFragility(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseFragilityConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	f, err := os.Open(cfg.File)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("base %s introuvable : lancez d'abord cartonum import", cfg.DB)
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("ouverture de la base : %w", err)
	}
	defer db.Close()
	rep, err := fragility.Import(ctx, db, filepath.Base(cfg.File), f, cfg.Options)
	if err != nil {
		if rep != nil {
			printFragilityReport(stdout, rep)
		}
		return err
	}
	path := cfg.Report
	if path == "" {
		path = filepath.Join(filepath.Dir(cfg.DB), fmt.Sprintf("fragilite-%d-report.json", rep.ID))
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("écriture du rapport : %w", err)
	}
	printFragilityReport(stdout, rep)
	fmt.Fprintf(stdout, "\nImport de fragilité n°%d enregistré dans %s ; rapport détaillé : %s\n", rep.ID, cfg.DB, path)
	return nil
}

// printFragilityReport prints the counts and the first rejected lines.
func printFragilityReport(w io.Writer, rep *fragility.Report) {
	fmt.Fprintf(w, "%s (niveau %s) : %d lignes : %d importées, %d hors région, %d rejetées\n",
		rep.File, rep.Level, rep.Rows, rep.Imported, rep.Outside, rep.Rejected)
	if rep.Communes > 0 {
		fmt.Fprintf(w, "Communes avec un score : %d sur %d (agrégation : %s) ; score de %s à %s, moyenne %s\n",
			rep.Communes, rep.RegionCommunes, rep.Aggregation, num(rep.Min), num(rep.Max), num(rep.Mean))
	}
	const shown = 20
	for i, r := range rep.RejectedRows {
		if i == shown {
			fmt.Fprintf(w, "  … et %d autres lignes rejetées (voir le rapport)\n", len(rep.RejectedRows)-shown)
			break
		}
		code := ""
		if r.Code != "" {
			code = " " + r.Code
		}
		fmt.Fprintf(w, "  ligne %d%s : %s\n", r.Line, code, r.Reason)
	}
}

func num(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}
