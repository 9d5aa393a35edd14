package analysis

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// TestDeterministic checks that results depend neither on the order of the
// inputs nor on the number of processors.
func TestDeterministic(t *testing.T) {
	communes, sites := synthFrance(400, 80, 100, 21)
	p := DefaultParams()
	want := NewModel(communes, sites, Grid{}).Compute(p)
	wantPlan := NewModel(communes, sites, Grid{}).Siting(p, SitingOptions{K: 4})

	rng := rand.New(rand.NewPCG(1, 2))
	shuffled := func() ([]Commune, []Site) {
		c, s := slices.Clone(communes), slices.Clone(sites)
		rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return c, s
	}
	tests := []struct {
		name  string
		procs int
	}{
		{"shuffled inputs", 0},
		{"one processor", 1},
		{"three processors", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.procs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			}
			c, s := shuffled()
			m := NewModel(c, s, Grid{})
			sameResult(t, m.Compute(p), want, 0)
			if got := m.Siting(p, SitingOptions{K: 4}); !slices.Equal(got, wantPlan) {
				t.Errorf("siting %+v, want %+v", got, wantPlan)
			}
		})
	}
}

// TestInteriorGiven: communes given with their Interior (as the index
// computes it) make the model that computes it.
func TestInteriorGiven(t *testing.T) {
	communes, sites := synthFrance(400, 80, 100, 21)
	p := DefaultParams()
	want := NewModel(communes, sites, Grid{})
	given := slices.Clone(communes)
	for i := range given {
		given[i].Interior = InteriorPoint(given[i].Geometry)
	}
	// Cells as large as communes: the smallest hold no cell centre and
	// are one demand point, their interior point.
	for _, grid := range []Grid{{}, {CellMeters: 40000}} {
		want, m := NewModel(communes, sites, grid), NewModel(given, sites, grid)
		if !slices.Equal(m.points, want.points) || !slices.Equal(m.anchors, want.anchors) {
			t.Fatalf("grid %v: demand points or anchors differ", grid)
		}
		sameResult(t, m.Compute(p), want.Compute(p), 0)
	}
	m, fallback := NewModel(given, sites, Grid{CellMeters: 40000}), 0
	for c := range m.communes {
		if m.cstart[c+1]-m.cstart[c] == 1 && m.points[m.cstart[c]].Point == m.anchors[c] {
			fallback++
		}
	}
	if fallback == 0 {
		t.Error("no commune is its interior point: the test tests nothing of the grid")
	}
	if got, wantPlan := NewModel(given, sites, Grid{}).Siting(p, SitingOptions{K: 4}), want.Siting(p, SitingOptions{K: 4}); !slices.Equal(got, wantPlan) {
		t.Errorf("siting %+v, want %+v", got, wantPlan)
	}
}

// TestConcurrentUse runs requests on one model from several goroutines
// (meaningful with -race).
func TestConcurrentUse(t *testing.T) {
	communes, sites := synthFrance(225, 40, 80, 5)
	m := NewModel(communes, sites, Grid{})
	params := make([]Params, 6) // more than the cache holds
	for k := range params {
		params[k] = DefaultParams()
		params[k].ThresholdMin = float64(10 + 2*k)
	}
	ref := NewModel(communes, sites, Grid{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 12 {
				p := params[(g+k)%len(params)]
				switch k % 4 {
				case 0:
					m.Compute(p)
				case 1:
					m.Scenario(p, Scenario{Remove: []string{sites[k].ID}})
				case 2:
					m.Detail(p, LevelRegion, "")
				case 3:
					m.Siting(p, SitingOptions{K: 2})
				}
			}
		}()
	}
	wg.Wait()
	for _, p := range params {
		sameResult(t, m.Compute(p), ref.Compute(p), 0)
	}
}
