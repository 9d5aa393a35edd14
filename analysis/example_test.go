package analysis_test

import (
	"fmt"

	"github.com/cartonum/cartonum/analysis"
	"github.com/paulmach/orb"
)

// box is a square commune of side degrees at (lon, lat).
func box(code string, lon, lat, side, pop float64) analysis.Commune {
	ring := orb.Ring{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}
	return analysis.Commune{Code: code, Name: "Commune " + code, EPCI: "200000001", Departement: "02",
		Population: pop, Geometry: orb.MultiPolygon{{ring}}}
}

func Example() {
	communes := []analysis.Commune{
		box("02001", 3.0, 49.5, 0.1, 1200),
		box("02002", 3.1, 49.5, 0.1, 800),
		box("02003", 3.2, 49.5, 0.1, 300),
	}
	sites := []analysis.Site{{ID: "mairie-02001", Point: orb.Point{3.05, 49.55},
		Dispositifs: []string{"France Services"}}}
	m := analysis.NewModel(communes, sites, analysis.Grid{})

	p := analysis.DefaultParams()
	p.ThresholdMin = 15
	res := m.Compute(p)
	for _, c := range res.Communes {
		fmt.Printf("%s: %d site(s), %.1f min on average, %.0f%% beyond %g min\n",
			c.Name, c.Sites, c.MeanMinutes, 100*c.BeyondShare, p.ThresholdMin)
	}

	plan := m.Siting(p, analysis.SitingOptions{K: 1})
	fmt.Printf("new site in %s covers %.0f more people: %.0f%% within %g min\n",
		plan[0].Commune, plan[0].NewlyCovered, 100*plan[0].CumulativeShare, p.ThresholdMin)

	what := m.Scenario(p, analysis.Scenario{Add: []analysis.Site{{ID: "new", Point: plan[0].Point}}})
	fmt.Printf("white zone: %.0f → %.0f people\n", what.Before.Region.BeyondPopulation, what.After.Region.BeyondPopulation)
	// Output:
	// Commune 02001: 1 site(s), 6.1 min on average, 0% beyond 15 min
	// Commune 02002: 0 site(s), 13.7 min on average, 39% beyond 15 min
	// Commune 02003: 0 site(s), 25.5 min on average, 100% beyond 15 min
	// new site in 02003 covers 612 more people: 100% within 15 min
	// white zone: 612 → 0 people
}
