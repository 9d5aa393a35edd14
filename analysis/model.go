package analysis

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Model holds the demand points of a set of communes and a spatial index of
// sites, and answers requests about them. It is safe for concurrent use. It
// keeps the per-point results of its last few requests, which Scenario,
// Detail, Siting and Points reuse.
type Model struct {
	communes []Commune
	region   string // code of the region (Commune.Region) when there is one
	regName  string // its name (Commune.RegionName)
	// national names the total when the communes span several regions.
	national string
	points   []DemandPoint
	pop      []float64 // Population of each point: the default demand weights
	pvec     []vec3
	cstart   []int32 // commune c owns points [cstart[c], cstart[c+1])
	anchors  []orb.Point
	ptree    *kdtree
	loc      *locator

	sites    []Site
	svec     []vec3
	scommune []int32 // commune of each site, -1 if none

	epci, deps, regions []group
	cEPCI               []int32 // group of each commune, -1 if none
	cDep                []int32

	// travel is the Travel of requests that set none (UseTravel).
	travel Travel

	mu    sync.Mutex
	sets  map[string]*siteSet
	cache []*cacheEntry
	// seeded are the results Seed gave, by request key.
	seeded map[string]*Result
	mats   []*matEntry // routed: matrices of plausible pairs, most recent first
}

// group is an EPCI or a département: a code and its communes.
type group struct {
	code     string
	name     string
	communes []int32
}

// siteSet is the sites that match one filter, with their k-d tree.
type siteSet struct {
	ids  []int32 // model site indices, ascending
	tree *kdtree // over the sites, indexed by position in ids
}

type cacheEntry struct {
	key    string
	travel Travel
	st     *state
}

const cacheSize = 4

// NewModel spreads the population of the communes over demand points with
// demand (Grid{} when nil) and indexes the demand points and the sites.
// Communes are ordered by code, sites by ID; sites without valid coordinates
// are left out.
func NewModel(communes []Commune, sites []Site, demand DemandSource) *Model {
	if demand == nil {
		demand = Grid{}
	}
	m := &Model{sets: map[string]*siteSet{}, national: NationalNameSome}
	m.communes = slices.Clone(communes)
	slices.SortStableFunc(m.communes, func(a, b Commune) int { return cmp.Compare(a.Code, b.Code) })

	all := demand.Demand(m.communes)
	pts := all[:0] // filtered in place: the slice is the model's
	for _, d := range all {
		if d.Commune >= 0 && d.Commune < len(m.communes) && validPoint(d.Point) &&
			!math.IsNaN(d.Population) && !math.IsInf(d.Population, 0) {
			pts = append(pts, d)
		}
	}
	byCommune := func(a, b DemandPoint) int { return cmp.Compare(a.Commune, b.Commune) }
	if !slices.IsSortedFunc(pts, byCommune) { // Grid's are
		slices.SortStableFunc(pts, byCommune)
	}
	m.points = pts
	m.pop = make([]float64, len(pts))
	for i := range pts {
		m.pop[i] = pts[i].Population
	}
	m.cstart = make([]int32, len(m.communes)+1)
	for _, d := range pts {
		m.cstart[d.Commune+1]++
	}
	for c := range m.communes {
		m.cstart[c+1] += m.cstart[c]
	}
	m.pvec = make([]vec3, len(pts))
	parallelFor(len(pts), 4096, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m.pvec[i] = toVec(pts[i].Point)
		}
	})

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m.ptree = newKDTree(m.pvec)
	}()
	m.anchors = make([]orb.Point, len(m.communes))
	parallelFor(len(m.communes), 256, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			m.anchors[c] = m.communes[c].interior()
		}
	})
	m.loc = newLocator(m.communes)
	m.epci, m.cEPCI = groupBy(m.communes, func(c *Commune) (string, string) { return c.EPCI, c.EPCIName })
	m.deps, m.cDep = groupBy(m.communes, func(c *Commune) (string, string) { return c.Departement, c.DepartementName })
	m.regions, _ = groupBy(m.communes, func(c *Commune) (string, string) { return c.Region, c.RegionName })
	for c := range m.communes {
		if m.region == "" {
			m.region = m.communes[c].Region
		}
	}
	if len(m.regions) == 1 {
		m.regName = m.regions[0].name
	}

	for _, s := range sites {
		if validPoint(s.Point) {
			m.sites = append(m.sites, s)
		}
	}
	slices.SortStableFunc(m.sites, func(a, b Site) int { return cmp.Compare(a.ID, b.ID) })
	m.svec = make([]vec3, len(m.sites))
	m.scommune = make([]int32, len(m.sites))
	parallelFor(len(m.sites), 256, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m.svec[i] = toVec(m.sites[i].Point)
			m.scommune[i] = -1
			if !m.sites[i].SupplyOnly {
				m.scommune[i] = int32(m.loc.locate(m.sites[i].Point, MaxSnapMeters))
			}
		}
	})
	ids := make([]int32, len(m.sites))
	for i := range ids {
		ids[i] = int32(i)
	}
	m.sets[DefaultParams().normalize().filterKey()] = m.newSiteSet(ids)
	wg.Wait()
	return m
}

func validPoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// groupBy groups the communes by a code, groups in code order, named by
// the first non-empty name; communes with an empty code belong to no group.
func groupBy(communes []Commune, code func(*Commune) (code, name string)) ([]group, []int32) {
	at := map[string]int{}
	var groups []group
	for c := range communes {
		k, name := code(&communes[c])
		if k == "" {
			continue
		}
		g, ok := at[k]
		if !ok {
			g = len(groups)
			at[k] = g
			groups = append(groups, group{code: k})
		}
		if groups[g].name == "" {
			groups[g].name = name
		}
	}
	slices.SortFunc(groups, func(a, b group) int { return cmp.Compare(a.code, b.code) })
	for g := range groups {
		at[groups[g].code] = g
	}
	of := make([]int32, len(communes))
	for c := range communes {
		k, _ := code(&communes[c])
		g, ok := at[k]
		if !ok {
			of[c] = -1
			continue
		}
		of[c] = int32(g)
		groups[g].communes = append(groups[g].communes, int32(c))
	}
	return groups, of
}

func (m *Model) newSiteSet(ids []int32) *siteSet {
	v := make([]vec3, len(ids))
	for k, i := range ids {
		v[k] = m.svec[i]
	}
	return &siteSet{ids: ids, tree: newKDTree(v)}
}

// siteSet returns the sites that match a normalized request.
func (m *Model) siteSet(p Params) *siteSet {
	key := p.filterKey()
	m.mu.Lock()
	s, ok := m.sets[key]
	m.mu.Unlock()
	if ok {
		return s
	}
	var ids []int32
	for i := range m.sites {
		if p.matches(&m.sites[i]) {
			ids = append(ids, int32(i))
		}
	}
	s = m.newSiteSet(ids)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.sets) >= 64 { // bound the memory held for one-off filters
		for k := range m.sets {
			if k != DefaultParams().normalize().filterKey() {
				delete(m.sets, k)
			}
		}
	}
	m.sets[key] = s
	return s
}

// National reports whether the communes span several regions: the total
// of a Result is then national (LevelNational) and Result.Regions has a
// row per region.
func (m *Model) National() bool { return len(m.regions) > 1 }

// NameNational sets the name of the national total (NationalNameSome by
// default; NationalNameAll when every region is loaded). Call it once,
// before the model is shared.
func (m *Model) NameNational(name string) { m.national = name }

// total is the level, code and name of the whole loaded territory.
func (m *Model) total() (level, code, name string) {
	if m.National() {
		return LevelNational, NationalCode, m.national
	}
	name = m.regName
	if name == "" {
		name = "Région"
	}
	return LevelRegion, m.region, name
}

// UseTravel sets the Travel of the requests that set none in
// Params.Travel (crow-fly when t is nil), e.g. a *Routing for a routing
// engine. Call it once, before the model is shared.
func (m *Model) UseTravel(t Travel) { m.travel = t }

// Communes returns the model's communes, ordered by code; DemandPoint.Commune
// indexes this slice. It must not be modified.
func (m *Model) Communes() []Commune { return m.communes }

// DemandPoints returns the demand points, grouped by commune. They must not
// be modified.
func (m *Model) DemandPoints() []DemandPoint { return m.points }

// Sites returns the model's sites, ordered by ID. They must not be modified.
func (m *Model) Sites() []Site { return m.sites }

// Compute returns the indicators of every commune, EPCI and département and
// of the whole region for a request. The model caches the per-point work of
// its last four requests, which Scenario, Detail, Siting and Points reuse;
// results are shared between callers and must not be modified.
func (m *Model) Compute(p Params) *Result {
	if res := m.seededResult(p); res != nil {
		return res
	}
	st, _ := m.stateContext(context.Background(), p)
	return st.res
}

// ComputeContext is Compute stopping early, with ctx's error, when ctx is
// done: a request that times out or is cancelled frees its cores. A
// computation stopped early is not cached.
func (m *Model) ComputeContext(ctx context.Context, p Params) (*Result, error) {
	if res := m.seededResult(p); res != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return res, nil
	}
	st, err := m.stateContext(ctx, p)
	if err != nil {
		return nil, err
	}
	return st.res, nil
}

// state returns the cached state of a request, computing it on a miss.
func (m *Model) state(p Params) *state {
	st, _ := m.stateContext(context.Background(), p)
	return st
}

// Seed gives the model the result of a crow-fly request p computed
// earlier on the same communes, sites and demand by the same program (a
// result kept with the data it was computed from): Compute and
// ComputeContext return it without computing. What needs the per-point
// work too (Scenario, Detail, Siting, Points) computes it on first use, or
// Warm does beforehand. Seed reports false, and does nothing, for a
// request routed by a Travel (the model's or p's): an engine's answers are
// not assumed to stay the same, and for a result that is not one of this
// model (its rows are not the model's communes, EPCI, départements and
// regions in order, its total not the model's, or its parameters not p).
func (m *Model) Seed(p Params, res *Result) bool {
	if p.Travel == nil {
		p.Travel = m.travel
	}
	if p.Travel != nil || res == nil {
		return false
	}
	p = p.normalize()
	key, _, ok := p.cacheKey()
	if !ok || !m.fits(p, key, res) {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.seeded == nil {
		m.seeded = map[string]*Result{}
	}
	m.seeded[key] = res
	return true
}

// fits reports whether res has the shape of a result of this model for the
// normalized request p of cache key key.
func (m *Model) fits(p Params, key string, res *Result) bool {
	if k, _, ok := res.Params.cacheKey(); !ok || k != key || res.Params.Travel != nil {
		return false
	}
	if len(res.Communes) != len(m.communes) {
		return false
	}
	for i := range m.communes {
		if in := &res.Communes[i]; in.Level != LevelCommune || in.Code != m.communes[i].Code {
			return false
		}
	}
	same := func(rows []Indicators, level string, gs []group) bool {
		if len(rows) != len(gs) {
			return false
		}
		for i := range gs {
			if rows[i].Level != level || rows[i].Code != gs[i].code {
				return false
			}
		}
		return true
	}
	level, code, _ := m.total()
	regions := same(res.Regions, LevelRegion, m.regions)
	if !m.National() { // the one row of Regions is the total
		regions = len(res.Regions) == 1 && res.Regions[0].Level == level && res.Regions[0].Code == code
	}
	return regions && same(res.EPCI, LevelEPCI, m.epci) && same(res.Departements, LevelDepartement, m.deps) &&
		res.Region.Level == level && res.Region.Code == code
}

// seededResult returns the result Seed gave for p, nil if none.
func (m *Model) seededResult(p Params) *Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.seeded) == 0 {
		return nil
	}
	if p.Travel == nil {
		p.Travel = m.travel
	}
	if p.Travel != nil {
		return nil
	}
	key, _, ok := p.normalize().cacheKey()
	if !ok {
		return nil
	}
	return m.seeded[key]
}

// Warm computes and caches the per-point work of p (what Compute,
// Scenario, Detail, Siting and Points read) unless it is cached, stopping
// early with ctx's error.
func (m *Model) Warm(ctx context.Context, p Params) error {
	_, err := m.stateContext(ctx, p)
	return err
}

// stateContext is state stopping early when ctx is done.
func (m *Model) stateContext(ctx context.Context, p Params) (*state, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.Travel == nil {
		p.Travel = m.travel
	}
	p = p.normalize()
	key, travel, ok := p.cacheKey()
	if ok {
		m.mu.Lock()
		for k, e := range m.cache {
			if e.key == key && e.travel == travel {
				// move to front
				copy(m.cache[1:k+1], m.cache[:k])
				m.cache[0] = e
				m.mu.Unlock()
				return e.st, nil
			}
		}
		m.mu.Unlock()
	}
	st, err := m.runContext(ctx, p)
	if err != nil {
		return nil, err
	}
	if ok {
		m.mu.Lock()
		m.cache = slices.DeleteFunc(m.cache, func(e *cacheEntry) bool { return e.key == key && e.travel == travel })
		m.cache = append([]*cacheEntry{{key: key, travel: travel, st: st}}, m.cache...)
		if len(m.cache) > cacheSize {
			m.cache = m.cache[:cacheSize]
		}
		m.mu.Unlock()
	}
	return st, nil
}

// run computes a normalized request without the cache.
func (m *Model) run(p Params) *state {
	st, _ := m.runContext(context.Background(), p)
	return st
}

// runContext is run stopping early when ctx is done.
func (m *Model) runContext(ctx context.Context, p Params) (*state, error) {
	e := m.newEngine(p)
	st, err := e.solve(ctx)
	if err != nil {
		return nil, err
	}
	m.aggregate(st, nil, nil)
	return st, nil
}

// parallelFor runs fn over [0, n) in chunks of grain on GOMAXPROCS
// goroutines.
func parallelFor(n, grain int, fn func(lo, hi int)) {
	_ = parallelForContext(context.Background(), n, grain, fn)
}

// parallelForContext is parallelFor that stops taking chunks once ctx is
// done, and then returns ctx's error.
func parallelForContext(ctx context.Context, n, grain int, fn func(lo, hi int)) error {
	w := runtime.GOMAXPROCS(0)
	if w <= 1 || n <= grain {
		for lo := 0; lo < n; lo += grain {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(lo, min(lo+grain, n))
		}
		return ctx.Err()
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(w, (n+grain-1)/grain) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(grain))) - grain
				if lo >= n || ctx.Err() != nil {
					return
				}
				fn(lo, min(lo+grain, n))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
