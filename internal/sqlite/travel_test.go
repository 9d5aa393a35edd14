package sqlite

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
)

// countingTravel is crow-fly travel that counts the cells it is asked and
// cannot reach east of 3.1°.
type countingTravel struct {
	mu    *sync.Mutex
	cells *int
}

func (c countingTravel) Matrix(ctx context.Context, src, dst []orb.Point) (*analysis.Matrix, error) {
	c.mu.Lock()
	*c.cells += len(src) * len(dst)
	c.mu.Unlock()
	m, err := analysis.Crowfly{}.Matrix(ctx, src, dst)
	if err != nil {
		return nil, err
	}
	for i := range src {
		for j := range dst {
			if dst[j][0] > 3.1 {
				m.Minutes[i][j], m.Meters[i][j] = math.Inf(1), math.Inf(1)
			}
		}
	}
	return m, nil
}

func tripRegion() ([]analysis.Commune, []analysis.Site) {
	var communes []analysis.Commune
	for k := range 9 {
		x0, y0 := 2.9+float64(k%3)*0.1, 49.9+float64(k/3)*0.1
		ring := orb.Ring{{x0, y0}, {x0 + 0.1, y0}, {x0 + 0.1, y0 + 0.1}, {x0, y0 + 0.1}, {x0, y0}}
		communes = append(communes, analysis.Commune{Code: fmt.Sprintf("59%03d", k), Population: 1000, Geometry: orb.MultiPolygon{{ring}}})
	}
	sites := []analysis.Site{{ID: "a", Point: orb.Point{2.95, 49.95}}, {ID: "b", Point: orb.Point{3.05, 50.05}},
		{ID: "c", Point: orb.Point{3.15, 50.15}}, {ID: "d", Point: orb.Point{3.15, 49.95}}}
	return communes, sites
}

// TestTripStoreAfterRestart: the trips asked once are read back from the
// file after a restart, and the engine is asked nothing; another travel
// key shares nothing.
func TestTripStoreAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trips.db")
	communes, sites := tripRegion()
	var mu sync.Mutex
	cells := 0
	run := func(key string) (*analysis.Result, int, int) {
		t.Helper()
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		store := db.TripStore(key, nil)
		mu.Lock()
		cells = 0
		mu.Unlock()
		m := analysis.NewModel(communes, sites, analysis.Grid{CellMeters: 2000})
		m.UseTravel(&analysis.Routing{Engine: countingTravel{&mu, &cells}, Name: "osrm", K: 3, CutoffKm: 20, Cache: store.ForVersion(7)})
		res, err := m.ComputeContext(context.Background(), analysis.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		return res, cells, store.Len()
	}
	first, asked, stored := run("osrm a:5000/driving")
	if asked == 0 || stored == 0 {
		t.Fatalf("first run: %d cells asked, %d trips stored", asked, stored)
	}
	again, asked2, stored2 := run("osrm a:5000/driving")
	if asked2 != 0 {
		t.Errorf("after a restart %d cells were asked again", asked2)
	}
	if stored2 != stored {
		t.Errorf("%d trips read back, %d stored", stored2, stored)
	}
	if !sameRegion(first.Region, again.Region) {
		t.Errorf("region %+v after restart, %+v before", again.Region, first.Region)
	}
	if first.Region.BeyondPopulation == 0 {
		t.Error("the unreachable places should leave people beyond the threshold")
	}
	_, asked3, _ := run("osrm b:5000/driving")
	if asked3 == 0 {
		t.Error("another engine's key read the first one's trips")
	}
}

func sameRegion(a, b analysis.Indicators) bool {
	return a.Population == b.Population && a.MeanMinutes == b.MeanMinutes && a.BeyondPopulation == b.BeyondPopulation &&
		a.Access == b.Access && a.P90Minutes == b.P90Minutes
}
