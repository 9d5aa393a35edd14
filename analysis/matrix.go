package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// pmatrix is the matrix of plausible pairs of a site set under a routing:
// row i holds demand point i's sites, nearest by straight line first (then
// by position), with the engine's trips.
type pmatrix struct {
	start   []int32 // row i is [start[i], start[i+1])
	site    []int32 // position of the site in the set (beyond it: sites a scenario adds)
	d2      []float64
	meters  []float64
	minutes []float64
}

// matEntry is the matrix of a site set and a Travel, built once: readers
// of the same key wait for the first builder.
type matEntry struct {
	filter string
	travel Travel
	done   chan struct{}
	mx     *pmatrix
	err    error
}

const matCacheSize = 8

// matrix returns the sparse matrix of the engine's site set and routing,
// from the model's cache of recent ones or built (asking the cache of
// trips, then the engine, for the plausible pairs).
func (m *Model) matrix(ctx context.Context, e *engine) (*pmatrix, error) {
	_, _, comparable := e.p.cacheKey()
	if !comparable {
		return m.buildMatrix(ctx, e)
	}
	filter := e.p.filterKey()
	m.mu.Lock()
	for _, me := range m.mats {
		if me.filter == filter && me.travel == e.met.travel {
			m.mu.Unlock()
			select {
			case <-me.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			if me.err != nil {
				return nil, me.err
			}
			return me.mx, nil
		}
	}
	me := &matEntry{filter: filter, travel: e.met.travel, done: make(chan struct{})}
	m.mats = append([]*matEntry{me}, m.mats...)
	if len(m.mats) > matCacheSize {
		m.mats = m.mats[:matCacheSize]
	}
	m.mu.Unlock()

	me.mx, me.err = m.buildMatrix(ctx, e)
	if me.err != nil {
		m.mu.Lock()
		m.mats = slices.DeleteFunc(m.mats, func(x *matEntry) bool { return x == me })
		m.mu.Unlock()
	}
	close(me.done)
	return me.mx, me.err
}

// buildMatrix finds every demand point's plausible sites and asks their
// trips.
func (m *Model) buildMatrix(ctx context.Context, e *engine) (*pmatrix, error) {
	rt := &e.met.rt
	n := len(m.points)
	cut2 := metersChord(rt.CutoffKm * 1000)
	rows := make([][]nb, n)
	err := parallelForContext(ctx, n, 256, func(lo, hi int) {
		var buf []nb
		for i := lo; i < hi; i++ {
			buf = e.set.tree.knearest(m.pvec[i], rt.K, cut2, nil, buf[:0])
			rows[i] = slices.Clone(buf)
		}
	})
	if err != nil {
		return nil, err
	}
	mx := &pmatrix{start: make([]int32, n+1)}
	for i, r := range rows {
		mx.start[i+1] = mx.start[i] + int32(len(r))
	}
	total := int(mx.start[n])
	mx.site = make([]int32, total)
	mx.d2 = make([]float64, total)
	pairs := make([]Pair, total)
	for i, r := range rows {
		for k, c := range r {
			at := int(mx.start[i]) + k
			mx.site[at], mx.d2[at] = c.j, c.d2
			pairs[at] = Pair{From: m.points[i].Point, To: m.sites[e.set.ids[c.j]].Point}
		}
	}
	trips, err := fetchTrips(ctx, rt, pairs)
	if err != nil {
		return nil, err
	}
	mx.meters = make([]float64, total)
	mx.minutes = make([]float64, total)
	for k, t := range trips {
		mx.meters[k], mx.minutes[k] = t.Meters, t.Minutes
	}
	return mx, nil
}

// solveRouted is solve over a sparse matrix whose site positions beyond
// the set are add's sites (add may be nil).
func (e *engine) solveRouted(ctx context.Context, st *state, mx *pmatrix, add *extra) error {
	m := e.m
	nsites := len(e.set.ids)
	if add != nil {
		nsites += len(add.sites)
	}
	// Step 1: each site's supply over the weighted demand that asks it,
	// summed in point order.
	d := make([]float64, nsites)
	for i := range m.points {
		for p := mx.start[i]; p < mx.start[i+1]; p++ {
			if wt := bandWeight(e.bands, mx.minutes[p]); wt > 0 {
				d[mx.site[p]] += e.w[i] * wt
			}
		}
	}
	st.ratio = make([]float64, nsites)
	for j := range nsites {
		if d[j] > 0 {
			var s float64
			if j < len(e.set.ids) {
				s = siteWeight(&m.sites[e.set.ids[j]])
			} else {
				s = siteWeight(&add.sites[j-len(e.set.ids)])
			}
			st.ratio[j] = s / d[j]
		}
	}
	// Step 2: each point's nearest site in time and its sum of ratios.
	return parallelForContext(ctx, len(m.points), 512, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			best, bestMin, bestMeters, acc := int32(-1), math.Inf(1), math.Inf(1), 0.0
			for p := mx.start[i]; p < mx.start[i+1]; p++ {
				j, t := mx.site[p], mx.minutes[p]
				if !math.IsInf(t, 1) && (t < bestMin || (t == bestMin && j < best)) {
					best, bestMin, bestMeters = j, t, mx.meters[p]
				}
				if wt := bandWeight(e.bands, t); wt > 0 {
					acc += st.ratio[j] * wt
				}
			}
			st.near[i], st.meters[i], st.minutes[i], st.access[i] = best, bestMeters, bestMin, acc
		}
	})
}

// scenarioMatrix returns the sparse matrix of a scenario: the rows of the
// demand points within the cut-off of a removed or added site are redone —
// the K nearest remaining sites, plus every added site within the cut-off —
// and only the pairs the base matrix lacks are asked. With full, every row
// is redone and every pair asked again (the reference the incremental
// evaluation must equal).
func (e *engine) scenarioMatrix(ctx context.Context, base *pmatrix, removed []bool, gone []int32, add *extra, full bool) (*pmatrix, error) {
	m := e.m
	rt := &e.met.rt
	cut2 := metersChord(rt.CutoffKm * 1000)
	n := len(m.points)
	redo := make([]bool, n)
	if full {
		for i := range redo {
			redo[i] = true
		}
	} else {
		for _, j := range gone {
			m.ptree.within(m.svec[e.set.ids[j]], cut2, func(i int32, _ float64) { redo[i] = true })
		}
		for k := range add.sites {
			m.ptree.within(add.vec[k], cut2, func(i int32, _ float64) { redo[i] = true })
		}
	}
	skip := func(j int32) bool { return removed[j] }
	mx := &pmatrix{start: make([]int32, n+1)}
	var pairs []Pair
	var ask []int // positions in mx of the pairs asked
	var buf []nb
	for i := range n {
		if !redo[i] {
			for p := base.start[i]; p < base.start[i+1]; p++ {
				mx.site = append(mx.site, base.site[p])
				mx.d2 = append(mx.d2, base.d2[p])
				mx.meters = append(mx.meters, base.meters[p])
				mx.minutes = append(mx.minutes, base.minutes[p])
			}
			mx.start[i+1] = int32(len(mx.site))
			continue
		}
		q := m.pvec[i]
		buf = e.set.tree.knearest(q, rt.K, cut2, skip, buf[:0])
		if add.tree != nil {
			add.tree.within(q, cut2, func(k int32, d2 float64) {
				buf = append(buf, nb{j: int32(add.base) + k, d2: d2})
			})
		}
		slices.SortFunc(buf, cmpNb)
		for _, c := range buf {
			at := len(mx.site)
			mx.site = append(mx.site, c.j)
			mx.d2 = append(mx.d2, c.d2)
			known := false
			if !full {
				for p := base.start[i]; p < base.start[i+1]; p++ {
					if base.site[p] == c.j {
						mx.meters = append(mx.meters, base.meters[p])
						mx.minutes = append(mx.minutes, base.minutes[p])
						known = true
						break
					}
				}
			}
			if !known {
				mx.meters = append(mx.meters, math.Inf(1))
				mx.minutes = append(mx.minutes, math.Inf(1))
				var to orb.Point
				if int(c.j) < add.base {
					to = m.sites[e.set.ids[c.j]].Point
				} else {
					to = add.sites[int(c.j)-add.base].Point
				}
				pairs = append(pairs, Pair{From: m.points[i].Point, To: to})
				ask = append(ask, at)
			}
		}
		mx.start[i+1] = int32(len(mx.site))
	}
	trips, err := fetchTrips(ctx, rt, pairs)
	if err != nil {
		return nil, err
	}
	for k, at := range ask {
		mx.meters[at], mx.minutes[at] = trips[k].Meters, trips[k].Minutes
	}
	return mx, nil
}

// nb is a site near a point: its position and squared chord.
type nb struct {
	j  int32
	d2 float64
}

func cmpNb(a, b nb) int {
	if c := cmp.Compare(a.d2, b.d2); c != 0 {
		return c
	}
	return cmp.Compare(a.j, b.j)
}

// knearest appends to out, nearest first (then lowest index), the k
// points nearest to q within r2 that skip (may be nil) does not reject.
func (t *kdtree) knearest(q vec3, k int, r2 float64, skip func(int32) bool, out []nb) []nb {
	s := knnSearch{t: t, q: q, k: k, r2: r2, skip: skip, out: out}
	if k > 0 {
		s.search(0, len(t.pts))
	}
	return s.out
}

type knnSearch struct {
	t    *kdtree
	q    vec3
	k    int
	r2   float64
	skip func(int32) bool
	out  []nb
}

// bound is the squared chord a point must not exceed to enter.
func (s *knnSearch) bound() float64 {
	if len(s.out) < s.k {
		return s.r2
	}
	return s.out[len(s.out)-1].d2
}

func (s *knnSearch) offer(pos int) {
	c := nb{j: s.t.idx[pos], d2: chord2(s.q, s.t.pts[pos])}
	if c.d2 > s.r2 || (len(s.out) == s.k && cmpNb(c, s.out[len(s.out)-1]) >= 0) {
		return
	}
	if s.skip != nil && s.skip(c.j) {
		return
	}
	at, _ := slices.BinarySearchFunc(s.out, c, cmpNb)
	if len(s.out) == s.k {
		s.out = s.out[:len(s.out)-1]
	}
	s.out = slices.Insert(s.out, at, c)
}

func (s *knnSearch) search(lo, hi int) {
	if hi-lo <= kdLeaf {
		for i := lo; i < hi; i++ {
			s.offer(i)
		}
		return
	}
	mid := (lo + hi) / 2
	s.offer(mid)
	a := s.t.axis[mid]
	diff := s.q[a] - s.t.pts[mid][a]
	if diff <= 0 {
		s.search(lo, mid)
		if diff*diff <= s.bound() {
			s.search(mid+1, hi)
		}
	} else {
		s.search(mid+1, hi)
		if diff*diff <= s.bound() {
			s.search(lo, mid)
		}
	}
}

// fetchTrips returns the trips of pairs: those the routing's cache knows,
// the others asked of the engine in blocks of at most MaxCoordinates
// sources plus destinations (neighbouring demand points together, so that
// they share their sites), Concurrency blocks at a time, then stored in
// the cache. An engine failure is a *TravelError, and no trip is
// returned.
func fetchTrips(ctx context.Context, rt *Routing, pairs []Pair) ([]Trip, error) {
	trips := make([]Trip, len(pairs))
	if len(pairs) == 0 {
		return trips, nil
	}
	known := make([]bool, len(pairs))
	if rt.Cache != nil {
		t, k, err := rt.Cache.Trips(ctx, pairs)
		if err != nil {
			return nil, fmt.Errorf("cache des trajets : %w", err)
		}
		copy(trips, t)
		copy(known, k)
	}
	var missing []int
	for k := range pairs {
		if !known[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return trips, nil
	}
	blocks := makeBlocks(pairs, missing, rt.MaxCoordinates)
	errs := make([]error, len(blocks))
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, rt.Concurrency)
	var wg sync.WaitGroup
	for b := range blocks {
		sem <- struct{}{}
		if bctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := blocks[b].ask(bctx, rt.Engine, trips); err != nil {
				errs[b] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, &TravelError{Model: rt.Name, Err: err}
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, &TravelError{Model: rt.Name, Err: err}
		}
	}
	if rt.Cache != nil {
		mp := make([]Pair, len(missing))
		mt := make([]Trip, len(missing))
		for k, at := range missing {
			mp[k], mt[k] = pairs[at], trips[at]
		}
		rt.Cache.Store(ctx, mp, mt)
	}
	return trips, nil
}

// block is one Matrix call: sources × destinations, and the cells wanted.
type block struct {
	src, dst []orb.Point
	cells    []cell
}

type cell struct {
	pair     int // index in the pairs
	src, dst int32
}

func (b *block) ask(ctx context.Context, t Travel, trips []Trip) error {
	mx, err := t.Matrix(ctx, b.src, b.dst)
	if err != nil {
		return err
	}
	if len(mx.Minutes) != len(b.src) || len(mx.Meters) != len(b.src) {
		return fmt.Errorf("matrice de %d lignes pour %d origines", len(mx.Minutes), len(b.src))
	}
	for i := range b.src {
		if len(mx.Minutes[i]) != len(b.dst) || len(mx.Meters[i]) != len(b.dst) {
			return fmt.Errorf("ligne %d de %d colonnes pour %d destinations", i, len(mx.Minutes[i]), len(b.dst))
		}
	}
	for _, c := range b.cells {
		mt, me := mx.Minutes[c.src][c.dst], mx.Meters[c.src][c.dst]
		if math.IsNaN(mt) || math.IsInf(mt, 0) || mt < 0 {
			mt, me = math.Inf(1), math.Inf(1)
		}
		trips[c.pair] = Trip{Meters: me, Minutes: mt}
	}
	return nil
}

// makeBlocks groups the missing pairs by source, sources in bands of
// latitude swept by longitude, and fills each block with sources while
// its sources plus destinations fit in max.
func makeBlocks(pairs []Pair, missing []int, max int) []*block {
	bySrc := map[orb.Point][]int{}
	var srcs []orb.Point
	for _, k := range missing {
		s := pairs[k].From
		if _, ok := bySrc[s]; !ok {
			srcs = append(srcs, s)
		}
		bySrc[s] = append(bySrc[s], k)
	}
	const band = 0.05 // degrees of latitude
	slices.SortFunc(srcs, func(a, b orb.Point) int {
		if c := cmp.Compare(math.Floor(a[1]/band), math.Floor(b[1]/band)); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	})
	var blocks []*block
	cur := &block{}
	dstAt := map[orb.Point]int32{}
	flush := func() {
		if len(cur.cells) > 0 {
			blocks = append(blocks, cur)
		}
		cur = &block{}
		clear(dstAt)
	}
	for _, s := range srcs {
		ks := bySrc[s]
		var fresh int
		seen := map[orb.Point]bool{}
		for _, k := range ks {
			d := pairs[k].To
			if _, ok := dstAt[d]; !ok && !seen[d] {
				seen[d] = true
				fresh++
			}
		}
		if len(cur.src)+1+len(cur.dst)+fresh > max {
			flush()
		}
		for len(ks) > 0 {
			if len(cur.src)+1+len(cur.dst) >= max {
				flush()
			}
			si := int32(len(cur.src))
			cur.src = append(cur.src, s)
			rest := ks[:0:0]
			for _, k := range ks {
				d := pairs[k].To
				di, ok := dstAt[d]
				if !ok {
					if len(cur.src)+len(cur.dst) >= max {
						rest = append(rest, k)
						continue
					}
					di = int32(len(cur.dst))
					cur.dst = append(cur.dst, d)
					dstAt[d] = di
				}
				cur.cells = append(cur.cells, cell{pair: k, src: si, dst: di})
			}
			ks = rest
			if len(ks) > 0 {
				flush() // a source with more destinations than a block holds
			}
		}
	}
	flush()
	return blocks
}
