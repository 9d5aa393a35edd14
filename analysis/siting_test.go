package analysis

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// sparse is a synthetic territory with few sites, so that much of it lies
// beyond 20 minutes.
func sparse() (*Model, []Commune, []Site) {
	communes, sites := synthFrance(400, 6, 120, 11)
	return NewModel(communes, sites, Grid{CellMeters: 1500}), communes, sites
}

func TestSitingCoverageGrowsWithK(t *testing.T) {
	m, _, _ := sparse()
	p := DefaultParams()
	tests := []struct {
		name string
		o    SitingOptions
	}{
		{"demand points", SitingOptions{K: 8}},
		{"commune anchors", SitingOptions{K: 8, CommuneCandidates: true}},
		{"spaced 30 km", SitingOptions{K: 8, MinSpacingKm: 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := m.Siting(p, tc.o)
			if len(all) != tc.o.K {
				t.Fatalf("%d proposals, want %d", len(all), tc.o.K)
			}
			prev := 1 - m.Compute(p).Region.BeyondShare
			for k := 1; k <= tc.o.K; k++ {
				o := tc.o
				o.K = k
				got := m.Siting(p, o)
				if len(got) != k {
					t.Fatalf("k=%d: %d proposals", k, len(got))
				}
				last := got[k-1]
				if last.CumulativeShare < prev {
					t.Errorf("k=%d: coverage %v fell below %v", k, last.CumulativeShare, prev)
				}
				prev = last.CumulativeShare
				if got[k-1] != all[k-1] {
					t.Errorf("k=%d: proposal %+v differs from the k=%d run's %+v", k, got[k-1], tc.o.K, all[k-1])
				}
				if k > 1 && last.NewlyCovered > got[k-2].NewlyCovered {
					t.Errorf("k=%d: gain %v above the previous %v (greedy gains shrink)", k, last.NewlyCovered, got[k-2].NewlyCovered)
				}
			}
			if tc.o.MinSpacingKm > 0 {
				for i := range all {
					for j := range i {
						if d := chordMeters(chord2(toVec(all[i].Point), toVec(all[j].Point))); d < tc.o.MinSpacingKm*1000 {
							t.Errorf("proposals %d and %d are %.0f m apart", i, j, d)
						}
					}
				}
			}
		})
	}
}

// TestSitingMatchesScenario builds the proposals in a scenario: the white
// zone shrinks by exactly the population they cover.
func TestSitingMatchesScenario(t *testing.T) {
	m, _, _ := sparse()
	p := DefaultParams()
	props := m.Siting(p, SitingOptions{K: 5})
	var s Scenario
	for k, pr := range props {
		s.Add = append(s.Add, Site{ID: fmt.Sprint("new", k), Point: pr.Point})
	}
	r := m.Scenario(p, s)
	last := props[len(props)-1]
	if got := r.Before.Region.BeyondPopulation - r.After.Region.BeyondPopulation; !near(got, last.Cumulative, 1e-9) {
		t.Errorf("white zone shrank by %v, proposals cover %v", got, last.Cumulative)
	}
	if got := 1 - r.After.Region.BeyondShare; !near(got, last.CumulativeShare, 1e-9) {
		t.Errorf("coverage after %v, want %v", got, last.CumulativeShare)
	}
}

// TestSitingGreedyBound compares greedy siting with the best pair of
// candidates found by exhaustive search, coverage computed independently by
// brute force.
func TestSitingGreedyBound(t *testing.T) {
	m, _, _ := sparse()
	p := DefaultParams()
	pts := m.Points(p)
	demand := m.DemandPoints()
	var unc []int
	for i, r := range pts {
		if r.Minutes > p.ThresholdMin && demand[i].Population > 0 {
			unc = append(unc, i)
		}
	}
	fly := Crowfly{p.Circuity, p.SpeedKmh}
	var cands []orb.Point
	var covers [][]int
	for c := range m.Communes() {
		a := m.anchors[c]
		var cov []int
		for _, i := range unc {
			if _, t := fly.Distance(demand[i].Point, a); t <= p.ThresholdMin {
				cov = append(cov, i)
			}
		}
		cands = append(cands, a)
		covers = append(covers, cov)
	}
	value := func(set ...int) float64 {
		seen := map[int]bool{}
		v := 0.0
		for _, c := range set {
			for _, i := range covers[c] {
				if !seen[i] {
					seen[i] = true
					v += demand[i].Population
				}
			}
		}
		return v
	}
	best1, best2 := 0.0, 0.0
	for a := range cands {
		best1 = math.Max(best1, value(a))
		for b := range a {
			best2 = math.Max(best2, value(a, b))
		}
	}
	tests := []struct {
		name string
		k    int
		opt  float64
	}{
		{"k=1 is optimal", 1, best1},
		{"k=2 within 1-1/e", 2, best2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Siting(p, SitingOptions{K: tc.k, CommuneCandidates: true})
			g := got[len(got)-1].Cumulative
			if g > tc.opt*(1+1e-9) {
				t.Errorf("greedy %v beats the optimum %v", g, tc.opt)
			}
			if g < (1-1/math.E)*tc.opt {
				t.Errorf("greedy %v below (1-1/e)·%v", g, tc.opt)
			}
			if tc.k == 1 && !near(g, tc.opt, 1e-9) {
				t.Errorf("greedy k=1 %v, optimum %v", g, tc.opt)
			}
		})
	}
}

func TestSitingNothingToDo(t *testing.T) {
	m := threeSquares()
	tests := []struct {
		name string
		p    Params
		o    SitingOptions
		want int
	}{
		{"k=0", kmParams(), SitingOptions{}, 0},
		{"everyone covered", func() Params { p := kmParams(); p.ThresholdMin = 30; return p }(), SitingOptions{K: 3}, 0},
		// 2,000 people of C beyond 20 min: one site covers them all, and the
		// first candidate that does is B's first point (12.5, 2.5) km.
		{"stops when nobody is left", kmParams(), SitingOptions{K: 3}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Siting(tc.p, tc.o)
			if len(got) != tc.want {
				t.Fatalf("%d proposals, want %d: %+v", len(got), tc.want, got)
			}
			if tc.want == 1 && (got[0].NewlyCovered != 2000 || got[0].CumulativeShare != 1 || got[0].Commune != "B") {
				t.Errorf("proposal %+v", got[0])
			}
		})
	}
}
