package analysis

import (
	"context"
	"math"
	"sync"
)

// engine evaluates one normalized request.
type engine struct {
	m     *Model
	p     Params
	met   metric
	set   *siteSet
	w     []float64 // demand weight of each point (demandWeights)
	bands []Band
	// crow-fly: squared-chord bounds of each band
	bandLo2, bandHi2 []float64
	reachMin         float64 // longest trip with a positive weight
	reach2           float64 // squared chord that holds every such trip
	// routed: the matrix of plausible pairs of the site set
	mx *pmatrix
	// crow-fly: w in the order of the point tree's positions (treeW)
	twOnce sync.Once
	tw     []float64
}

func (m *Model) newEngine(p Params) *engine {
	e := &engine{m: m, p: p, met: newMetric(p), set: m.siteSet(p), w: m.demandWeights(p), bands: p.Bands}
	e.reachMin = maxReach(p.Bands)
	if e.met.crow {
		for _, b := range p.Bands {
			e.bandLo2 = append(e.bandLo2, e.met.reach2(b.FromMin))
			e.bandHi2 = append(e.bandHi2, e.met.reach2(b.ToMin))
		}
	}
	e.reach2 = e.met.reach2(e.reachMin)
	return e
}

// weight2 is the crow-fly band weight of a trip of squared chord d2.
func (e *engine) weight2(d2 float64) float64 {
	for k, hi := range e.bandHi2 {
		if d2 <= hi && d2 >= e.bandLo2[k] {
			return e.bands[k].Weight
		}
	}
	return 0
}

// searchBound2 is a squared chord beyond which no trip takes minutes or
// less, padded so that rounding never loses a trip on the bound.
func (e *engine) searchBound2(minutes float64) float64 {
	return math.Min(4, e.met.reach2(minutes)*(1+1e-9)+1e-18)
}

// state is the per-point outcome of a request, kept for scenarios.
type state struct {
	eng     *engine
	near    []int32   // nearest site: position in eng.set.ids (or beyond, for added sites); -1 if none
	meters  []float64 // road meters to it
	minutes []float64 // minutes to it; +Inf when none
	access  []float64 // E2SFCA A_i, sites per inhabitant
	ratio   []float64 // R_j of each site of the set
	// maxNearMin is the largest finite time to a nearest site; unreached
	// counts the points that reach none.
	maxNearMin float64
	unreached  int
	siteCount  []int   // matching sites in each commune
	tallies    []tally // per commune
	res        *Result
}

// extra is the sites a scenario adds, with their own tree; their positions
// follow those of the base set.
type extra struct {
	base   int // len(eng.set.ids)
	sites  []Site
	vec    []vec3
	ratio  []float64
	tree   *kdtree
	commun []int32
}

// solve computes the nearest site and E2SFCA score of every demand point.
// It stops early, with ctx's error, when ctx is done.
func (e *engine) solve(ctx context.Context) (*state, error) {
	m := e.m
	n := len(m.points)
	st := &state{
		eng:     e,
		near:    make([]int32, n),
		meters:  make([]float64, n),
		minutes: make([]float64, n),
		access:  make([]float64, n),
		ratio:   make([]float64, len(e.set.ids)),
	}
	if !e.met.crow {
		mx, err := m.matrix(ctx, e)
		if err != nil {
			return nil, err
		}
		e.mx = mx
		if err := e.solveRouted(ctx, st, mx, nil); err != nil {
			return nil, err
		}
		st.finish()
		return st, nil
	}
	// Step 1: each site's supply over the weighted population around it.
	err := parallelForContext(ctx, len(e.set.ids), 16, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			s := &m.sites[e.set.ids[j]]
			st.ratio[j] = e.ratioAt(m.svec[e.set.ids[j]], siteWeight(s))
		}
	})
	if err != nil {
		return nil, err
	}
	// Step 2: each point's nearest site and sum of reachable ratios.
	err = parallelForContext(ctx, n, 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			st.near[i], st.meters[i], st.minutes[i], st.access[i] = e.evalPoint(i, st.ratio, nil, nil)
		}
	})
	if err != nil {
		return nil, err
	}
	st.finish()
	return st, nil
}

// finish computes the farthest nearest site, the unreached points and
// the sites of each commune.
func (st *state) finish() {
	e, m := st.eng, st.eng.m
	for _, t := range st.minutes {
		switch {
		case math.IsInf(t, 1):
			st.unreached++
		case t > st.maxNearMin:
			st.maxNearMin = t
		}
	}
	st.siteCount = make([]int, len(m.communes))
	for _, id := range e.set.ids {
		if c := m.scommune[id]; c >= 0 {
			st.siteCount[c]++
		}
	}
}

func siteWeight(s *Site) float64 {
	if s.Weight > 0 {
		return s.Weight
	}
	return 1
}

// ratioAt is step 1 of E2SFCA (crow-fly) for a site at v of supply w.
func (e *engine) ratioAt(v vec3, w float64) float64 {
	if d := e.demandAround(v, 0, len(e.m.ptree.pts), e.treeW(), 0); d > 0 {
		return w / d
	}
	return 0
}

// treeW returns the demand weights in the order of the positions of the
// model's point tree, which the points within reach of a site are read
// in: one pass per request instead of a read from all over w per point.
func (e *engine) treeW() []float64 {
	e.twOnce.Do(func() {
		idx := e.m.ptree.idx
		e.tw = make([]float64, len(idx))
		for pos, i := range idx {
			e.tw[pos] = e.w[i]
		}
	})
	return e.tw
}

// demandAround returns d plus the weighted demand of the points of the
// positions [lo, hi) of the model's point tree within reach of q, added in
// the order of kdtree.within: its traversal written out, with no call per
// point (each site of a national computation reaches about a thousand),
// w being the demand weights in the tree's order (treeW).
func (e *engine) demandAround(q vec3, lo, hi int, w []float64, d float64) float64 {
	t, r2 := e.m.ptree, e.reach2
	for {
		if hi-lo <= kdLeaf {
			for i := lo; i < hi; i++ {
				if d2 := chord2(q, t.pts[i]); d2 <= r2 {
					if wt := e.weight2(d2); wt > 0 {
						d += w[i] * wt
					}
				}
			}
			return d
		}
		m := (lo + hi) / 2
		p := &t.pts[m]
		if d2 := chord2(q, *p); d2 <= r2 {
			if wt := e.weight2(d2); wt > 0 {
				d += w[m] * wt
			}
		}
		diff := q[t.axis[m]] - p[t.axis[m]]
		left := diff <= 0 || diff*diff <= r2
		right := diff >= 0 || diff*diff <= r2
		switch {
		case left && right:
			d = e.demandAround(q, lo, m, w, d)
			lo = m + 1
		case left:
			hi = m
		default:
			lo = m + 1
		}
	}
}

// reached is what evalPoint gathers over the sites within reach of a
// point: the nearest and the sum of their weighted ratios.
type reached struct {
	best   int32
	bestD2 float64
	acc    float64
}

// visit takes site j at squared chord d2 with ratio r.
func (a *reached) visit(e *engine, j int32, d2, r float64) {
	if d2 < a.bestD2 || (d2 == a.bestD2 && j < a.best) {
		a.best, a.bestD2 = j, d2
	}
	if w := e.weight2(d2); w > 0 {
		a.acc += r * w
	}
}

// sitesAround visits, in the order of kdtree.within, the sites of the
// positions [lo, hi) of the set's tree within reach of q: within's
// traversal written out, with no call through a function value per site.
func (e *engine) sitesAround(a *reached, q vec3, lo, hi int, ratio []float64) {
	t, r2 := e.set.tree, e.reach2
	for {
		if hi-lo <= kdLeaf {
			for i := lo; i < hi; i++ {
				if d2 := chord2(q, t.pts[i]); d2 <= r2 {
					j := t.idx[i]
					a.visit(e, j, d2, ratio[j])
				}
			}
			return
		}
		m := (lo + hi) / 2
		p := &t.pts[m]
		if d2 := chord2(q, *p); d2 <= r2 {
			j := t.idx[m]
			a.visit(e, j, d2, ratio[j])
		}
		diff := q[t.axis[m]] - p[t.axis[m]]
		left := diff <= 0 || diff*diff <= r2
		right := diff >= 0 || diff*diff <= r2
		switch {
		case left && right:
			e.sitesAround(a, q, lo, m, ratio)
			lo = m + 1
		case left:
			hi = m
		default:
			lo = m + 1
		}
	}
}

// evalPoint returns the crow-fly nearest site of demand point i and its
// E2SFCA score, over the set's sites minus removed (indexed by set position, may be
// nil) plus add (may be nil).
func (e *engine) evalPoint(i int, ratio []float64, removed []bool, add *extra) (near int32, meters, minutes, access float64) {
	m := e.m
	q := m.pvec[i]
	var skip func(int32) bool
	if removed != nil {
		skip = func(j int32) bool { return removed[j] }
	}
	a := reached{best: -1, bestD2: math.Inf(1)}
	if removed == nil {
		e.sitesAround(&a, q, 0, len(e.set.tree.pts), ratio)
	} else {
		e.set.tree.within(q, e.reach2, func(j int32, d2 float64) {
			if !removed[j] {
				a.visit(e, j, d2, ratio[j])
			}
		})
	}
	if add != nil {
		add.tree.within(q, e.reach2, func(k int32, d2 float64) {
			a.visit(e, int32(add.base)+k, d2, add.ratio[k])
		})
	}
	best, bestD2, acc := a.best, a.bestD2, a.acc
	if best < 0 {
		best, bestD2 = e.set.tree.nearest(q, skip)
		if add != nil {
			if k, d2 := add.tree.nearest(q, nil); k >= 0 && d2 < bestD2 {
				best, bestD2 = int32(add.base)+k, d2
			}
		}
	}
	if best < 0 {
		return -1, math.Inf(1), math.Inf(1), 0
	}
	meters, minutes = e.met.trip(bestD2)
	return best, meters, minutes, acc
}
