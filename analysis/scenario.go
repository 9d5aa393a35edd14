package analysis

import (
	"context"
	"math"
	"slices"
)

// Scenario is a what-if: hypothetical sites added (they go through the
// request's filter like the others, so give them the services and
// dispositifs they would offer) and existing sites removed by ID.
type Scenario struct {
	Add    []Site   `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`
}

// Delta is the change of a territory's indicators, after minus before.
type Delta struct {
	Sites            int     `json:"sites"`
	SitesPer10k      float64 `json:"sites_per_10k"`
	MeanMinutes      float64 `json:"mean_minutes"`
	P90Minutes       float64 `json:"p90_minutes"`
	MeanKm           float64 `json:"mean_km"`
	P90Km            float64 `json:"p90_km"`
	BeyondPopulation float64 `json:"beyond_population"`
	BeyondShare      float64 `json:"beyond_share"`
	Access           float64 `json:"access"`
}

// CommuneDelta is the change of one commune.
type CommuneDelta struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Delta
}

// ScenarioResult compares a scenario with the current sites: both results,
// the communes whose indicators changed, in code order, and the change of
// the whole region.
type ScenarioResult struct {
	Before *Result        `json:"before"`
	After  *Result        `json:"after"`
	Deltas []CommuneDelta `json:"deltas"`
	Total  Delta          `json:"total"`
	// Points are the demand points whose trip changed, in index order
	// (DemandPoints), with their new outcome: what redraws the white zones.
	Points []PointChange `json:"-"`
}

// PointChange is the new trip of one demand point in a scenario.
type PointChange struct {
	Index   int
	Reached bool
	Minutes float64
}

func diff(after, before *Indicators) Delta {
	return Delta{
		Sites:            after.Sites - before.Sites,
		SitesPer10k:      after.SitesPer10k - before.SitesPer10k,
		MeanMinutes:      after.MeanMinutes - before.MeanMinutes,
		P90Minutes:       after.P90Minutes - before.P90Minutes,
		MeanKm:           after.MeanKm - before.MeanKm,
		P90Km:            after.P90Km - before.P90Km,
		BeyondPopulation: after.BeyondPopulation - before.BeyondPopulation,
		BeyondShare:      after.BeyondShare - before.BeyondShare,
		Access:           after.Access - before.Access,
	}
}

// Scenario evaluates a what-if against the request's current result,
// recomputing only the demand points a changed site can affect (see the
// package documentation).
func (m *Model) Scenario(p Params, s Scenario) *ScenarioResult {
	res, _ := m.ScenarioContext(context.Background(), p, s)
	return res
}

// ScenarioContext is Scenario stopping early, with ctx's error, when ctx
// is done.
func (m *Model) ScenarioContext(ctx context.Context, p Params, s Scenario) (*ScenarioResult, error) {
	base, err := m.stateContext(ctx, p)
	if err != nil {
		return nil, err
	}
	e := base.eng
	removed, gone, add := m.scenarioSites(base, s)
	if len(gone) == 0 && len(add.sites) == 0 {
		return &ScenarioResult{Before: base.res, After: base.res}, nil
	}
	if !e.met.crow {
		after, err := m.scenarioRouted(ctx, base, removed, gone, add, false)
		if err != nil {
			return nil, err
		}
		return m.scenarioResult(base, after, nil, gone, add), nil
	}

	// Points a change can affect: within the bands of a changed site, or
	// whose nearest site may change.
	bandR2 := e.searchBound2(e.reachMin)
	nearR2 := e.searchBound2(base.maxNearMin)
	if base.unreached > 0 {
		nearR2 = 4
	}
	r2 := math.Max(bandR2, nearR2)
	mark := make([]bool, len(m.points))
	var affected []int32
	touch := func(i int32) {
		if !mark[i] {
			mark[i] = true
			affected = append(affected, i)
		}
	}
	for _, j := range gone {
		m.ptree.within(m.svec[e.set.ids[j]], r2, func(i int32, d2 float64) {
			if d2 <= bandR2 || base.near[i] == j {
				touch(i)
			}
		})
	}
	for k := range add.sites {
		m.ptree.within(add.vec[k], r2, func(i int32, d2 float64) {
			if d2 <= bandR2 {
				touch(i)
				return
			}
			if _, t := e.met.trip(d2); t <= base.minutes[i] {
				touch(i)
			}
		})
	}
	slices.Sort(affected)

	after := &state{
		eng:       e,
		near:      slices.Clone(base.near),
		meters:    slices.Clone(base.meters),
		minutes:   slices.Clone(base.minutes),
		access:    slices.Clone(base.access),
		ratio:     base.ratio,
		siteCount: slices.Clone(base.siteCount),
	}
	err = parallelForContext(ctx, len(affected), 256, func(lo, hi int) {
		for _, i := range affected[lo:hi] {
			after.near[i], after.meters[i], after.minutes[i], after.access[i] = e.evalPoint(int(i), base.ratio, removed, add)
		}
	})
	if err != nil {
		return nil, err
	}
	return m.scenarioResult(base, after, affected, gone, add), nil
}

// scenarioRouted evaluates a scenario under a routing: the scenario's
// sparse matrix (only the pairs the base one lacks are asked), then the
// whole E2SFCA over it (a site's catchment changes when a point's
// plausible sites do). With full, every pair is asked again.
func (m *Model) scenarioRouted(ctx context.Context, base *state, removed []bool, gone []int32, add *extra, full bool) (*state, error) {
	e := base.eng
	mx, err := e.scenarioMatrix(ctx, e.mx, removed, gone, add, full)
	if err != nil {
		return nil, err
	}
	n := len(m.points)
	after := &state{
		eng:       e,
		near:      make([]int32, n),
		meters:    make([]float64, n),
		minutes:   make([]float64, n),
		access:    make([]float64, n),
		siteCount: slices.Clone(base.siteCount),
	}
	if err := e.solveRouted(ctx, after, mx, add); err != nil {
		return nil, err
	}
	return after, nil
}

// scenarioResult aggregates a scenario's state whose points in affected
// (every point when nil) may differ from base.
func (m *Model) scenarioResult(base, after *state, affected []int32, gone []int32, add *extra) *ScenarioResult {
	e := base.eng
	if affected == nil {
		affected = make([]int32, len(m.points))
		for i := range affected {
			affected[i] = int32(i)
		}
	}
	dirty := make([]bool, len(m.communes))
	var changed []PointChange
	for _, i := range affected {
		if after.meters[i] != base.meters[i] || after.minutes[i] != base.minutes[i] || after.access[i] != base.access[i] {
			dirty[m.points[i].Commune] = true
		}
		if after.minutes[i] != base.minutes[i] || (after.near[i] < 0) != (base.near[i] < 0) {
			changed = append(changed, PointChange{Index: int(i), Reached: after.near[i] >= 0, Minutes: after.minutes[i]})
		}
	}
	for _, j := range gone {
		if c := m.scommune[e.set.ids[j]]; c >= 0 {
			after.siteCount[c]--
			dirty[c] = true
		}
	}
	for _, c := range add.commun {
		if c >= 0 {
			after.siteCount[c]++
			dirty[c] = true
		}
	}
	m.aggregate(after, base, dirty)

	r := &ScenarioResult{Before: base.res, After: after.res, Points: changed}
	for c := range m.communes {
		if !dirty[c] {
			continue
		}
		if d := diff(&after.res.Communes[c], &base.res.Communes[c]); d != (Delta{}) {
			r.Deltas = append(r.Deltas, CommuneDelta{Code: m.communes[c].Code, Name: m.communes[c].Name, Delta: d})
		}
	}
	r.Total = diff(&after.res.Region, &base.res.Region)
	return r
}

// scenarioSites returns the set positions a scenario removes (as a mask
// and a list) and the sites it adds that match the request, with their
// tree, commune and (crow-fly) E2SFCA ratio.
func (m *Model) scenarioSites(base *state, s Scenario) (removed []bool, gone []int32, add *extra) {
	e := base.eng
	n := len(e.set.ids)

	removed = make([]bool, n)
	if len(s.Remove) > 0 {
		ids := make(map[string]bool, len(s.Remove))
		for _, id := range s.Remove {
			ids[id] = true
		}
		for j, id := range e.set.ids {
			if ids[m.sites[id].ID] {
				removed[j] = true
				gone = append(gone, int32(j))
			}
		}
	}
	add = &extra{base: n}
	for _, site := range s.Add {
		if validPoint(site.Point) && e.p.matches(&site) {
			add.sites = append(add.sites, site)
		}
	}
	if len(gone) == 0 && len(add.sites) == 0 {
		return removed, gone, add
	}
	add.vec = make([]vec3, len(add.sites))
	add.ratio = make([]float64, len(add.sites))
	add.commun = make([]int32, len(add.sites))
	for k := range add.sites {
		add.vec[k] = toVec(add.sites[k].Point)
		if e.met.crow {
			add.ratio[k] = e.ratioAt(add.vec[k], siteWeight(&add.sites[k]))
		}
		add.commun[k] = int32(m.loc.locate(add.sites[k].Point, MaxSnapMeters))
	}
	add.tree = newKDTree(add.vec)
	return removed, gone, add
}
