package analysis

import (
	"math"
	"sync/atomic"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// TestRegionNearestBruteForce checks the nearest site of every demand point
// of region 32 against a brute-force search with orb's haversine distance.
func TestRegionNearestBruteForce(t *testing.T) {
	r := loadRegion(t)
	p := DefaultParams()
	pts := r.model.Points(p)
	demand := r.model.DemandPoints()
	if len(pts) < 30000 {
		t.Fatalf("only %d demand points", len(pts))
	}
	// Duplicated coordinates cannot change a minimum.
	uniq := map[orb.Point]bool{}
	var sites []orb.Point
	for _, s := range r.sites {
		if !uniq[s.Point] {
			uniq[s.Point] = true
			sites = append(sites, s.Point)
		}
	}
	var bad atomic.Int32
	parallelFor(len(demand), 1024, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			best := math.Inf(1)
			for _, s := range sites {
				best = math.Min(best, geo.DistanceHaversine(demand[i].Point, s))
			}
			if got := pts[i].Meters / p.Circuity; math.Abs(got-best) > 1e-3 {
				if bad.Add(1) <= 5 {
					t.Errorf("point %d %v: nearest %.4f m, brute force %.4f m", i, demand[i].Point, got, best)
				}
			}
		}
	})
}

// TestRegionModel checks the region's demand and site counts.
func TestRegionModel(t *testing.T) {
	r := loadRegion(t)
	m := r.model
	tests := []struct {
		name string
		got  float64
		want float64
		tol  float64
	}{
		{"communes", float64(len(m.Communes())), 3782, 0},
		{"population", m.Compute(DefaultParams()).Region.Population, 5992194, 1e-9},
		{"sites with coordinates", float64(len(m.Sites())), float64(len(r.sites)), 0},
		{"sites located", float64(m.Compute(DefaultParams()).Region.Sites), float64(len(r.sites)), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !near(tc.got, tc.want, tc.tol) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	// Every commune has a demand point inside it.
	for c, com := range m.Communes() {
		lo, hi := m.cstart[c], m.cstart[c+1]
		if hi == lo {
			t.Errorf("commune %s has no demand point", com.Code)
			continue
		}
		if !planar.MultiPolygonContains(com.Geometry, m.points[lo].Point) {
			t.Errorf("commune %s: point %v outside", com.Code, m.points[lo].Point)
		}
	}
}

// TestRegionAggregates checks that EPCI, département and region indicators
// are the population-weighted sums of their communes'.
func TestRegionAggregates(t *testing.T) {
	r := loadRegion(t)
	res := r.model.Compute(DefaultParams())
	byCode := map[string]*Indicators{}
	for k := range res.Communes {
		byCode[res.Communes[k].Code] = &res.Communes[k]
	}
	members := func(level, code string) []*Indicators {
		var out []*Indicators
		for _, c := range r.model.Communes() {
			if (level == LevelEPCI && c.EPCI == code) || (level == LevelDepartement && c.Departement == code) || level == LevelRegion {
				out = append(out, byCode[c.Code])
			}
		}
		return out
	}
	check := func(t *testing.T, in Indicators) {
		var pop, beyond, mean, km, access float64
		sites := 0
		minP90, maxP90 := math.Inf(1), math.Inf(-1)
		for _, c := range members(in.Level, in.Code) {
			pop += c.Population
			beyond += c.BeyondPopulation
			mean += c.Population * c.MeanMinutes
			km += c.Population * c.MeanKm
			access += c.Population * c.Access
			sites += c.Sites
			minP90, maxP90 = math.Min(minP90, c.P90Minutes), math.Max(maxP90, c.P90Minutes)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"population", in.Population, pop},
			{"sites", float64(in.Sites), float64(sites)},
			{"beyond", in.BeyondPopulation, beyond},
			{"beyond share", in.BeyondShare, beyond / pop},
			{"mean minutes", in.MeanMinutes, mean / pop},
			{"mean km", in.MeanKm, km / pop},
			{"access", in.Access, access / pop},
			{"sites per 10k", in.SitesPer10k, float64(sites) / pop * 1e4},
		} {
			if !near(f.got, f.want, 1e-9) {
				t.Errorf("%s %s: %s = %v, communes give %v", in.Level, in.Code, f.name, f.got, f.want)
			}
		}
		// A quantile of a union lies between the parts' quantiles.
		if in.P90Minutes < minP90 || in.P90Minutes > maxP90 {
			t.Errorf("%s %s: P90 %v outside its communes' [%v, %v]", in.Level, in.Code, in.P90Minutes, minP90, maxP90)
		}
	}
	tests := []struct {
		name  string
		items []Indicators
		n     int
	}{
		{"epci", res.EPCI, 92},
		{"departement", res.Departements, 5},
		{"region", []Indicators{res.Region}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.items) != tc.n {
				t.Errorf("%d territories, want %d", len(tc.items), tc.n)
			}
			for _, in := range tc.items {
				check(t, in)
			}
		})
	}
	// E2SFCA conserves supply: Σ P·A = Σ S over sites that reach someone.
	if got, want := res.Region.Access*res.Region.Population/1e4, float64(len(r.model.Sites())); !near(got, want, 1e-9) {
		t.Errorf("Σ P·A = %v, want %v sites", got, want)
	}
}

// TestRegionScenario checks an incremental scenario on real data against a
// full computation.
func TestRegionScenario(t *testing.T) {
	r := loadRegion(t)
	p := DefaultParams()
	s := Scenario{
		Add:    []Site{{ID: "new-1", Point: orb.Point{3.95, 49.95}}, {ID: "new-2", Point: orb.Point{1.75, 50.45}}},
		Remove: []string{r.model.Sites()[0].ID, r.model.Sites()[100].ID},
	}
	got := r.model.Scenario(p, s)
	var modified []Site
	for _, site := range r.sites {
		if site.ID != s.Remove[0] && site.ID != s.Remove[1] {
			modified = append(modified, site)
		}
	}
	want := NewModel(r.communes, append(modified, s.Add...), Grid{}).Compute(p)
	sameResult(t, got.After, want, 1e-9)
	if len(got.Deltas) == 0 || got.Total.BeyondPopulation >= 0 {
		t.Errorf("%d deltas, total %+v: the new sites should shrink the white zone", len(got.Deltas), got.Total)
	}
}
