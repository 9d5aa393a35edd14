package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cartonum/cartonum/internal/ban"
	"github.com/cartonum/cartonum/internal/download"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/importing"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
)

// runImport reads the files of cfg (any unreadable one stops the import
// before the database is opened), runs the import service on them, then
// writes the report beside the database (or to --report) and prints its
// summary.
func runImport(ctx context.Context, cfg Config, logger *slog.Logger, stdout, stderr io.Writer) (*standard.Report, error) {
	started := time.Now()
	in, err := importing.Read(importing.Request{
		Region: cfg.Region, Communes: cfg.Communes, EPCI: cfg.EPCI, Departements: cfg.Departements,
		Places: cfg.Files, KeepOutside: cfg.KeepOutside, Margin: cfg.MarginKm * 1000,
		GeocodeMinScore: cfg.GeocodeMin, Progress: progressBar(stderr),
	}, logger)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(cfg.DB), 0o755); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base : %w", err)
	}
	defer db.Close()
	svc := &importing.Service{Store: db, Logger: logger}
	if cfg.Geocoder != "" {
		svc.Geocoder = &ban.Client{URL: cfg.Geocoder}
	}
	res, err := svc.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	reportPath := cfg.Report
	if reportPath == "" {
		reportPath = filepath.Join(filepath.Dir(cfg.DB), fmt.Sprintf("import-%d-report.json", res.ID))
	}
	if err := os.WriteFile(reportPath, res.ReportJSON, 0o644); err != nil {
		return nil, fmt.Errorf("écriture du rapport : %w", err)
	}
	if res.Communes > 0 {
		fmt.Fprintf(stdout, "Territoires : %d communes, %d EPCI, %d départements\n", res.Communes, res.EPCIs, res.Departements)
		storeTopology(ctx, db, logger)
	}
	if c := res.Report.Communes; c != nil && len(c.LeftOut) > 0 {
		fmt.Fprintf(stdout, "Communes écartées (hors de --region %s) : %s\n", cfg.Region, leftOut(c.LeftOut))
	}
	if res.Places {
		res.Report.Summary(stdout)
	}
	fmt.Fprintf(stdout, "\nImport n°%d enregistré dans %s en %s ; rapport détaillé : %s\n", res.ID, cfg.DB,
		time.Since(started).Round(time.Millisecond), reportPath)
	return res.Report, nil
}

// storeTopology stores the topology of the communes just imported, which
// the server's next start reads instead of building it. It is a cache: a
// failure is logged, and costs that start the time to build it.
func storeTopology(ctx context.Context, db *sqlite.DB, logger *slog.Logger) {
	if ctx.Err() != nil {
		return // interrupted: the next start builds it
	}
	start := time.Now()
	communes, err := db.Communes(ctx)
	saved := false
	if err == nil {
		saved, err = generation.SaveTopology(ctx, db, communes)
	}
	switch {
	case err != nil:
		logger.Warn("topology of the communes not stored: the next start builds it", "err", err)
	case saved:
		logger.Info("topology of the communes stored", "communes", len(communes), "duration_ms", time.Since(start).Milliseconds())
	default:
		logger.Info("topology of the communes already stored", "communes", len(communes))
	}
}

// leftOut describes the communes left out per region: "9 de la région 28
// (Normandie)", or for several regions "31071 de 16 régions (01 : 32,
// 02 : 34, …)".
func leftOut(byRegion map[string]int) string {
	codes := slices.Sorted(maps.Keys(byRegion))
	if len(codes) == 1 {
		n, name := byRegion[codes[0]], territory.RegionName(codes[0])
		if name == "" {
			name = "inconnue"
		}
		return fmt.Sprintf("%d de la région %s (%s)", n, codes[0], name)
	}
	total := 0
	parts := make([]string, len(codes))
	for i, code := range codes {
		total += byRegion[code]
		parts[i] = fmt.Sprintf("%s : %d", code, byRegion[code])
	}
	return fmt.Sprintf("%d de %d régions (%s)", total, len(codes), strings.Join(parts, ", "))
}

// progressBar returns a progress callback drawing a bar on a terminal, or
// nil when w is not one.
func progressBar(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	last := -1
	return func(done, total int) {
		if total == 0 {
			return
		}
		pct := done * 100 / total
		if pct == last && done != total {
			return
		}
		last = pct
		n := pct * 30 / 100
		fmt.Fprintf(f, "\r[%-30s] %3d%%  %d/%d lignes", bar(n), pct, done, total)
		if done == total {
			fmt.Fprintln(f)
		}
	}
}

func bar(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '='
	}
	return string(b)
}

func runImports(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Imports(ctx)
	if err != nil {
		return err
	}
	for _, im := range list {
		fmt.Fprintf(stdout, "%d  %s  %s  %d lues, %d importées, %d fusionnées, %d rejetées, %d lieux modifiés  %v\n",
			im.ID, im.StartedAt.Format(time.RFC3339), regionsLabel(im.Region), im.Counts.RowsRead, im.Counts.Imported,
			im.Counts.Merged, im.Counts.Rejected, im.Changed, im.Files)
	}
	return nil
}

// regionsLabel names an import's region setting: "région 32", "régions
// 28,32", "toutes régions".
func regionsLabel(setting string) string {
	switch {
	case setting == "all":
		return "toutes régions"
	case strings.Contains(setting, ","):
		return "régions " + setting
	}
	return "région " + setting
}

func runDownload(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) error {
	src := download.DefaultSources()
	if cfg.PlacesURL != "" {
		src.Places = cfg.PlacesURL
	}
	// One set of files per region of the list; all: the national files
	// (communes-all.geojson…).
	regions := cfg.Regions
	if regions == nil {
		regions = []string{download.AllRegions}
	}
	for _, r := range regions {
		files, err := download.Fetch(ctx, download.Options{Region: r, Dest: cfg.Dest, Sources: src, Logger: logger})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n%s\n%s\n%s\n", files.Communes, files.EPCI, files.Departements, files.Places)
	}
	return nil
}
