package analysis

import (
	"context"
	"testing"
)

// priorityToy is the toy of TestDemandProfiles in two EPCI: A (100
// inhabitants at 4 km, no score) and B (200 at 13 km, score 3) in E1, C
// (300 at 37 km, score 1) in E2; one site at 0 km and a 10-minute
// threshold (1 km a minute), so that B and C are beyond it.
func priorityToy() (*Model, Params) {
	communes := []Commune{
		{Code: "A", Name: "Ayette", EPCI: "E1", Departement: "D", Population: 100},
		{Code: "B", Name: "Bray", EPCI: "E1", Departement: "D", Population: 200, Fragility: 3},
		{Code: "C", Name: "Corbie", EPCI: "E2", Departement: "D", Population: 300, Fragility: 1},
	}
	demand := fixedDemand{
		{Commune: 0, Point: eq(4, 0), Population: 100},
		{Commune: 1, Point: eq(13, 0), Population: 200},
		{Commune: 2, Point: eq(37, 0), Population: 300},
	}
	p := kmParams()
	p.ThresholdMin = 10
	return NewModel(communes, []Site{{ID: "S1", Point: eq(0, 0)}}, demand), p
}

// TestPriorities checks the ranks and their inputs by hand. The mean score,
// weighted by population, is (3·200 + 1·300) / 500 = 1.8: B's factor is
// 3/1.8 = 5/3, C's 1/1.8 = 5/9, A's 1 (no score).
func TestPriorities(t *testing.T) {
	m, p := priorityToy()
	type row struct {
		code                                     string
		beyond, fragility, coverage, factor, wtd float64
	}
	for _, tc := range []struct {
		level string
		want  []row
	}{
		// B: 200 × 5/3 = 333.33 before C: 300 × 5/9 = 166.67, though C
		// has more people beyond; A: nobody beyond.
		{LevelCommune, []row{
			{"B", 200, 3, 1, 5.0 / 3, 1000.0 / 3},
			{"C", 300, 1, 1, 5.0 / 9, 500.0 / 3},
			{"A", 0, 0, 0, 1, 0},
		}},
		// E1 = A + B: 333.33 weighted, factor 333.33 / 200; its score is
		// B's (A has none), covering 200 of its 300 inhabitants. E2 = C.
		{LevelEPCI, []row{
			{"E1", 200, 3, 200.0 / 300, 5.0 / 3, 1000.0 / 3},
			{"E2", 300, 1, 1, 5.0 / 9, 500.0 / 3},
		}},
		// D = all: 500 beyond weigh 500 (the factors average to 1 by
		// construction); score (3·200 + 1·300) / 500 = 1.8 over 500 of 600.
		{LevelDepartement, []row{{"D", 500, 1.8, 500.0 / 600, 1, 500}}},
	} {
		t.Run(tc.level, func(t *testing.T) {
			got, _, err := m.Priorities(context.Background(), p, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d rows, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Rank != i+1 || g.Code != w.code || g.Level != tc.level || !near(g.BeyondPopulation, w.beyond, 1e-9) ||
					!near(g.Fragility, w.fragility, 1e-9) || !near(g.FragilityCoverage, w.coverage, 1e-9) ||
					!near(g.Factor, w.factor, 1e-9) || !near(g.Weighted, w.wtd, 1e-9) {
					t.Errorf("row %d = %+v, want %+v", i+1, g, w)
				}
			}
		})
	}
	if _, _, err := m.Priorities(context.Background(), p, LevelRegion); err == nil {
		t.Error("the region level was accepted")
	}
}

// TestPrioritiesMatchWeightedIndicators checks that the weighted value is
// the beyond population of the same request with WeightFragility, at
// every level, whatever the request says of fragility.
func TestPrioritiesMatchWeightedIndicators(t *testing.T) {
	m, p := priorityToy()
	p.WeightFragility = true // ignored: the view weighs once
	wp := p
	res := m.Compute(wp)
	want := map[string]float64{}
	for _, rows := range [][]Indicators{res.Communes, res.EPCI, res.Departements} {
		for _, in := range rows {
			want[in.Level+"/"+in.Code] = in.BeyondPopulation
		}
	}
	for _, level := range []string{LevelCommune, LevelEPCI, LevelDepartement} {
		got, params, err := m.Priorities(context.Background(), p, level)
		if err != nil {
			t.Fatal(err)
		}
		if params.WeightFragility {
			t.Error("the priorities' parameters weigh fragility: their beyond population would be weighted twice")
		}
		for _, g := range got {
			if w := want[level+"/"+g.Code]; !near(g.Weighted, w, 1e-9) {
				t.Errorf("%s %s: weighted %v, beyond population with WeightFragility %v", level, g.Code, g.Weighted, w)
			}
		}
	}
}

// TestSitingMaximisesWeightedDemand checks that siting covers the demand
// the request weighs: two villages 100 km apart, A of 1,000 inhabitants
// (score 1) and B of 800 (score 4), no site within reach. By population
// the one new site goes to A; weighted by fragility (mean (1000 + 3200) /
// 1800 = 7/3: A weighs 1000 × 3/7 = 428.6, B 800 × 12/7 = 1371.4) to B.
func TestSitingMaximisesWeightedDemand(t *testing.T) {
	a := square("A", -5, -5, 10, 1000)
	a.Fragility = 1
	b := square("B", 95, -5, 10, 800)
	b.Fragility = 4
	demand := fixedDemand{
		{Commune: 0, Point: eq(0, 0), Population: 1000},
		{Commune: 1, Point: eq(100, 0), Population: 800},
	}
	m := NewModel([]Commune{a, b}, []Site{{ID: "far", Point: eq(50, 300)}}, demand)
	p := kmParams()
	p.ThresholdMin = 20
	for _, tc := range []struct {
		name      string
		fragility bool
		commune   string
		covered   float64
	}{
		{"population", false, "A", 1000},
		{"weighted by fragility", true, "B", 800 * 4 / (7.0 / 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.WeightFragility = tc.fragility
			props, err := m.SitingContext(context.Background(), p, SitingOptions{K: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(props) != 1 || props[0].Commune != tc.commune || !near(props[0].NewlyCovered, tc.covered, 1e-9) {
				t.Errorf("proposals %+v, want one in %s covering %v", props, tc.commune, tc.covered)
			}
		})
	}
}
