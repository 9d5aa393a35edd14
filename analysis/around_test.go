package analysis

import (
	"math"
	"testing"
)

// TestAroundMatchesWithin: the traversals written out for a computation
// (demandAround, sitesAround) add the same terms in the same order as
// kdtree.within with a function per point, so their sums are the same to
// the bit.
func TestAroundMatchesWithin(t *testing.T) {
	communes, sites := synthFrance(2000, 30, 400, 7)
	m := NewModel(communes, sites, Grid{})
	e := m.newEngine(DefaultParams().normalize())
	ratio := make([]float64, len(e.set.ids))
	for j, id := range e.set.ids {
		d := 0.0
		m.ptree.within(m.svec[id], e.reach2, func(i int32, d2 float64) {
			if wt := e.weight2(d2); wt > 0 {
				d += e.w[i] * wt
			}
		})
		want := 0.0
		if d > 0 {
			want = siteWeight(&m.sites[id]) / d
		}
		ratio[j] = e.ratioAt(m.svec[id], siteWeight(&m.sites[id]))
		if math.Float64bits(ratio[j]) != math.Float64bits(want) {
			t.Fatalf("site %d: ratio %v, want %v", j, ratio[j], want)
		}
	}
	reachedSome := 0
	for i := range m.points {
		want := reached{best: -1, bestD2: math.Inf(1)}
		e.set.tree.within(m.pvec[i], e.reach2, func(j int32, d2 float64) { want.visit(e, j, d2, ratio[j]) })
		got := reached{best: -1, bestD2: math.Inf(1)}
		e.sitesAround(&got, m.pvec[i], 0, len(e.set.tree.pts), ratio)
		if got.best != want.best || math.Float64bits(got.bestD2) != math.Float64bits(want.bestD2) ||
			math.Float64bits(got.acc) != math.Float64bits(want.acc) {
			t.Fatalf("point %d: %+v, want %+v", i, got, want)
		}
		if want.best >= 0 {
			reachedSome++
		}
	}
	if reachedSome == 0 || reachedSome == len(m.points) {
		t.Errorf("%d of %d points reach a site: the test should have both", reachedSome, len(m.points))
	}
}
