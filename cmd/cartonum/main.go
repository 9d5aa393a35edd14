// Command cartonum imports, serves and exports the digital-inclusion places
// ("lieux de médiation numérique") of one French region, several, or all of them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `cartonum — carte et indicateurs des lieux de médiation numérique

Usage:
  cartonum <command> [flags] [arguments]

Commands:
  import     import places files (standard v1.0.2 CSV, v0.1 JSON or CSV) and,
             optionally, the regions' communes, EPCI and départements
             (--region: one code, a list 28,32 or all; the territory flags
             repeat, one file per region or one national file)
             cartonum import [--db F] [--region 32|28,32|all] [--communes communes.geojson]…
                             [--epci epci.json]… [--departements deps.geojson]…
                             [--report report.json] [--keep-outside] [--margin-km 30]
                             [--geocoder URL] [--geocode-min-score 0.6] places.csv...
  import-fragility  import a digital-fragility score per commune or IRIS
             (La MedNum's export or any CSV; see cartonum import-fragility -h)
             cartonum import-fragility FILE --code-col C --score-col S
                                       [--level commune|iris] [--population-col P] [--sep auto]
  import-grid  import INSEE's gridded population (Filosofi 200 m squares, CSV or
             GeoPackage): demand where people live, and the 65plus, pauvres and
             mixte profiles (see cartonum import-grid -h)
             cartonum import-grid FILE [--db F] [--report F]
  serve      serve the web app, the HTTP API and the vector tiles from the database
             cartonum serve [--db F] [--addr :8080] [--geocoder URL] [--basemap URL]
                            [--session-ttl 12h] [--source-name Cartonum] [--min-fill 3s]
                            [--proposals-per-hour 10] [--directions-url TEMPLATE]
                            [--frame-ancestors 'https://www.example.fr …']
  users      manage the moderators' and administrators' accounts
             cartonum users add --email E --role moderateur|administrateur
                                [--departement CODE …] [--epci SIREN …] [--db F]
             (password asked twice on the terminal, or read from the first
             line of standard input: never a flag)
             cartonum users list [--db F]
             cartonum users disable --email E [--db F]
  export-tiles  write the vector tiles of the data version as a PMTiles archive
             (object storage, CDN; see cartonum export-tiles -h)
             cartonum export-tiles --out F.pmtiles [--db F] [--layers L1,L2…]
                                   [--minzoom 0] [--maxzoom 14]
  backup     write a consistent copy of the database, even while serve runs
             cartonum backup [--db F] --out copy.db
  download   fetch the regions' files from the official sources
             cartonum download [--region 32|28,32|all] [--dest data/cache] [--places-url URL]
  analyse    compute the underservice indicators of every commune, EPCI,
             département or region, or of the national total, as CSV or JSON
             cartonum analyse [--db F] [--level commune] [--format csv] [--out F]
                              [--threshold-min 20] [--speed-kmh 45] [--circuity 1.3]
                              [--services 'Aide aux démarches administratives'] [--dispositifs 'France Services']
                              [--profil population|65plus|pauvres|mixte] [--mix 1,2,2]
  imports    list past imports
  help       show this help, or a command's flags: cartonum help import

The settings of serve and import can also be given as environment variables
CARTONUM_<FLAG> (CARTONUM_DB, CARTONUM_ADDR, CARTONUM_REGION…: see
cartonum help COMMAND). Flags win.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], getenvOS, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "cartonum:", err)
		}
		os.Exit(1)
	}
}

// run runs the command of args; stdin gives users add its password.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("commande manquante")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		if len(rest) == 1 && rest[0] == "users" {
			fmt.Fprint(stdout, usersUsage)
			return nil
		}
		if len(rest) == 1 && rest[0] != "help" {
			_, err := parseConfig(rest[0], []string{"-h"}, getenv, stdout)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "import-fragility":
		return runImportFragility(ctx, rest, getenv, stdout, stderr)
	case "import-grid":
		return runImportGrid(ctx, rest, getenv, stdout, stderr)
	case "export-tiles":
		return runExportTiles(ctx, rest, getenv, stdout, stderr)
	case "import", "serve", "download", "imports", "analyse", "backup":
	case "users":
		var err error
		if cmd, rest, err = usersCommand(rest); err != nil {
			fmt.Fprint(stderr, usersUsage)
			return err
		}
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("commande %q inconnue", cmd)
	}
	cfg, err := parseConfig(cmd, rest, getenv, stderr)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	switch cmd {
	case "import":
		_, err := runImport(ctx, cfg, logger, stdout, stderr)
		return err
	case "serve":
		return runServe(ctx, cfg, logger)
	case "download":
		return runDownload(ctx, cfg, logger, stdout)
	case "imports":
		return runImports(ctx, cfg, stdout)
	case "analyse":
		return runAnalyse(ctx, cfg, stdout)
	case "users add", "users list", "users disable":
		return runUsers(ctx, cmd, cfg, stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, cfg, stdout)
	}
	return nil
}

func newLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel))); err != nil {
		return nil, fmt.Errorf("niveau de journal %q invalide (debug, info, warn, error)", cfg.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("format de journal %q invalide (text ou json)", cfg.LogFormat)
}
