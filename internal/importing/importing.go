// Package importing is the import use case: it reads the territory and
// places files of one region, several or all (the communes of the other
// regions are left out and counted), normalises and deduplicates the
// places against the stored ones (internal/standard), places them from their address when a
// geocoder is given (internal/ban), derives the EPCI and départements no
// file gave (internal/territory), and writes the whole import as one batch
// through a cartonum.Store.
//
// It exists so that the pipeline has one home outside cmd/: the command
// only parses flags and prints, and other writers (contributions, a second
// store) reuse the same seam. The batch is computed from one loaded data
// version and applied only if the store is still at that version; when
// another writer got there first, the import loads again and computes again,
// so that no update is lost.
//
// Fields a moderator corrected take precedence over older source records,
// and a newer source value that differs becomes a proposal in the
// moderation queue instead of overwriting the correction (precedence.go).
package importing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/ban"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
)

// DefaultAttempts is how many times Import computes its batch when other
// writers keep changing the data between its load and its write.
const DefaultAttempts = 3

// Service runs imports into Store.
type Service struct {
	Store  cartonum.Store
	Logger *slog.Logger // nil: no logs
	// Geocoder, when set, places from their address the places without
	// usable coordinates or at their commune's centre; its answers are
	// cached in the store.
	Geocoder *ban.Client
	// Attempts bounds how many times one import loads, computes and tries
	// to write its batch (DefaultAttempts when zero).
	Attempts int
}

// Request is one import: the files to read and how to treat the places.
type Request struct {
	// Region selects the regions imported: one code ("32"), a list
	// ("28,32") or "all" (territory.ParseRegions). The communes files'
	// communes of other regions are left out, and counted in the report.
	Region string
	// Communes, EPCI and Departements are the territory files, several
	// per kind when the regions come in several files (one per region);
	// none of a kind leaves its table as it is, except that the EPCI and
	// départements no file gives are derived from the communes.
	Communes, EPCI, Departements []string
	// Places are the places files (CSV or JSON of the national standard).
	Places []string
	// KeepOutside keeps places outside the region's communes, flagged.
	KeepOutside bool
	// Margin, in metres, keeps places outside the region but within this
	// distance of it as neighbouring supply.
	Margin float64
	// GeocodeMinScore is the lowest geocoder score accepted.
	GeocodeMinScore float64
	// Progress, when set, is called as the places records are normalised.
	Progress func(done, total int)
}

// Result is what an import wrote.
type Result struct {
	// ID is the import's number in the store.
	ID int64
	// Report is the places report (empty without places files) and
	// ReportJSON its JSON, as stored with the import.
	Report     *standard.Report
	ReportJSON []byte
	// Communes, EPCIs and Departements are the territories written (zero
	// when the import gave no communes).
	Communes, EPCIs, Departements int
	// Places tells whether the import had places files.
	Places bool
	// Attempts is how many times the batch was computed: more than one
	// when another writer changed the data meanwhile.
	Attempts int
	// GeocodeQueries and GeocodeHits count the geocoder's service queries
	// and cached answers.
	GeocodeQueries, GeocodeHits int
	// KeptCorrections counts the fields of places a moderator corrected
	// that the import left as corrected instead of writing the source's
	// value; Proposals the source values newer than the correction, queued
	// for moderation instead (once per place, field and value: those
	// already queued are not queued again).
	KeptCorrections, Proposals int
}

// Inputs are the files of a request, read and checked, ready to import.
type Inputs struct {
	req     Request
	regions []string // the selected regions' codes, nil for all
	batch   cartonum.Batch
	sources []*standard.Source
	// communes accounts for the communes files, nil without any.
	communes *standard.CommuneCounts
}

// Read reads every input file of req: any unreadable file stops the import
// before the store is even opened. The EPCI and départements a communes
// file came without are derived from it. log may be nil.
func Read(req Request, log *slog.Logger) (*Inputs, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	regions, err := territory.ParseRegions(req.Region)
	if err != nil {
		return nil, cartonum.Errorf(cartonum.KindInvalid, "--region : %v", err)
	}
	req.Region = regionSetting(regions)
	in := &Inputs{req: req, regions: regions}
	if err := in.read(log); err != nil {
		return nil, err
	}
	return in, nil
}

// Import reads the inputs of req then runs them (see Run).
func (s *Service) Import(ctx context.Context, req Request) (*Result, error) {
	in, err := Read(req, s.Logger)
	if err != nil {
		return nil, err
	}
	return s.Run(ctx, in)
}

// Run loads the stored data, normalises and deduplicates the places of in
// against it and writes the whole import in one transaction, provided the
// data has not changed since the load. When it has, it starts again from
// the load, at most Attempts times; the last conflict is returned as an
// error of kind KindConflict wrapping cartonum.ErrStale.
func (s *Service) Run(ctx context.Context, in *Inputs) (*Result, error) {
	started := time.Now()
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	batch, sources := in.batch, in.sources
	batch.StartedAt = started

	var (
		geo *ban.Cached
		err error
	)
	if s.Geocoder != nil && len(sources) > 0 {
		if geo, err = s.cachedGeocoder(ctx); err != nil {
			return nil, err
		}
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	for attempt := 1; ; attempt++ {
		res, err := s.attempt(ctx, in, batch, sources, geo, started)
		if err == nil {
			res.Attempts = attempt
			if geo != nil {
				res.GeocodeQueries, res.GeocodeHits = geo.Queries, geo.Hits
				log.Info("geocoding", "queries", geo.Queries, "cache_hits", geo.Hits)
			}
			log.Debug("import written", "id", res.ID, "attempts", attempt, "ms", time.Since(started).Milliseconds())
			return res, nil
		}
		if !errors.Is(err, cartonum.ErrStale) || attempt >= attempts {
			return nil, err
		}
		log.Info("data changed by another writer during the import: starting again", "attempt", attempt)
	}
}

// attempt loads the stored data, computes the batch from it and applies
// it at the loaded version.
func (s *Service) attempt(ctx context.Context, in *Inputs, b cartonum.Batch, sources []*standard.Source,
	geo *ban.Cached, started time.Time) (*Result, error) {
	req := in.req
	ds, err := s.Store.Load(ctx)
	if err != nil {
		return nil, err
	}
	b.Base = &ds.Version
	communes := b.Communes
	if communes == nil {
		communes = ds.Communes
		if err := storedInRegions(communes, in.regions); err != nil {
			return nil, err
		}
	} else if err := regionsKept(ds, communes); err != nil {
		return nil, err
	}
	if len(communes) == 0 && len(sources) > 0 {
		file := "communes-" + strings.ReplaceAll(req.Region, ",", ".geojson --communes communes-") + ".geojson"
		if in.regions == nil {
			file = "communes.geojson"
		}
		return nil, cartonum.Errorf(cartonum.KindInvalid,
			"aucune commune pour %s : importez-les d'abord ou avec les lieux (--communes %s)", regionsPhrase(in.regions), file)
	}
	// The territory snapshot copies nothing it is given ownership of.
	terr := index.New(index.Data{Communes: append([]cartonum.Commune(nil), communes...)})
	opts := standard.Options{Region: req.Region, KeepOutside: req.KeepOutside, Margin: req.Margin,
		GeocodeMinScore: req.GeocodeMinScore, Progress: req.Progress}
	if geo != nil {
		opts.Geocoder = geo
	}
	existing := ds.Places
	if cl, ok := s.Store.(closedLister); ok {
		// Places closed by moderation are known to the import, so that
		// their records update them (they stay closed) instead of coming
		// back as new places. Closing or reopening moves the data version,
		// so a change between the two reads fails the batch as stale.
		closed, err := cl.ClosedPlaces(ctx)
		if err != nil {
			return nil, err
		}
		existing = withClosed(existing, closed)
	}
	res, err := standard.Import(existing, sources, terr, opts)
	if err != nil {
		return nil, err
	}
	if geo != nil {
		b.Geocodes = freshGeocodes(geo, started)
	}
	rep := res.Report
	rep.Communes = in.communes
	pr := newPrecedence(ds.Overrides, communes, sourceNames(req.Places), time.Now())
	if res.Upserts, err = keepCorrections(pr, res.Upserts, existing, rep); err != nil {
		return nil, err
	}
	b.Actor = cartonum.Actor{Kind: cartonum.ActorImport}
	b.Proposals = pr.proposals
	reportJSON, err := json.MarshalIndent(rep, "", " ")
	if err != nil {
		return nil, err
	}
	b.Upserts = res.Upserts
	b.Report = reportJSON
	b.FinishedAt = time.Now()
	b.Counts = cartonum.Counts{RowsRead: rep.Totals.RowsRead, Imported: rep.Totals.Imported,
		Merged: rep.Totals.Merged, Conflicts: rep.Totals.Conflicts, Rejected: rep.Totals.Rejected, Repaired: rep.Totals.Repaired}
	id, err := s.Store.Apply(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("écriture de l'import : %w", err)
	}
	return &Result{ID: id, Report: rep, ReportJSON: reportJSON, Communes: len(b.Communes), EPCIs: len(b.EPCIs),
		Departements: len(b.Departements), Places: len(sources) > 0,
		KeptCorrections: pr.kept, Proposals: len(pr.proposals)}, nil
}

// closedLister is what a store that closes places offers: the closed
// places (cartonum.ContributionStore has it).
type closedLister interface {
	ClosedPlaces(ctx context.Context) ([]cartonum.Place, error)
}

// withClosed returns the open places followed by the closed ones that are
// not among them.
func withClosed(open, closed []cartonum.Place) []cartonum.Place {
	if len(closed) == 0 {
		return open
	}
	ids := make(map[string]bool, len(open))
	for i := range open {
		ids[open[i].ID] = true
	}
	out := append(make([]cartonum.Place, 0, len(open)+len(closed)), open...)
	for _, p := range closed {
		if !ids[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

// keepCorrections applies the moderators' corrections to the upserts and
// drops those left equal to the stored place, counting them as unchanged
// in rep.
func keepCorrections(pr *precedence, upserts, existing []cartonum.Place, rep *standard.Report) ([]cartonum.Place, error) {
	if len(pr.overrides) == 0 {
		return upserts, nil
	}
	stored := make(map[string]*cartonum.Place, len(pr.overrides))
	for i := range existing {
		if _, ok := pr.overrides[existing[i].ID]; ok {
			stored[existing[i].ID] = &existing[i]
		}
	}
	out := upserts[:0]
	for i := range upserts {
		p := &upserts[i]
		if err := pr.apply(p); err != nil {
			return nil, err
		}
		if old := stored[p.ID]; old != nil && samePlace(old, p) {
			rep.Places.Updated--
			rep.Places.Unchanged++
			continue
		}
		out = append(out, *p)
	}
	return out, nil
}

// samePlace reports whether a and b are equal but for the import that last
// changed them.
func samePlace(a, b *cartonum.Place) bool {
	x, y := *a, *b
	x.Provenance.BatchID, y.Provenance.BatchID = 0, 0
	bx, err1 := json.Marshal(&x)
	by, err2 := json.Marshal(&y)
	return err1 == nil && err2 == nil && string(bx) == string(by)
}

// sourceNames names the places files of an import, for the proposals of
// places without a source.
func sourceNames(files []string) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = filepath.Base(f)
	}
	return strings.Join(names, ", ")
}

// read reads every input file into the batch (territories) and sources
// (places), keeping the communes of the selected regions and deriving the
// EPCI and départements no file gave.
func (in *Inputs) read(log *slog.Logger) error {
	req := in.req
	b := cartonum.Batch{Region: req.Region}
	if len(req.Communes) > 0 {
		if err := in.readCommunes(&b); err != nil {
			return err
		}
	}
	for _, f := range req.EPCI {
		es, err := readWith(f, territory.ReadEPCIs)
		if err != nil {
			return err
		}
		b.EPCIs = append(b.EPCIs, es...)
		b.Files = append(b.Files, f)
	}
	for _, f := range req.Departements {
		ds, err := readWith(f, territory.ReadDepartements)
		if err != nil {
			return err
		}
		b.Departements = append(b.Departements, ds...)
		b.Files = append(b.Files, f)
	}
	if len(b.Communes) > 0 {
		if err := territoriesOf(&b, log); err != nil {
			return fmt.Errorf("%s : %w", strings.Join(req.Communes, ", "), err)
		}
	}
	for _, f := range req.Places {
		src, err := readWith(f, func(r io.Reader) (*standard.Source, error) { return standard.Read(filepath.Base(f), r) })
		if err != nil {
			return err
		}
		in.sources = append(in.sources, src)
		b.Files = append(b.Files, f)
	}
	if len(b.Files) == 0 {
		return cartonum.Errorf(cartonum.KindInvalid, "rien à importer : donnez des fichiers de lieux et/ou --communes, --epci, --departements")
	}
	in.batch = b
	return nil
}

// readCommunes reads the communes files into b, keeping the communes of
// the selected regions (and those without a region code) and counting the
// others. A commune in two files, or a selected region none of whose
// communes the files hold, is an error.
func (in *Inputs) readCommunes(b *cartonum.Batch) error {
	counts := &standard.CommuneCounts{}
	seen := make(map[string]string) // commune code → file
	present := make(map[string]bool)
	for _, f := range in.req.Communes {
		cs, err := readWith(f, territory.ReadCommunes)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if other, ok := seen[c.Code]; ok {
				return cartonum.Errorf(cartonum.KindInvalid, "commune %s présente dans %s et %s", c.Code, other, f)
			}
			seen[c.Code] = f
			counts.Read++
			if c.CodeRegion != "" && in.regions != nil && !slices.Contains(in.regions, c.CodeRegion) {
				if counts.LeftOut == nil {
					counts.LeftOut = make(map[string]int)
				}
				counts.LeftOut[c.CodeRegion]++
				continue
			}
			present[c.CodeRegion] = true
			b.Communes = append(b.Communes, c)
		}
		b.Files = append(b.Files, f)
	}
	counts.Kept = len(b.Communes)
	files := strings.Join(in.req.Communes, ", ")
	if len(b.Communes) == 0 {
		return cartonum.Errorf(cartonum.KindInvalid, "%s : aucune commune %s", files, regionsOf(in.regions))
	}
	var missing []string
	for _, r := range in.regions {
		if !present[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 && !present[""] {
		return cartonum.Errorf(cartonum.KindInvalid, "%s : aucune commune %s (donnez un fichier --communes par région)",
			files, regionsOf(missing))
	}
	in.communes = counts
	return nil
}

// territoriesOf keeps the EPCI and départements of the files that concern
// b's communes (an EPCI with a member among them, a département of one of
// them), then derives from the communes those no file gave, such as a
// region's given with its EPCI file beside another's given without.
func territoriesOf(b *cartonum.Batch, log *slog.Logger) error {
	kept := make(map[string]bool, len(b.Communes))
	deps := make(map[string]bool)
	for _, c := range b.Communes {
		kept[c.Code] = true
		deps[c.CodeDepartement] = true
	}
	b.EPCIs = slices.DeleteFunc(b.EPCIs, func(e cartonum.EPCI) bool {
		return !slices.ContainsFunc(e.Membres, func(m string) bool { return kept[m] })
	})
	b.Departements = slices.DeleteFunc(b.Departements, func(d cartonum.Departement) bool { return !deps[d.Code] })
	given := make(map[string]bool, len(b.EPCIs)+len(b.Departements))
	for _, e := range b.EPCIs {
		given["e"+e.Code] = true
	}
	for _, d := range b.Departements {
		given["d"+d.Code] = true
	}
	var noEPCI, noDep []cartonum.Commune
	for _, c := range b.Communes {
		if c.CodeEpci != "" && !given["e"+c.CodeEpci] {
			noEPCI = append(noEPCI, c)
		}
		if !given["d"+c.CodeDepartement] {
			noDep = append(noDep, c)
		}
	}
	// Communes given: both tables are replaced, with what the files and
	// the derivation give.
	if b.EPCIs == nil {
		b.EPCIs = []cartonum.EPCI{}
	}
	if b.Departements == nil {
		b.Departements = []cartonum.Departement{}
	}
	if len(noEPCI) == 0 && len(noDep) == 0 {
		return nil
	}
	return deriveTerritories(b, noEPCI, noDep, log)
}

// regionSetting is the canonical region setting of the codes: "all" for
// nil, else the codes joined by commas.
func regionSetting(codes []string) string {
	if codes == nil {
		return "all"
	}
	return strings.Join(codes, ",")
}

// regionsPhrase names the regions in messages: "la région 32", "les
// régions 28, 32", "les régions de France".
func regionsPhrase(codes []string) string {
	switch len(codes) {
	case 0:
		return "les régions de France"
	case 1:
		return "la région " + codes[0]
	}
	return "les régions " + strings.Join(codes, ", ")
}

// regionsOf is regionsPhrase after "de": "de la région 32", "des régions
// 28, 32".
func regionsOf(codes []string) string {
	if len(codes) == 1 {
		return "de " + regionsPhrase(codes)
	}
	return "des " + strings.TrimPrefix(regionsPhrase(codes), "les ")
}

// storedInRegions checks that the stored communes an import without
// communes files normalises its places against are all in the selected
// regions: a database of regions 28 and 32 takes --region 28,32 (or all).
func storedInRegions(communes []cartonum.Commune, regions []string) error {
	if regions == nil {
		return nil
	}
	var stored, others []string
	for _, c := range communes {
		r := c.CodeRegion
		if r == "" || slices.Contains(stored, r) {
			continue
		}
		stored = append(stored, r)
		if !slices.Contains(regions, r) {
			others = append(others, r)
		}
	}
	if len(others) == 0 {
		return nil
	}
	slices.Sort(stored)
	slices.Sort(others)
	return cartonum.Errorf(cartonum.KindInvalid, "la base contient les communes %s, hors de --region %s : importez avec --region %s (ou all)",
		regionsOf(others), strings.Join(regions, ","), strings.Join(stored, ","))
}

// regionsKept checks that the communes replacing the stored ones keep
// every region the stored places lie in: an import of region 32's communes
// into a database of regions 28 and 32 would leave region 28's places
// without their communes.
func regionsKept(ds cartonum.Dataset, communes []cartonum.Commune) error {
	kept := make(map[string]bool)
	for i := range communes {
		kept[communes[i].CodeRegion] = true
	}
	region := make(map[string]string, len(ds.Communes))
	for i := range ds.Communes {
		region[ds.Communes[i].Code] = ds.Communes[i].CodeRegion
	}
	dropped := make(map[string]int)
	for i := range ds.Places {
		p := &ds.Places[i]
		if r, ok := region[p.CodeInsee]; ok && r != "" && !p.Provenance.OutsideRegion && !kept[r] {
			dropped[r]++
		}
	}
	if len(dropped) == 0 {
		return nil
	}
	codes := slices.Sorted(maps.Keys(dropped))
	parts := make([]string, len(codes))
	all := slices.Sorted(maps.Keys(kept))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%d de la région %s", dropped[c], c)
		all = append(all, c)
	}
	slices.Sort(all)
	all = slices.DeleteFunc(all, func(c string) bool { return c == "" })
	return cartonum.Errorf(cartonum.KindInvalid,
		"la base contient des lieux dont cet import retirerait les communes (%s) : importez aussi leurs communes (--region %s) ou créez une autre base (--db)",
		strings.Join(parts, ", "), strings.Join(all, ","))
}

// deriveTerritories adds to b the EPCI of the communes noEPCI and the
// départements of the communes noDep (their codeEpci, codeDepartement),
// named from the table built into the binary; a territory the table lacks
// keeps its code only. The result stays sorted by code.
func deriveTerritories(b *cartonum.Batch, noEPCI, noDep []cartonum.Commune, log *slog.Logger) error {
	names, err := territory.BuiltinNames()
	if err != nil {
		return err
	}
	epcis, err := territory.DeriveEPCIs(noEPCI, names)
	if err != nil {
		return err
	}
	deps, err := territory.DeriveDepartements(noDep, names)
	if err != nil {
		return err
	}
	unnamed := 0
	for _, e := range epcis {
		if e.Nom == "" {
			unnamed++
		}
	}
	for _, d := range deps {
		if d.Nom == "" {
			unnamed++
		}
	}
	b.EPCIs = append(b.EPCIs, epcis...)
	slices.SortFunc(b.EPCIs, func(x, y cartonum.EPCI) int { return strings.Compare(x.Code, y.Code) })
	b.Departements = append(b.Departements, deps...)
	slices.SortFunc(b.Departements, func(x, y cartonum.Departement) int { return strings.Compare(x.Code, y.Code) })
	log.Info("territories derived from the communes", "epci", len(epcis), "departements", len(deps),
		"names", names.Source, "unnamed", unnamed)
	return nil
}

// cachedGeocoder returns the import's geocoder: the client behind the
// answers cached in the store.
func (s *Service) cachedGeocoder(ctx context.Context) (*ban.Cached, error) {
	stored, err := s.Store.Geocodes(ctx)
	if err != nil {
		return nil, err
	}
	cache := make(map[string]standard.GeocodeResult, len(stored))
	for k, g := range stored {
		cache[k] = standard.GeocodeResult{Found: g.Found, Point: orb.Point{g.Lon, g.Lat}, Score: g.Score,
			CityCode: g.CityCode, Label: g.Label, Kind: g.Kind}
	}
	return &ban.Cached{Ctx: ctx, Client: s.Geocoder, Cache: cache}, nil
}

// freshGeocodes are the answers the geocoder gave during the import, to
// store with its batch.
func freshGeocodes(g *ban.Cached, at time.Time) []cartonum.Geocode {
	out := make([]cartonum.Geocode, 0, len(g.Fresh))
	for _, k := range g.Fresh {
		r := g.Cache[k]
		out = append(out, cartonum.Geocode{Key: k, Found: r.Found, Lon: r.Point[0], Lat: r.Point[1], Score: r.Score,
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
