package analysis

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestScenarioNothingChanged(t *testing.T) {
	communes, sites := synthFrance(400, 60, 80, 1)
	m := NewModel(communes, sites, Grid{})
	tests := []struct {
		name string
		s    Scenario
	}{
		{"empty", Scenario{}},
		{"unknown ID removed", Scenario{Remove: []string{"nope"}}},
		{"added site filtered out", Scenario{Add: []Site{{ID: "x", Point: sites[0].Point, Services: []string{"Other"}}}}},
		{"invalid point", Scenario{Add: []Site{{ID: "x", Point: orb.Point{500, 500}, Services: synthServices}}}},
	}
	p := DefaultParams()
	p.Services = synthServices[:1]
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Scenario(p, tc.s)
			if len(r.Deltas) != 0 || r.Total != (Delta{}) {
				t.Errorf("deltas %v, total %+v; want none", r.Deltas, r.Total)
			}
			sameResult(t, r.After, r.Before, 0)
		})
	}
}

// TestScenarioMatchesCompute checks the incremental scenario against a full
// computation on a model built with the modified sites.
func TestScenarioMatchesCompute(t *testing.T) {
	communes, sites := synthFrance(900, 120, 120, 2)
	m := NewModel(communes, sites, Grid{})
	rng := rand.New(rand.NewPCG(3, 3))
	randomSite := func(id string) Site {
		c := communes[rng.IntN(len(communes))]
		return Site{ID: id, Point: c.Geometry[0][0][0], Services: synthServices[:1]}
	}
	tests := []struct {
		name string
		p    func() Params
		s    Scenario
	}{
		{"add one", DefaultParams, Scenario{Add: []Site{randomSite("n1")}}},
		{"remove one", DefaultParams, Scenario{Remove: []string{sites[5].ID}}},
		{"add and remove several", DefaultParams, Scenario{
			Add:    []Site{randomSite("n1"), randomSite("n2"), randomSite("n3")},
			Remove: []string{sites[1].ID, sites[2].ID, sites[40].ID, sites[77].ID},
		}},
		{"filtered, remove all but one", func() Params {
			p := DefaultParams()
			p.Dispositifs = []string{"France Services"}
			return p
		}, Scenario{}},
		{"short threshold, custom bands", func() Params {
			p := DefaultParams()
			p.ThresholdMin, p.SpeedKmh = 8, 30
			p.Bands = []Band{{0, 5, 1}, {5, 15, 0.5}}
			return p
		}, Scenario{Add: []Site{randomSite("n1")}, Remove: []string{sites[9].ID}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p()
			s := tc.s
			if len(s.Add)+len(s.Remove) == 0 { // remove every France Services site but the first
				for _, site := range m.Sites() {
					if p.normalize().matches(&site) {
						s.Remove = append(s.Remove, site.ID)
					}
				}
				s.Remove = s.Remove[1:]
			}
			got := m.Scenario(p, s)

			var modified []Site
			for _, site := range sites {
				if !slices.Contains(s.Remove, site.ID) {
					modified = append(modified, site)
				}
			}
			modified = append(modified, s.Add...)
			want := NewModel(communes, modified, Grid{}).Compute(p)
			sameResult(t, got.After, want, 1e-9)
			sameResult(t, got.Before, m.Compute(p), 0)

			// Deltas list exactly the communes that changed.
			changed := map[string]bool{}
			for k := range want.Communes {
				if !sameIndicators(&got.Before.Communes[k], &want.Communes[k], 0) {
					changed[want.Communes[k].Code] = true
				}
			}
			for _, d := range got.Deltas {
				if !changed[d.Code] {
					t.Errorf("delta for unchanged commune %s: %+v", d.Code, d.Delta)
				}
				delete(changed, d.Code)
			}
			for c := range changed {
				// Ranks may move alone: only values count as changes.
				k, _ := slices.BinarySearchFunc(want.Communes, c, func(in Indicators, c string) int {
					return cmp.Compare(in.Code, c)
				})
				if d := diff(&want.Communes[k], &got.Before.Communes[k]); !zeroish(d) {
					t.Errorf("commune %s changed but has no delta", c)
				}
			}
			if d := diff(&want.Region, &got.Before.Region); !sameDelta(d, got.Total) {
				t.Errorf("Total = %+v, want %+v", got.Total, d)
			}

			// Points lists exactly the demand points whose trip changed,
			// with the trip of the full recomputation.
			before := m.Points(p)
			full := NewModel(communes, modified, Grid{}).Points(p)
			if !zeroish(got.Total) && len(got.Points) == 0 {
				t.Error("the region changed but no point is listed")
			}
			listed := map[int]PointChange{}
			for _, c := range got.Points {
				listed[c.Index] = c
			}
			for i := range full {
				c, ok := listed[i]
				moved := full[i].Reached != before[i].Reached || !near(full[i].Minutes, before[i].Minutes, 1e-9)
				if moved && !ok {
					t.Errorf("point %d changed (%+v → %+v) but is not listed", i, before[i], full[i])
				}
				if ok && (c.Reached != full[i].Reached || (c.Reached && !near(c.Minutes, full[i].Minutes, 1e-9))) {
					t.Errorf("point %d listed as %+v, full recomputation %+v", i, c, full[i])
				}
			}
		})
	}
}

func zeroish(d Delta) bool { return sameDelta(d, Delta{}) }

func sameDelta(a, b Delta) bool {
	if a.Sites != b.Sites {
		return false
	}
	for _, f := range [][2]float64{
		{a.SitesPer10k, b.SitesPer10k}, {a.MeanMinutes, b.MeanMinutes}, {a.P90Minutes, b.P90Minutes},
		{a.MeanKm, b.MeanKm}, {a.P90Km, b.P90Km}, {a.BeyondPopulation, b.BeyondPopulation},
		{a.BeyondShare, b.BeyondShare},
	} {
		if !near(f[0], f[1], 1e-9) {
			return false
		}
	}
	return near(a.Access, b.Access, 1e-7)
}

// TestAddingSiteNeverIncreasesDistance is a property: with one more site,
// no demand point is farther from its nearest site.
func TestAddingSiteNeverIncreasesDistance(t *testing.T) {
	communes, sites := synthFrance(400, 40, 100, 4)
	rng := rand.New(rand.NewPCG(5, 5))
	base := NewModel(communes, sites, Grid{}).Points(DefaultParams())
	for trial := range 6 {
		t.Run(fmt.Sprint("trial ", trial), func(t *testing.T) {
			c := communes[rng.IntN(len(communes))]
			extra := Site{ID: "new", Point: c.Geometry[0][0][rng.IntN(len(c.Geometry[0][0]))]}
			after := NewModel(communes, append(slices.Clone(sites), extra), Grid{}).Points(DefaultParams())
			closer := 0
			for i := range base {
				if after[i].Meters > base[i].Meters {
					t.Fatalf("point %d: %v m after adding a site, %v m before", i, after[i].Meters, base[i].Meters)
				}
				if after[i].Meters < base[i].Meters {
					closer++
				}
			}
			if closer == 0 {
				t.Error("no point got closer")
			}
		})
	}
}
