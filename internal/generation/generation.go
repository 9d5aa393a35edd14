// Package generation owns everything Cartonum derives from one data
// version: the index snapshot, the territory hierarchy with its names and
// outlines (from one topology of the communes), the analysis model, the
// indicators at the default parameters and the vector tile set, every zoom
// generalised.
//
// It exists so that this work is done once per data version, before anyone
// reads it: Build makes a Generation, an immutable value, and Live publishes
// it with one atomic swap; while a new one is built, the old one keeps
// serving. One exception, a server's first generation (BackgroundWarm): it
// is published before its zooms are generalised and before its search
// indexes, place display names and opening hours and outlines are built, so
// that the server starts sooner; those are completed in the background, and
// a reader that needs one earlier builds it once (sync.Once) and waits for
// it, with the same result.
// It also holds the glue between a snapshot and the analysis (NewModel, the
// territory names, the indicators CSV) that every command shares, so that no
// command needs the HTTP package for it.
package generation

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/tileset"
)

// Config tunes what a Generation builds.
type Config struct {
	// Tiles tunes the tile set (cache size, clustering).
	Tiles tileset.Config
	// NoTiles leaves the tile set out, for commands that serve no tiles
	// (analyse): Tiles then returns nil and Outline only knows communes.
	NoTiles bool
	// BackgroundWarm, for the first generation only (Rebuild with no
	// previous one, as when a server starts), publishes the generation as
	// soon as its model, indicators and topology are ready and generalises
	// the tiles' zooms in the background, then completes its snapshot
	// (Snapshot.Complete) and dissolves the outlines of the EPCI and
	// départements: there is no older generation to keep serving meanwhile,
	// and a request for a zoom not generalised yet waits for that zoom
	// alone (Outline and a search build what they need on first use).
	// Generation.TilesWarm reports the end of the zooms.
	// Later generations are always built completely before they replace
	// the current one.
	BackgroundWarm bool
	// PrefillTiles is how many of the previous generation's most recently
	// used tiles Rebuild encodes before the new generation is published.
	PrefillTiles int
	// Routing, when set, is the travel model of every request (a routing
	// engine, e.g. OSRM) instead of crow-fly; TripCache gives the cache of
	// its trips seen from a data version (nil: none). Build then fails
	// when the engine does: no crow-fly figure stands in for road times.
	Routing   *analysis.Routing
	TripCache func(version int64) analysis.TripCache
	// Demand spreads the communes' population over demand points: the
	// gridded population of the snapshot's data version (see Demand), or
	// the uniform grid when nil.
	Demand analysis.DemandSource
	// Store, when set, keeps the indicators at the default parameters of
	// a data version (crow-fly only): a server's first generation
	// (BackgroundWarm) reads them instead of computing them when they were
	// stored for its data version by the same program, and publishes
	// sooner; Generation.SaveIndicators stores those it computed.
	Store DerivedStore
}

// DefaultConfig returns the defaults documented in README.
func DefaultConfig() Config { return Config{Tiles: tileset.DefaultConfig(), PrefillTiles: 1024} }

// Generation is everything derived from one data version. Its content is
// fixed by Build (for a first generation built with BackgroundWarm, parts
// are completed in the background or at their first use, see the package
// doc); its methods are safe for concurrent use.
type Generation struct {
	snap  *index.Snapshot
	model *analysis.Model
	tiles *tileset.Set
	// outlines are those of the EPCI and départements (nil without tiles).
	outlines *outlines
	took     time.Duration
	// demand is Config.Demand: nil for the uniform grid.
	demand analysis.DemandSource
	// regions, top and depRegion (the region of each département) are
	// derived from the communes once, for /api/config and the portraits.
	regions   []Region
	top       Territory
	depRegion map[string]string

	// warm is closed once every zoom of the tile set is generalised.
	warm     chan struct{}
	warmTook time.Duration

	// kept and encoded count the tiles Rebuild carried over unchanged from
	// the previous generation's cache and those it encoded again.
	kept, encoded int

	// The default indicators and the store they were read from or are to
	// be saved to (Config.Store): under key, read (stored) or computed
	// (saved once by SaveIndicators); storeErr is what made them be
	// computed although stored ones were looked for.
	defaults *analysis.Result
	store    DerivedStore
	key      []byte
	stored   bool
	storeErr error
	saved    atomic.Bool
}

// outlines are the polygons of the EPCI and départements, dissolved from
// the tile set's topology (Generation.Outline) on first use (get). A first
// generation built with BackgroundWarm is published before they are: they
// are dissolved once its zooms are generalised, or by the first Outline.
type outlines struct {
	once       sync.Once
	terr       *tileset.Territories
	epci, deps map[string]orb.MultiPolygon
}

// dissolveOutlines returns the outlines of terr, dissolved now.
func dissolveOutlines(terr *tileset.Territories) *outlines {
	return (&outlines{terr: terr}).get()
}

// get returns o with its outlines dissolved, by the first caller (the
// others wait for it); nil for nil.
func (o *outlines) get() *outlines {
	if o != nil {
		o.once.Do(func() { o.epci, o.deps = o.terr.Outlines() })
	}
	return o
}

// Build derives a Generation from a snapshot: the analysis model and its
// indicators at the default parameters, then the tile set with those
// indicators as attributes, every zoom generalised, and the outlines of the
// EPCI and départements from the tile set's topology. It stops early with
// ctx's error when ctx is done.
func Build(ctx context.Context, snap *index.Snapshot, cfg Config) (*Generation, error) {
	return Rebuild(ctx, nil, snap, cfg)
}

// Rebuild is Build for the generation that replaces prev (nil for the
// first). What depends only on the territories (the topology, its
// generalisation per zoom, the outlines) is shared with prev when the
// territories did not change, as when an import changed only places. The
// tile cache is filled, before the generation is published, with the
// tiles of prev's cache: those of layers the change did not touch as they
// are, and the cfg.PrefillTiles most recently served of the others encoded
// again, so that the requests after the swap do not all miss the cache at
// once.
func Rebuild(ctx context.Context, prev *Generation, snap *index.Snapshot, cfg Config) (*Generation, error) {
	return RebuildPrepared(ctx, prev, snap, cfg, nil)
}

// Prepared is the work on a dataset's territories that Prepare starts
// before its snapshot is built.
type Prepared struct {
	done chan struct{}
	topo *tileset.Topology

	// With PrepareStored: the store, the topology's key in it, whether the
	// topology was read from it, the error that made it be built instead,
	// how long reading or building took, and whether Save wrote it.
	store  DerivedStore
	key    []byte
	stored bool
	err    error
	took   time.Duration
	saved  atomic.Bool
}

// Prepare starts building, on a goroutine of its own, the topology of the
// communes a snapshot is about to be made of (index.New keeps their
// slice), so that it overlaps the indexing of the snapshot: a server's
// first generation needs it and nothing else can use the second core
// meanwhile. RebuildPrepared takes it.
func Prepare(communes []cartonum.Commune) *Prepared {
	p := &Prepared{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		start := time.Now()
		p.topo = tileset.NewTopology(communes)
		p.took = time.Since(start)
	}()
	return p
}

// topology waits for the topology; nil for a nil Prepared.
func (p *Prepared) topology() *tileset.Topology {
	if p == nil {
		return nil
	}
	<-p.done
	return p.topo
}

// RebuildPrepared is Rebuild with the work Prepare started on the
// snapshot's communes (nil: none).
func RebuildPrepared(ctx context.Context, prev *Generation, snap *index.Snapshot, cfg Config, pre *Prepared) (*Generation, error) {
	start := time.Now()
	var prevTiles *tileset.Set
	if prev != nil {
		prevTiles = prev.tiles
	}
	// The territories' side of the tiles (topology, generalisation of every
	// zoom, outlines) does not depend on the indicators: it is built on its
	// own goroutine while the model and its indicators are computed.
	type territories struct {
		terr *tileset.Territories
		out  *outlines
	}
	background := cfg.BackgroundWarm && prev == nil
	// The snapshot's search indexes: built beside the rest before the
	// generation is published, after it for a first one published early.
	if !background {
		go snap.Complete()
	}
	var terrDone chan territories
	if !cfg.NoTiles {
		terrDone = make(chan territories, 1)
		go func() {
			var t territories
			t.terr = tileset.PrepareTerritoriesFrom(prevTiles, snap, pre.topology())
			switch {
			case prevTiles != nil && t.terr.Shares(prevTiles):
				t.out = prev.outlines
			case background:
				// Dissolved once the generation is published: only
				// Outline needs them.
				t.out = &outlines{terr: t.terr}
			default:
				t.terr.Warm()
				t.out = dissolveOutlines(t.terr)
			}
			terrDone <- t
		}()
	}
	g, defaults, err := buildModel(ctx, snap, cfg, background)
	if err != nil {
		if terrDone != nil {
			<-terrDone
		}
		return nil, err
	}
	if terrDone != nil {
		t := <-terrDone
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g.tiles = tileset.NewWith(prevTiles, t.terr, snap, cfg.Tiles, tileset.Attributes{
			Communes: tileset.IndicatorAttributes(defaults.Communes),
			EPCI:     tileset.IndicatorAttributes(defaults.EPCI),
		})
		g.outlines = t.out
		g.warm = make(chan struct{})
		if background {
			// Built, but for the zooms: measured now, as a small set's
			// zooms can be generalised before this function returns.
			g.took = time.Since(start)
			go func() {
				g.tiles.Warm()
				g.warmTook = time.Since(start)
				close(g.warm)
				if ctx.Err() != nil {
					return // stopped: what is left is built at first use
				}
				// Then what requests would otherwise build on first use
				// (a search, a list of places, Outline): not beside the
				// zooms that a visitor's first tiles wait for.
				snap.Complete()
				t.out.get()
				if g.stored {
					// The per-point work of the default parameters,
					// which stored indicators leave out (Detail,
					// Siting, scenarios).
					g.model.Warm(ctx, analysis.DefaultParams())
				}
			}()
		} else {
			g.tiles.Warm()
			close(g.warm)
		}
		if prevTiles != nil && cfg.PrefillTiles > 0 {
			g.kept, g.encoded = g.tiles.Prefill(prevTiles, cfg.PrefillTiles, func() bool { return ctx.Err() != nil })
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !background {
		snap.Complete() // waits for the goroutine above
	}
	if !background || cfg.NoTiles {
		g.took = time.Since(start)
	}
	if !background {
		g.warmTook = g.took
	}
	return g, nil
}

// buildModel makes the analysis side of a Generation: the model of snap
// and its indicators at the default parameters.
func buildModel(ctx context.Context, snap *index.Snapshot, cfg Config, first bool) (*Generation, *analysis.Result, error) {
	g := &Generation{snap: snap, model: newModel(snap, cfg.Demand), demand: cfg.Demand}
	g.regions, g.depRegion = regionsOf(g.model.Communes())
	g.top = topOf(g.model)
	if cfg.Routing != nil {
		rt := *cfg.Routing
		if cfg.TripCache != nil {
			rt.Cache = cfg.TripCache(snap.Version())
		}
		g.model.UseTravel(&rt)
	}
	if cfg.Store != nil && cfg.Routing == nil {
		g.store, g.key = cfg.Store, indicatorsKey(snap.Version(), cfg.Demand != nil)
	}
	if first && g.key != nil {
		g.defaults, g.storeErr = g.readIndicators(ctx)
		g.stored = g.defaults != nil
	}
	if !g.stored {
		var err error
		g.defaults, err = g.model.ComputeContext(ctx, analysis.DefaultParams())
		if err != nil {
			return nil, nil, fmt.Errorf("indicateurs de la version %d : %w", snap.Version(), err)
		}
	}
	return g, g.defaults, nil
}

// NewModel builds the analysis model of a snapshot: its communes with
// their population, EPCI and département, and every place as a site
// (places of neighbouring regions as supply only), the population spread
// on the uniform grid.
func NewModel(snap *index.Snapshot) *analysis.Model { return newModel(snap, nil) }

// newModel is NewModel with a demand source (the uniform grid when nil).
func newModel(snap *index.Snapshot, demand analysis.DemandSource) *analysis.Model {
	communes := snap.Communes()
	ac := make([]analysis.Commune, len(communes))
	for i := range communes {
		c := &communes[i]
		ac[i] = analysis.Commune{Code: c.Code, Name: c.Nom, EPCI: snap.EPCIOf(c.Code),
			Departement: c.CodeDepartement, Population: float64(c.Population), Geometry: c.Geometry,
			Region: c.CodeRegion, RegionName: territory.RegionName(c.CodeRegion), Fragility: c.Fragility}
		ac[i].Interior = snap.Interior(i)
		if e, ok := snap.EPCI(ac[i].EPCI); ok {
			ac[i].EPCIName = e.Nom
		}
		if d, ok := snap.Departement(c.CodeDepartement); ok {
			ac[i].DepartementName = d.Nom
		}
	}
	places := snap.Places()
	sites := make([]analysis.Site, 0, len(places))
	for i := range places {
		p := &places[i]
		sites = append(sites, analysis.Site{ID: p.ID, Point: orb.Point{p.Longitude, p.Latitude},
			Services: p.OfferedServices(), Dispositifs: p.Dispositifs, SupplyOnly: p.Provenance.OutsideRegion})
	}
	m := analysis.NewModel(ac, sites, demand)
	if coversAllRegions(ac) {
		m.NameNational(analysis.NationalNameAll)
	}
	return m
}

// coversAllRegions reports whether the communes belong to every current
// region: their total is France.
func coversAllRegions(communes []analysis.Commune) bool {
	seen := map[string]bool{}
	for i := range communes {
		seen[communes[i].Region] = true
	}
	for _, code := range territory.RegionCodes() {
		if !seen[code] {
			return false
		}
	}
	return true
}

// Levels of the territories of a generation, from the communes up: a
// region level and the national total when the communes span several
// regions.
func (g *Generation) Levels() []string {
	levels := []string{analysis.LevelCommune, analysis.LevelEPCI, analysis.LevelDepartement, analysis.LevelRegion}
	if g.model.National() {
		levels = append(levels, analysis.LevelNational)
	}
	return levels
}

// Top is the level, code and name of the whole loaded territory: the
// region, or the national total when several are loaded.
func (g *Generation) Top() Territory { return g.top }

func topOf(m *analysis.Model) Territory {
	in := Territory{Level: analysis.LevelRegion}
	if m.National() {
		in.Level, in.Code = analysis.LevelNational, analysis.NationalCode
		in.Name = analysis.NationalNameSome
		if coversAllRegions(m.Communes()) {
			in.Name = analysis.NationalNameAll
		}
		return in
	}
	if cs := m.Communes(); len(cs) > 0 {
		in.Code, in.Name = cs[0].Region, cs[0].RegionName
	}
	return in
}

// Regions are the regions of the communes, in code order, each with the
// départements of its communes (what a map of regions colours). They must
// not be modified.
func (g *Generation) Regions() []Region { return g.regions }

// regionsOf lists the regions of the communes with their départements,
// and the region of each département (that of its first commune).
func regionsOf(communes []analysis.Commune) ([]Region, map[string]string) {
	var out []Region
	at := map[string]int{}
	deps := map[string]bool{}
	depRegion := map[string]string{}
	for _, c := range communes {
		if _, ok := depRegion[c.Departement]; !ok && c.Departement != "" {
			depRegion[c.Departement] = c.Region
		}
		if c.Region == "" {
			continue
		}
		i, ok := at[c.Region]
		if !ok {
			i = len(out)
			at[c.Region] = i
			out = append(out, Region{Code: c.Region, Name: c.RegionName, Departements: []string{}})
		}
		if c.Departement != "" && !deps[c.Region+"/"+c.Departement] {
			deps[c.Region+"/"+c.Departement] = true
			out[i].Departements = append(out[i].Departements, c.Departement)
		}
	}
	for i := range out {
		slices.Sort(out[i].Departements)
	}
	slices.SortFunc(out, func(a, b Region) int { return cmp.Compare(a.Code, b.Code) })
	return out, depRegion
}

// Territory names a territory of a level.
type Territory struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
}

// Region is a region's code, official name and départements.
type Region struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Departements []string `json:"departements"`
}

// Snapshot is the index snapshot of the generation.
func (g *Generation) Snapshot() *index.Snapshot { return g.snap }

// Version is the data version the generation was built from.
func (g *Generation) Version() int64 { return g.snap.Version() }

// Model is the analysis model of the generation.
func (g *Generation) Model() *analysis.Model { return g.model }

// Tiles is the tile set of the generation, every zoom generalised; nil
// when built with NoTiles.
func (g *Generation) Tiles() *tileset.Set { return g.tiles }

// Prefilled returns how many tiles of the previous generation's cache
// Rebuild carried over as they were (their layers unchanged) and how many
// it encoded again (their layers changed).
func (g *Generation) Prefilled() (kept, encoded int) { return g.kept, g.encoded }

// BuildTime is how long Build took.
func (g *Generation) BuildTime() time.Duration { return g.took }

// TilesWarm returns a channel closed once every zoom of the tile set is
// generalised (see Config.BackgroundWarm); nil without tiles.
func (g *Generation) TilesWarm() <-chan struct{} { return g.warm }

// WarmTime is the time from the start of the build until every zoom of the
// tile set was generalised; it is known once TilesWarm is closed.
func (g *Generation) WarmTime() time.Duration {
	if g.warm != nil {
		<-g.warm
	}
	return g.warmTook
}

// Compute returns the indicators of a request, from the model's cache of
// recent requests (Build computed the default parameters), stopping early
// when ctx is done. A demand profile without data is refused (CheckProfile).
func (g *Generation) Compute(ctx context.Context, p analysis.Params) (*analysis.Result, error) {
	if err := g.CheckProfile(p); err != nil {
		return nil, err
	}
	return g.model.ComputeContext(ctx, p)
}

// Rows returns the named indicators of one level of a result: commune
// (also for ""), epci, departement, region (one row per region) or
// national (the total, only when several regions are loaded). An unknown
// level is an error of kind cartonum.KindInvalid.
func (g *Generation) Rows(res *analysis.Result, level string) ([]analysis.Indicators, error) {
	var rows []analysis.Indicators
	switch level {
	case "", analysis.LevelCommune:
		rows = res.Communes
	case analysis.LevelEPCI:
		rows = res.EPCI
	case analysis.LevelDepartement:
		rows = res.Departements
	case analysis.LevelRegion:
		rows = res.Regions
		if len(rows) == 0 { // a result without communes
			rows = []analysis.Indicators{res.Region}
		}
	case analysis.LevelNational:
		if !g.model.National() {
			return nil, cartonum.Errorf(cartonum.KindInvalid, "level « national » indisponible : une seule région chargée ; niveaux possibles : commune, epci, departement ou region")
		}
		rows = []analysis.Indicators{res.Region}
	default:
		if g.model.National() {
			return nil, cartonum.Errorf(cartonum.KindInvalid, "level « %s » invalide : commune, epci, departement, region ou national", level)
		}
		return nil, cartonum.Errorf(cartonum.KindInvalid, "level « %s » invalide : commune, epci, departement ou region", level)
	}
	return rows, nil
}

// Outline returns the polygon of a territory of a level, nil when unknown
// (EPCI, départements and region need the tile set's topology).
func (g *Generation) Outline(level, code string) orb.Geometry {
	switch level {
	case analysis.LevelCommune:
		if c, ok := g.snap.Commune(code); ok {
			return c.Geometry
		}
	case analysis.LevelEPCI:
		if o := g.outlines.get(); o != nil {
			if mp, ok := o.epci[code]; ok {
				return mp
			}
		}
	case analysis.LevelDepartement:
		if o := g.outlines.get(); o != nil {
			if mp, ok := o.deps[code]; ok {
				return mp
			}
		}
	case analysis.LevelRegion, analysis.LevelNational:
		o := g.outlines.get()
		if o == nil || len(o.deps) == 0 {
			return nil
		}
		// A region: its départements (that of their first commune).
		one := level == analysis.LevelRegion && g.model.National()
		var all orb.MultiPolygon
		for _, dep := range slices.Sorted(maps.Keys(o.deps)) {
			if !one || g.depRegion[dep] == code {
				all = append(all, o.deps[dep]...)
			}
		}
		if len(all) == 0 {
			return nil
		}
		return all
	}
	return nil
}

// RegionOf returns the region of a commune, an EPCI (that of its first
// member) or a département, "" when unknown.
func (g *Generation) RegionOf(level, code string) string {
	dep := code
	if level != analysis.LevelDepartement {
		dep = g.DepartementOf(level, code)
	}
	return g.depRegion[dep]
}

// DepartementOf returns the département of a commune or an EPCI (that of
// its first member), "" when unknown.
func (g *Generation) DepartementOf(level, code string) string {
	switch level {
	case analysis.LevelCommune:
		if c, ok := g.snap.Commune(code); ok {
			return c.CodeDepartement
		}
	case analysis.LevelEPCI:
		if e, ok := g.snap.EPCI(code); ok && len(e.Membres) > 0 {
			if c, ok := g.snap.Commune(e.Membres[0]); ok {
				return c.CodeDepartement
			}
		}
	}
	return ""
}

// Live holds the current Generation, published with one atomic swap:
// readers load it without a lock and keep the one they loaded for the
// whole of their work.
type Live struct {
	p atomic.Pointer[Generation]
}

// NewLive returns a Live publishing g.
func NewLive(g *Generation) *Live {
	l := &Live{}
	l.p.Store(g)
	return l
}

// Load returns the current Generation.
func (l *Live) Load() *Generation { return l.p.Load() }

// Swap publishes g and returns the Generation it replaces.
func (l *Live) Swap(g *Generation) *Generation { return l.p.Swap(g) }

// Current returns the snapshot of the current Generation, for readers that
// need only the index.
func (l *Live) Current() *index.Snapshot { return l.p.Load().snap }
