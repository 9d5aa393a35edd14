package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/ban"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/download"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
)

// deriveTerritories fills the EPCI and départements of b that no file gave
// from its communes (codeEpci, codeDepartement), named from the table built
// into the binary; a territory the table lacks keeps its code only.
func deriveTerritories(b *sqlite.Batch, logger *slog.Logger) error {
	names, err := territory.BuiltinNames()
	if err != nil {
		return err
	}
	unnamed := 0
	if b.EPCIs == nil {
		if b.EPCIs, err = territory.DeriveEPCIs(b.Communes, names); err != nil {
			return err
		}
		for _, e := range b.EPCIs {
			if e.Nom == "" {
				unnamed++
			}
		}
	}
	if b.Departements == nil {
		if b.Departements, err = territory.DeriveDepartements(b.Communes, names); err != nil {
			return err
		}
		for _, d := range b.Departements {
			if d.Nom == "" {
				unnamed++
			}
		}
	}
	logger.Info("territories derived from the communes", "epci", len(b.EPCIs), "departements", len(b.Departements),
		"names", names.Source, "unnamed", unnamed)
	return nil
}

// runImport reads every input first (any unreadable file stops the import
// before anything is written), then normalises and deduplicates the places
// against the stored ones and writes the whole import in one transaction.
func runImport(ctx context.Context, cfg Config, logger *slog.Logger, stdout, stderr io.Writer) (*standard.Report, error) {
	started := time.Now()
	batch := sqlite.Batch{Region: cfg.Region, StartedAt: started}
	var err error
	if cfg.Communes != "" {
		if batch.Communes, err = readWith(cfg.Communes, territory.ReadCommunes); err != nil {
			return nil, err
		}
		var kept []cartonum.Commune
		for _, c := range batch.Communes {
			if c.CodeRegion == "" || c.CodeRegion == cfg.Region {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return nil, fmt.Errorf("%s : aucune commune de la région %s", cfg.Communes, cfg.Region)
		}
		batch.Communes = kept
		batch.Files = append(batch.Files, cfg.Communes)
	}
	if cfg.EPCI != "" {
		if batch.EPCIs, err = readWith(cfg.EPCI, territory.ReadEPCIs); err != nil {
			return nil, err
		}
		batch.Files = append(batch.Files, cfg.EPCI)
	}
	if cfg.Departements != "" {
		if batch.Departements, err = readWith(cfg.Departements, territory.ReadDepartements); err != nil {
			return nil, err
		}
		batch.Files = append(batch.Files, cfg.Departements)
	}
	if len(batch.Communes) > 0 && (batch.EPCIs == nil || batch.Departements == nil) {
		if err := deriveTerritories(&batch, logger); err != nil {
			return nil, fmt.Errorf("%s : %w", cfg.Communes, err)
		}
	}
	var sources []*standard.Source
	for _, f := range cfg.Files {
		src, err := readWith(f, func(r io.Reader) (*standard.Source, error) { return standard.Read(filepath.Base(f), r) })
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
		batch.Files = append(batch.Files, f)
	}
	if len(batch.Files) == 0 {
		return nil, fmt.Errorf("rien à importer : donnez des fichiers de lieux et/ou --communes, --epci, --departements")
	}

	logger.Debug("inputs read", "ms", time.Since(started).Milliseconds())
	if err := os.MkdirAll(filepath.Dir(cfg.DB), 0o755); err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base : %w", err)
	}
	defer db.Close()
	logger.Debug("database opened", "ms", time.Since(started).Milliseconds())
	communes := batch.Communes
	if communes == nil {
		if communes, err = db.Communes(ctx); err != nil {
			return nil, err
		}
	}
	if len(communes) == 0 && len(sources) > 0 {
		return nil, fmt.Errorf("aucune commune pour la région %s : importez-les d'abord ou avec les lieux (--communes communes-%s.geojson)", cfg.Region, cfg.Region)
	}
	existing, err := db.Places(ctx)
	if err != nil {
		return nil, err
	}
	// The territory snapshot copies nothing it is given ownership of.
	terr := index.New(index.Data{Communes: append([]cartonum.Commune(nil), communes...)})
	opts := standard.Options{Region: cfg.Region, KeepOutside: cfg.KeepOutside, Margin: cfg.MarginKm * 1000,
		GeocodeMinScore: cfg.GeocodeMin, Progress: progressBar(stderr)}
	var geo *ban.Cached
	if cfg.Geocoder != "" && len(sources) > 0 {
		if geo, err = cachedGeocoder(ctx, db, cfg.Geocoder); err != nil {
			return nil, err
		}
		opts.Geocoder = geo
	}
	res, err := standard.Import(existing, sources, terr, opts)
	if err != nil {
		return nil, err
	}
	if geo != nil {
		batch.Geocodes = freshGeocodes(geo, started)
		logger.Info("geocoding", "queries", geo.Queries, "cache_hits", geo.Hits)
	}
	logger.Debug("places normalised", "ms", time.Since(started).Milliseconds())
	rep := res.Report
	reportJSON, err := json.MarshalIndent(rep, "", " ")
	if err != nil {
		return nil, err
	}
	batch.Upserts = res.Upserts
	batch.Report = reportJSON
	batch.FinishedAt = time.Now()
	batch.Counts = sqlite.Counts{RowsRead: rep.Totals.RowsRead, Imported: rep.Totals.Imported,
		Merged: rep.Totals.Merged, Conflicts: rep.Totals.Conflicts, Rejected: rep.Totals.Rejected, Repaired: rep.Totals.Repaired}
	id, err := db.Apply(ctx, batch)
	if err != nil {
		return nil, fmt.Errorf("écriture de l'import : %w", err)
	}
	logger.Debug("import written", "ms", time.Since(started).Milliseconds())
	reportPath := cfg.Report
	if reportPath == "" {
		reportPath = filepath.Join(filepath.Dir(cfg.DB), fmt.Sprintf("import-%d-report.json", id))
	}
	if err := os.WriteFile(reportPath, reportJSON, 0o644); err != nil {
		return nil, fmt.Errorf("écriture du rapport : %w", err)
	}
	if len(batch.Communes) > 0 {
		fmt.Fprintf(stdout, "Territoires : %d communes, %d EPCI, %d départements\n", len(batch.Communes), len(batch.EPCIs), len(batch.Departements))
	}
	if len(sources) > 0 {
		rep.Summary(stdout)
	}
	fmt.Fprintf(stdout, "\nImport n°%d enregistré dans %s en %s ; rapport détaillé : %s\n", id, cfg.DB,
		time.Since(started).Round(time.Millisecond), reportPath)
	logger.Debug("import done", "id", id, "upserts", len(batch.Upserts))
	return rep, nil
}

// cachedGeocoder returns the import's geocoder: the BAN client at url
// behind the answers cached in db.
func cachedGeocoder(ctx context.Context, db *sqlite.DB, url string) (*ban.Cached, error) {
	stored, err := db.Geocodes(ctx)
	if err != nil {
		return nil, err
	}
	cache := make(map[string]standard.GeocodeResult, len(stored))
	for k, g := range stored {
		cache[k] = standard.GeocodeResult{Found: g.Found, Point: orb.Point{g.Lon, g.Lat}, Score: g.Score,
			CityCode: g.CityCode, Label: g.Label, Kind: g.Kind}
	}
	return &ban.Cached{Ctx: ctx, Client: &ban.Client{URL: url}, Cache: cache}, nil
}

// freshGeocodes are the answers the geocoder gave during the import, to
// store with its batch.
func freshGeocodes(g *ban.Cached, at time.Time) []sqlite.Geocode {
	out := make([]sqlite.Geocode, 0, len(g.Fresh))
	for _, k := range g.Fresh {
		r := g.Cache[k]
		out = append(out, sqlite.Geocode{Key: k, Found: r.Found, Lon: r.Point[0], Lat: r.Point[1], Score: r.Score,
			CityCode: r.CityCode, Label: r.Label, Kind: r.Kind, FetchedAt: at})
	}
	return out
}

// readWith opens path and parses it with read.
func readWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
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
		fmt.Fprintf(stdout, "%d  %s  région %s  %d lues, %d importées, %d fusionnées, %d rejetées, %d lieux modifiés  %v\n",
			im.ID, im.StartedAt.Format(time.RFC3339), im.Region, im.Counts.RowsRead, im.Counts.Imported,
			im.Counts.Merged, im.Counts.Rejected, im.Changed, im.Files)
	}
	return nil
}

func runDownload(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) error {
	src := download.DefaultSources()
	if cfg.PlacesURL != "" {
		src.Places = cfg.PlacesURL
	}
	files, err := download.Fetch(ctx, download.Options{Region: cfg.Region, Dest: cfg.Dest, Sources: src, Logger: logger})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n%s\n%s\n%s\n", files.Communes, files.EPCI, files.Departements, files.Places)
	return nil
}
