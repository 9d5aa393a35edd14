package analysis

import (
	"container/heap"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// SitingOptions tune Siting.
type SitingOptions struct {
	// K is the number of new sites to propose.
	K int `json:"k"`
	// MinSpacingKm keeps proposals at least this great-circle distance
	// apart.
	MinSpacingKm float64 `json:"min_spacing_km"`
	// CommuneCandidates proposes communes' anchor points (a point inside
	// each commune) instead of demand points.
	CommuneCandidates bool `json:"commune_candidates"`
}

// Proposal is a proposed new site, in the order chosen. NewlyCovered is the
// population it brings within ThresholdMin of a site, Cumulative the
// population the proposals so far bring, and CumulativeShare the share of
// the whole population within ThresholdMin of an existing or proposed site
// once they are built.
type Proposal struct {
	Point           orb.Point `json:"point"`
	Commune         string    `json:"commune"`
	NewlyCovered    float64   `json:"newly_covered"`
	Cumulative      float64   `json:"cumulative"`
	CumulativeShare float64   `json:"cumulative_share"`
}

// Siting proposes up to o.K new sites that bring the most people within
// p.ThresholdMin of a site, the existing matching sites staying (Maximal
// Covering Location Problem, greedy: at least 1 − 1/e of the optimum). It
// stops early when no candidate covers anyone new.
func (m *Model) Siting(p Params, o SitingOptions) []Proposal {
	out, _ := m.SitingContext(context.Background(), p, o)
	return out
}

// SitingContext is Siting stopping early, with ctx's error and no
// proposal, when ctx is done.
func (m *Model) SitingContext(ctx context.Context, p Params, o SitingOptions) ([]Proposal, error) {
	st, err := m.stateContext(ctx, p)
	if err != nil {
		return nil, err
	}
	e := st.eng
	thr := e.p.ThresholdMin

	total, done := 0.0, 0.0
	var unc []int32 // uncovered demand points with people
	for i := range m.points {
		pop := e.w[i]
		total += pop
		if st.minutes[i] <= thr {
			done += pop
		} else if pop > 0 {
			unc = append(unc, int32(i))
		}
	}
	if o.K <= 0 || len(unc) == 0 {
		return nil, nil
	}
	uvec := make([]vec3, len(unc))
	for k, i := range unc {
		uvec[k] = m.pvec[i]
	}
	utree := newKDTree(uvec)
	covered := make([]bool, len(unc))
	r2 := e.searchBound2(thr)

	// Candidates. Under a routing, only where people are not covered (each
	// candidate costs the engine a column).
	routed := !e.met.crow
	var cpts []orb.Point
	var cvec []vec3
	var ccom []int32
	if o.CommuneCandidates {
		var open []bool
		if routed {
			open = make([]bool, len(m.communes))
			for _, i := range unc {
				open[m.points[i].Commune] = true
			}
		}
		for c := range m.communes {
			if len(m.communes[c].Geometry) > 0 && (open == nil || open[c]) {
				cpts = append(cpts, m.anchors[c])
				cvec = append(cvec, toVec(m.anchors[c]))
				ccom = append(ccom, int32(c))
			}
		}
	} else if routed {
		for _, i := range e.thinCandidates(unc) {
			cpts = append(cpts, m.points[i].Point)
			cvec = append(cvec, m.pvec[i])
			ccom = append(ccom, int32(m.points[i].Commune))
		}
	} else {
		cvec = m.pvec
		for i := range m.points {
			cpts = append(cpts, m.points[i].Point)
			ccom = append(ccom, int32(m.points[i].Commune))
		}
	}
	var covers [][]int32 // routed: the uncovered points each candidate covers
	if routed {
		if covers, err = e.sitingCovers(ctx, unc, utree, cpts, cvec); err != nil {
			return nil, err
		}
	}
	// visit calls fn for each uncovered point that candidate c covers.
	visit := func(c int, fn func(k int32)) {
		if routed {
			for _, k := range covers[c] {
				if !covered[k] {
					fn(k)
				}
			}
			return
		}
		utree.within(cvec[c], r2, func(k int32, d2 float64) {
			if covered[k] {
				return
			}
			if _, t := e.met.trip(d2); t <= thr {
				fn(k)
			}
		})
	}
	gain := func(c int) float64 {
		g := 0.0
		visit(c, func(k int32) { g += e.w[unc[k]] })
		return g
	}

	gains := make([]float64, len(cvec))
	err = parallelForContext(ctx, len(cvec), 256, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			gains[c] = gain(c)
		}
	})
	if err != nil {
		return nil, err
	}
	h := &candHeap{}
	for c, g := range gains {
		if g > 0 {
			h.items = append(h.items, cand{gain: g, c: int32(c)})
		}
	}
	heap.Init(h)

	spacing2 := 0.0
	if o.MinSpacingKm > 0 {
		spacing2 = metersChord(o.MinSpacingKm * 1000)
	}
	var out []Proposal
	var chosen []vec3
	cum := 0.0
	round := int32(0)
	for len(out) < o.K && h.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		top := heap.Pop(h).(cand)
		c := int(top.c)
		if spacing2 > 0 && tooClose(cvec[c], chosen, spacing2) {
			continue // proposals only accumulate: it stays too close
		}
		if top.round != round {
			top.gain, top.round = gain(c), round
			if top.gain > 0 {
				heap.Push(h, top)
			}
			continue
		}
		visit(c, func(k int32) { covered[k] = true })
		cum += top.gain
		round++
		chosen = append(chosen, cvec[c])
		out = append(out, Proposal{
			Point:           cpts[c],
			Commune:         m.communes[ccom[c]].Code,
			NewlyCovered:    top.gain,
			Cumulative:      cum,
			CumulativeShare: (done + cum) / total,
		})
	}
	return out, nil
}

// thinCandidates keeps, of the uncovered points, the heaviest of each
// cell of Routing.SitingCellKm (the lower index among equals), in index
// order: each candidate costs the engine a column.
func (e *engine) thinCandidates(unc []int32) []int32 {
	cell := e.met.rt.SitingCellKm * 1000 / metersPerDegree
	best := map[[2]int64]int32{}
	for _, i := range unc {
		pt := e.m.points[i].Point
		k := [2]int64{int64(math.Floor(pt[1] / cell)), int64(math.Floor(pt[0] * math.Cos(pt[1]*degToRad) / cell))}
		if j, ok := best[k]; !ok || e.w[i] > e.w[j] {
			best[k] = i
		}
	}
	out := make([]int32, 0, len(best))
	for _, i := range best {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// sitingCovers asks the routing the trips from the uncovered points to the
// candidates within the cut-off and within ThresholdMin at
// Routing.TopSpeedKmh, and returns, for each candidate, the uncovered
// points (indices in unc) it brings within ThresholdMin.
func (e *engine) sitingCovers(ctx context.Context, unc []int32, utree *kdtree, cpts []orb.Point, cvec []vec3) ([][]int32, error) {
	m, rt, thr := e.m, &e.met.rt, e.p.ThresholdMin
	r2 := metersChord(math.Min(rt.CutoffKm*1000, thr*rt.TopSpeedKmh*1000/60))
	var pairs []Pair
	var of [][2]int32 // candidate, uncovered point of each pair
	for c := range cvec {
		utree.within(cvec[c], r2, func(k int32, _ float64) {
			pairs = append(pairs, Pair{From: m.points[unc[k]].Point, To: cpts[c]})
			of = append(of, [2]int32{int32(c), k})
		})
	}
	trips, err := fetchTrips(ctx, rt, pairs)
	if err != nil {
		return nil, err
	}
	covers := make([][]int32, len(cvec))
	for p, t := range trips {
		if t.Minutes <= thr {
			c := of[p][0]
			covers[c] = append(covers[c], of[p][1])
		}
	}
	for _, l := range covers {
		slices.Sort(l)
	}
	return covers, nil
}

func tooClose(v vec3, chosen []vec3, spacing2 float64) bool {
	for _, w := range chosen {
		if chord2(v, w) < spacing2 {
			return true
		}
	}
	return false
}

// cand is a siting candidate with an upper bound of its gain, computed at a
// round (number of proposals accepted then).
type cand struct {
	gain  float64
	c     int32
	round int32
}

// candHeap pops the highest gain first, the lower candidate among equals.
type candHeap struct{ items []cand }

func (h *candHeap) Len() int { return len(h.items) }
func (h *candHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.gain != b.gain {
		return a.gain > b.gain
	}
	return a.c < b.c
}
func (h *candHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *candHeap) Push(x any)    { h.items = append(h.items, x.(cand)) }
func (h *candHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}
