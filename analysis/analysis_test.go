package analysis

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestE2SFCAToy checks E2SFCA against values computed by hand. Everything
// lies on the equator and travel is 1 km per minute, so minutes are the km
// between the positions below.
//
//	sites:   S1 at 0 km, S2 at 26 km (weight 1 each)
//	demand:  a at 4 km (100 people), b at 13 km (200), c at 37 km (300)
//
//	trips    S1          S2
//	a        4  → 1.00   22 → 0.22
//	b        13 → 0.68   13 → 0.68
//	c        37 → 0      11 → 0.68
//
//	R1 = 1 / (100·1 + 200·0.68)              = 1/236
//	R2 = 1 / (100·0.22 + 200·0.68 + 300·0.68) = 1/362
//	A_a = R1 + 0.22·R2    → ×10⁴ = 42.3729 + 6.0773 = 48.4502
//	A_b = 0.68·R1 + 0.68·R2 → ×10⁴ = 28.8136 + 18.7845 = 47.5981
//	A_c = 0.68·R2         → ×10⁴ = 18.7845
//	region: Σ P·A / Σ P = (R1·236 + R2·362) / 600 = 2/600 → 33.3333
func TestE2SFCAToy(t *testing.T) {
	communes := []Commune{{Code: "A"}, {Code: "B"}, {Code: "C"}}
	demand := fixedDemand{
		{Commune: 0, Point: eq(4, 0), Population: 100},
		{Commune: 1, Point: eq(13, 0), Population: 200},
		{Commune: 2, Point: eq(37, 0), Population: 300},
	}
	sites := []Site{{ID: "S1", Point: eq(0, 0)}, {ID: "S2", Point: eq(26, 0)}}
	m := NewModel(communes, sites, demand)
	res := m.Compute(kmParams())

	tests := []struct {
		name                 string
		got                  Indicators
		access, mean, beyond float64
	}{
		{"a", res.Communes[0], 1e4 * (1.0/236 + 0.22/362), 4, 0},
		{"b", res.Communes[1], 1e4 * (0.68/236 + 0.68/362), 13, 0},
		{"c", res.Communes[2], 1e4 * (0.68 / 362), 11, 0},
		{"region", res.Region, 1e4 * 2.0 / 600, (100*4 + 200*13 + 300*11) / 600.0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !near(tc.got.Access, tc.access, 1e-9) {
				t.Errorf("Access = %.6f, want %.6f", tc.got.Access, tc.access)
			}
			if !near(tc.got.MeanMinutes, tc.mean, 1e-9) || !near(tc.got.MeanKm, tc.mean, 1e-9) {
				t.Errorf("MeanMinutes = %.6f, MeanKm = %.6f, want %.6f", tc.got.MeanMinutes, tc.got.MeanKm, tc.mean)
			}
			if tc.got.BeyondPopulation != tc.beyond {
				t.Errorf("BeyondPopulation = %v, want %v", tc.got.BeyondPopulation, tc.beyond)
			}
		})
	}
	if got := []string{m.Points(kmParams())[0].Site, m.Points(kmParams())[2].Site}; got[0] != "S1" || got[1] != "S2" {
		t.Errorf("nearest sites of a and c = %v, want [S1 S2]", got)
	}
}

// threeSquares is three 10 km square communes side by side along the
// equator, cut into 5 km cells (4 demand points each), with one site at
// the centre of the first.
//
//	A [0,10]×[0,10] km, 1,000 people: 4 points at √(2.5²+2.5²) = 3.5355 km
//	B [10,20]: 2,000 people: 2 points at √(7.5²+2.5²) = 7.9057, 2 at √(12.5²+2.5²) = 12.7475
//	C [20,30]: 4,000 people: 2 points at √(17.5²+2.5²) = 17.6777, 2 at √(22.5²+2.5²) = 22.6385
func threeSquares() *Model {
	communes := []Commune{square("A", 0, 0, 10, 1000), square("B", 10, 0, 10, 2000), square("C", 20, 0, 10, 4000)}
	communes[2].EPCI = "F" // A and B form EPCI E, C alone F
	return NewModel(communes, []Site{{ID: "S", Point: eq(5, 5)}}, Grid{CellMeters: 5000})
}

func TestThreeSquares(t *testing.T) {
	m := threeSquares()
	if n := len(m.DemandPoints()); n != 12 {
		t.Fatalf("%d demand points, want 12", n)
	}
	p := kmParams() // threshold 20 minutes = 20 km
	res := m.Compute(p)
	dA, dB1, dB2 := math.Hypot(2.5, 2.5), math.Hypot(7.5, 2.5), math.Hypot(12.5, 2.5)
	dC1, dC2 := math.Hypot(17.5, 2.5), math.Hypot(22.5, 2.5)
	tests := []struct {
		name                         string
		got                          Indicators
		pop                          float64
		sites                        int
		mean, p90, beyond, beyondSha float64
		ranks                        map[string]int
	}{
		{"A", res.Communes[0], 1000, 1, dA, dA, 0, 0,
			map[string]int{RankSitesPer10k: 1, RankMeanMinutes: 1, RankBeyondShare: 1}},
		// B: half the people at 7.91 km, half at 12.75: the 90th percentile is 12.75.
		{"B", res.Communes[1], 2000, 0, (dB1 + dB2) / 2, dB2, 0, 0,
			map[string]int{RankSitesPer10k: 2, RankMeanMinutes: 2, RankBeyondShare: 1}},
		// C: the 2,000 people at 22.64 km live beyond 20 minutes.
		{"C", res.Communes[2], 4000, 0, (dC1 + dC2) / 2, dC2, 2000, 0.5,
			map[string]int{RankSitesPer10k: 2, RankMeanMinutes: 3, RankBeyondShare: 3}},
		{"EPCI E", res.EPCI[0], 3000, 1, (1000*dA + 1000*dB1 + 1000*dB2) / 3000, dB2, 0, 0, nil},
		// Region: cumulated people 1,000 ≤ 3.54, 2,000 ≤ 7.91, 3,000 ≤ 12.75,
		// 5,000 ≤ 17.68, 7,000 ≤ 22.64; 90% of 7,000 = 6,300 → 22.64.
		{"region", res.Region, 7000, 1, (1000*dA + 1000*dB1 + 1000*dB2 + 2000*dC1 + 2000*dC2) / 7000, dC2, 2000, 2.0 / 7, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.got
			if !near(in.Population, tc.pop, 1e-12) || in.Sites != tc.sites {
				t.Errorf("Population, Sites = %v, %d; want %v, %d", in.Population, in.Sites, tc.pop, tc.sites)
			}
			// The sphere bends the plane's distances by less than 1e-6.
			if !near(in.MeanMinutes, tc.mean, 1e-5) || !near(in.P90Minutes, tc.p90, 1e-5) {
				t.Errorf("MeanMinutes, P90Minutes = %.5f, %.5f; want %.5f, %.5f", in.MeanMinutes, in.P90Minutes, tc.mean, tc.p90)
			}
			if !near(in.MeanKm, tc.mean, 1e-5) || !near(in.P90Km, tc.p90, 1e-5) {
				t.Errorf("MeanKm, P90Km = %.5f, %.5f; want %.5f, %.5f", in.MeanKm, in.P90Km, tc.mean, tc.p90)
			}
			if !near(in.BeyondPopulation, tc.beyond, 1e-12) || !near(in.BeyondShare, tc.beyondSha, 1e-12) {
				t.Errorf("Beyond = %v (%v), want %v (%v)", in.BeyondPopulation, in.BeyondShare, tc.beyond, tc.beyondSha)
			}
			if want := float64(tc.sites) / tc.pop * 1e4; !near(in.SitesPer10k, want, 1e-12) {
				t.Errorf("SitesPer10k = %v, want %v", in.SitesPer10k, want)
			}
			for k, r := range tc.ranks {
				if in.Rank[k] != r {
					t.Errorf("Rank[%s] = %d, want %d", k, in.Rank[k], r)
				}
			}
		})
	}
}

func TestDetail(t *testing.T) {
	m := threeSquares()
	p := kmParams()
	tests := []struct {
		name, level, code string
		bins              map[int]float64 // bin index → population
		within            map[int]float64 // minutes → population within
		total             float64
	}{
		{"region", LevelRegion, "", map[int]float64{0: 1000, 1: 1000, 2: 1000, 3: 2000, 4: 2000, 12: 0},
			map[int]float64{0: 0, 3: 0, 4: 1000, 10: 2000, 15: 3000, 20: 5000, 23: 7000, 60: 7000}, 7000},
		{"commune C", LevelCommune, "C", map[int]float64{3: 2000, 4: 2000},
			map[int]float64{17: 0, 18: 2000, 22: 2000, 23: 4000}, 4000},
		{"epci E", LevelEPCI, "E", map[int]float64{0: 1000, 1: 1000, 2: 1000},
			map[int]float64{4: 1000, 13: 3000}, 3000},
		{"departement D", LevelDepartement, "D", map[int]float64{4: 2000}, map[int]float64{60: 7000}, 7000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := m.Detail(p, tc.level, tc.code)
			if !ok {
				t.Fatal("not found")
			}
			if len(d.Histogram) != 13 || d.Histogram[12].FromMin != 60 || d.Histogram[12].ToMin != 0 || d.Histogram[1].ToMin != 10 {
				t.Fatalf("histogram bins = %+v", d.Histogram)
			}
			sum := 0.0
			for b, bin := range d.Histogram {
				sum += bin.Population
				if want, ok := tc.bins[b]; ok && !near(bin.Population, want, 1e-12) {
					t.Errorf("bin %d population = %v, want %v", b, bin.Population, want)
				}
			}
			if !near(sum, tc.total, 1e-12) {
				t.Errorf("histogram total = %v, want %v", sum, tc.total)
			}
			if len(d.Coverage) != 61 {
				t.Fatalf("%d coverage points, want 61", len(d.Coverage))
			}
			for tm, want := range tc.within {
				c := d.Coverage[tm]
				if c.Minutes != float64(tm) || !near(c.Population, want, 1e-12) || !near(c.Share, want/tc.total, 1e-12) {
					t.Errorf("coverage at %d min = %+v, want %v", tm, c, want)
				}
			}
			if d.Population != tc.total {
				t.Errorf("Population = %v, want %v", d.Population, tc.total)
			}
		})
	}
	if _, ok := m.Detail(p, LevelCommune, "Z"); ok {
		t.Error("unknown commune found")
	}
	if _, ok := m.Detail(p, "canton", "A"); ok {
		t.Error("unknown level found")
	}
}

func TestWeightedQuantile(t *testing.T) {
	tests := []struct {
		name string
		vw   []vw
		q    float64
		want float64
	}{
		{"empty", nil, 0.9, 0},
		{"one", []vw{{5, 1}}, 0.9, 5},
		{"ten equal weights", []vw{{10, 1}, {9, 1}, {8, 1}, {7, 1}, {6, 1}, {5, 1}, {4, 1}, {3, 1}, {2, 1}, {1, 1}}, 0.9, 9},
		{"heavy low value", []vw{{1, 95}, {100, 5}}, 0.9, 1},
		{"heavy high value", []vw{{1, 85}, {100, 15}}, 0.9, 100},
		{"exactly 90% below", []vw{{1, 90}, {2, 10}}, 0.9, 1},
		{"ties", []vw{{3, 1}, {3, 1}, {3, 1}, {1, 1}}, 0.9, 3},
		{"median", []vw{{4, 1}, {1, 1}, {3, 1}, {2, 1}}, 0.5, 2},
		{"zero weights", []vw{{4, 0}, {1, 0}}, 0.9, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			total := 0.0
			for _, x := range tc.vw {
				total += x.w
			}
			if got := weightedQuantile(append([]vw(nil), tc.vw...), tc.q, total); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGrid(t *testing.T) {
	// A 10 km square with a 2×2 km hole in its middle cell block.
	holed := square("H", 0, 0, 10, 1000)
	holed.Geometry[0] = append(holed.Geometry[0], orb.Ring{eq(4, 4), eq(4, 6), eq(6, 6), eq(6, 4), eq(4, 4)})
	// A C-shaped commune whose centroid falls outside it, too small for
	// any 1 km cell centre.
	cshape := Commune{Code: "U", Population: 90, Geometry: orb.MultiPolygon{{{
		eq(0.1, 0.1), eq(0.4, 0.1), eq(0.4, 0.15), eq(0.15, 0.15), eq(0.15, 0.35), eq(0.4, 0.35), eq(0.4, 0.4), eq(0.1, 0.4), eq(0.1, 0.1),
	}}}}
	tests := []struct {
		name    string
		commune Commune
		cell    float64
		points  int
	}{
		{"10 km square, 1 km cells", square("Q", 0, 0, 10, 5000), 1000, 100},
		{"10 km square, default cells", square("Q", 0, 0, 10, 5000), 0, 100},
		{"10 km square, 5 km cells", square("Q", 0, 0, 10, 5000), 5000, 4},
		{"hole removes 4 cells", holed, 1000, 96},
		{"tiny square gets one point", square("T", 0.2, 0.2, 0.2, 7), 1000, 1},
		{"concave shape gets one point inside", cshape, 1000, 1},
		{"south of the equator", square("S", 3, -20, 10, 100), 1000, 100},
		{"no geometry", Commune{Code: "N", Population: 10}, 1000, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pts := Grid{CellMeters: tc.cell}.Demand([]Commune{tc.commune})
			if len(pts) != tc.points {
				t.Fatalf("%d points, want %d", len(pts), tc.points)
			}
			sum := 0.0
			for _, d := range pts {
				sum += d.Population
				if d.Commune != 0 || !planar.MultiPolygonContains(tc.commune.Geometry, d.Point) {
					t.Errorf("point %v outside its commune", d.Point)
				}
			}
			if tc.points > 0 && !near(sum, tc.commune.Population, 1e-12) {
				t.Errorf("population %v, want %v", sum, tc.commune.Population)
			}
		})
	}
}

func TestGridSharedLattice(t *testing.T) {
	// Two communes splitting a square along a wiggly border: together they
	// hold exactly the cells of the whole square.
	whole := square("W", 0, 0, 8, 100)
	left := Commune{Code: "L", Population: 50, Geometry: orb.MultiPolygon{{{eq(0, 0), eq(4.3, 0), eq(3.7, 4), eq(4.3, 8), eq(0, 8), eq(0, 0)}}}}
	right := Commune{Code: "R", Population: 50, Geometry: orb.MultiPolygon{{{eq(4.3, 0), eq(8, 0), eq(8, 8), eq(4.3, 8), eq(3.7, 4), eq(4.3, 0)}}}}
	all := Grid{}.Demand([]Commune{whole})
	parts := Grid{}.Demand([]Commune{left, right})
	if len(all) != len(parts) || len(all) != 64 {
		t.Fatalf("whole %d points, parts %d, want 64", len(all), len(parts))
	}
	seen := map[orb.Point]bool{}
	for _, d := range all {
		seen[d.Point] = true
	}
	for _, d := range parts {
		if !seen[d.Point] {
			t.Errorf("part point %v not on the whole's lattice", d.Point)
		}
	}
}

func TestFilters(t *testing.T) {
	communes := []Commune{square("A", 0, 0, 10, 1000)}
	sites := []Site{
		{ID: "1", Point: eq(2, 2), Services: []string{"Aide aux démarches administratives"}, Dispositifs: []string{"France Services"}},
		{ID: "2", Point: eq(3, 3), Services: []string{"Loisirs et créations numériques"}, Dispositifs: []string{"Conseillers numériques"}},
		{ID: "3", Point: eq(4, 4), Services: []string{"Aide aux démarches administratives", "Loisirs et créations numériques"}},
		{ID: "4", Point: eq(5, 5), Weight: 3},
	}
	m := NewModel(communes, sites, Grid{})
	tests := []struct {
		name                  string
		services, dispositifs []string
		sites                 int
	}{
		{"no filter", nil, nil, 4},
		{"one service", []string{"Aide aux démarches administratives"}, nil, 2},
		{"any of two services", []string{"Aide aux démarches administratives", "Loisirs et créations numériques"}, nil, 3},
		{"case and spaces", []string{" aide aux DÉMARCHES administratives "}, nil, 2},
		{"dispositif", nil, []string{"France Services"}, 1},
		{"service and dispositif", []string{"Loisirs et créations numériques"}, []string{"France Services"}, 0},
		{"unknown", []string{"Nothing"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			p.Services, p.Dispositifs = tc.services, tc.dispositifs
			res := m.Compute(p)
			if res.Region.Sites != tc.sites {
				t.Errorf("Sites = %d, want %d", res.Region.Sites, tc.sites)
			}
			if tc.sites == 0 {
				if res.Region.BeyondShare != 1 || res.Region.MeanMinutes != 0 || res.Region.Access != 0 {
					t.Errorf("no site: %+v", res.Region)
				}
			}
		})
	}
	// Weights: E2SFCA's supply sums to 1+1+1+3 over the population.
	if got, want := m.Compute(DefaultParams()).Region.Access, 6.0/1000*1e4; !near(got, want, 1e-9) {
		t.Errorf("weighted Access = %v, want %v", got, want)
	}
}

// TestTravelInterface: a routing whose engine is the crow-fly model and
// whose plausible pairs hold every site gives the crow-fly figures.
func TestTravelInterface(t *testing.T) {
	communes, sites := synthFrance(100, 25, 60, 7)
	m := NewModel(communes, sites, Grid{CellMeters: 2000})
	p := DefaultParams()
	want := m.Compute(p)
	tests := []struct {
		name   string
		travel Travel
		siting bool // same candidates as crow-fly
	}{
		{"crowfly value", Crowfly{Circuity: 1.3, SpeedKmh: 45}, true},
		{"routing, every site plausible", &Routing{Engine: Crowfly{1.3, 45}, K: 1000, CutoffKm: 10000}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			q.Travel = tc.travel
			sameResult(t, m.Compute(q), want, 1e-9)
			s := Scenario{Add: []Site{{ID: "new", Point: sites[3].Point}}, Remove: []string{sites[0].ID, sites[1].ID}}
			sameResult(t, m.Scenario(q, s).After, m.Scenario(p, s).After, 1e-9)
			if !tc.siting {
				return
			}
			a, b := m.Siting(q, SitingOptions{K: 3}), m.Siting(p, SitingOptions{K: 3})
			if len(a) != len(b) {
				t.Fatalf("siting: %d proposals, want %d", len(a), len(b))
			}
			for k := range a {
				if a[k].Point != b[k].Point || !near(a[k].Cumulative, b[k].Cumulative, 1e-9) {
					t.Errorf("proposal %d = %+v, want %+v", k, a[k], b[k])
				}
			}
		})
	}
}

func TestCrowfly(t *testing.T) {
	tests := []struct {
		name         string
		c            Crowfly
		a, b         orb.Point
		meters, mins float64
	}{
		{"10 km at defaults", Crowfly{}, eq(0, 0), eq(10, 0), 13000, 13000 / 750.0},
		{"1 km/min", Crowfly{1, 60}, eq(0, 0), eq(0, 7), 7000, 7},
		{"same point", Crowfly{}, eq(3, 3), eq(3, 3), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, min := tc.c.Distance(tc.a, tc.b)
			if !near(m, tc.meters, 1e-9) || !near(min, tc.mins, 1e-9) {
				t.Errorf("Distance = %v m, %v min; want %v, %v", m, min, tc.meters, tc.mins)
			}
			if tc.meters > 0 {
				if r := tc.c.Reach(tc.mins); !near(r*tc.c.norm().Circuity, tc.meters, 1e-9) {
					t.Errorf("Reach(%v) = %v", tc.mins, r)
				}
			}
		})
	}
}

// sameResult compares two results field by field.
func sameResult(t *testing.T, got, want *Result, tol float64) {
	t.Helper()
	levels := []struct {
		name      string
		got, want []Indicators
	}{
		{"commune", got.Communes, want.Communes},
		{"epci", got.EPCI, want.EPCI},
		{"departement", got.Departements, want.Departements},
		{"region", []Indicators{got.Region}, []Indicators{want.Region}},
	}
	bad := 0
	for _, l := range levels {
		if len(l.got) != len(l.want) {
			t.Fatalf("%s: %d territories, want %d", l.name, len(l.got), len(l.want))
		}
		for k := range l.got {
			if !sameIndicators(&l.got[k], &l.want[k], tol) {
				if bad++; bad <= 5 {
					t.Errorf("%s %s:\n got %+v\nwant %+v", l.name, l.want[k].Code, l.got[k], l.want[k])
				}
			}
		}
	}
}

func sameIndicators(a, b *Indicators, tol float64) bool {
	if a.Code != b.Code || a.Sites != b.Sites || len(a.Rank) != len(b.Rank) {
		return false
	}
	for k, r := range a.Rank {
		if b.Rank[k] != r && k != RankAccess {
			return false
		}
	}
	for _, f := range [][2]float64{
		{a.Population, b.Population}, {a.SitesPer10k, b.SitesPer10k},
		{a.MeanMinutes, b.MeanMinutes}, {a.P90Minutes, b.P90Minutes},
		{a.MeanKm, b.MeanKm}, {a.P90Km, b.P90Km},
		{a.BeyondPopulation, b.BeyondPopulation}, {a.BeyondShare, b.BeyondShare},
		{a.Access, b.Access},
	} {
		if !near(f[0], f[1], tol) {
			return false
		}
	}
	return true
}
