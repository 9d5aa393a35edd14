package osrm_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/osrm"
	"github.com/cartonum/cartonum/internal/osrm/osrmtest"
)

func client(t *testing.T, fake *osrmtest.Server, cfg osrm.Config) *osrm.Client {
	t.Helper()
	cfg.URL = fake.URL
	c, err := osrm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// grid returns n points on a 0.01° lattice near Amiens.
func grid(n int, lon0 float64) []orb.Point {
	var out []orb.Point
	for k := range n {
		out = append(out, orb.Point{lon0 + float64(k%10)*0.01, 49.9 + float64(k/10)*0.01})
	}
	return out
}

func TestMatrixHandChecked(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	c := client(t, fake, osrm.Config{})
	src := []orb.Point{{2.30, 49.90}, {2.31, 49.90}}
	dst := []orb.Point{{2.30, 49.90}, {2.30, 49.92}, {2.33, 49.91}}
	m, err := c.Matrix(context.Background(), src, dst)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: 0.02° of latitude is 2,226.4 m, 222.6 s (3.71 min); from
	// the second source to the first destination, 0.01° of longitude at
	// 49.9° N: 111,320 × cos(49.9°) / 100 = 717.0 m, 71.7 s.
	cases := []struct {
		i, j           int
		meters, minute float64
	}{
		{0, 0, 0, 0},
		{0, 1, 2226.4, 222.6 / 60},
		{1, 0, 717.0, 71.7 / 60},
	}
	for _, tc := range cases {
		if got := m.Meters[tc.i][tc.j]; math.Abs(got-tc.meters) > 0.05 {
			t.Errorf("meters[%d][%d] = %v, want %v", tc.i, tc.j, got, tc.meters)
		}
		if got := m.Minutes[tc.i][tc.j]; math.Abs(got-tc.minute) > 1e-9 {
			t.Errorf("minutes[%d][%d] = %v, want %v", tc.i, tc.j, got, tc.minute)
		}
	}
	for i := range src {
		for j := range dst {
			mt, sec := osrmtest.Trip(src[i], dst[j])
			if m.Meters[i][j] != mt || m.Minutes[i][j] != sec/60 {
				t.Errorf("[%d][%d] = %v m %v min, metric %v m %v s", i, j, m.Meters[i][j], m.Minutes[i][j], mt, sec)
			}
		}
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0] != (osrmtest.Request{Sources: 2, Destinations: 3}) {
		t.Errorf("requests %+v, want one of 2 × 3", reqs)
	}
}

func TestMatrixBatching(t *testing.T) {
	tests := []struct {
		name     string
		src, dst int
		max      int
		fakeMax  int
		requests int
	}{
		{"fits in one", 40, 60, 100, 100, 1},
		{"many sources", 250, 30, 100, 100, 4},   // 70 sources + 30 destinations each
		{"many of both", 120, 120, 100, 100, 12}, // 50 × 50 → 3 × 3... sources in 50s
		{"small table size", 30, 30, 20, 10, 9},  // 10 × 10 within 10²
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := osrmtest.New()
			defer fake.Close()
			fake.Set(func(s *osrmtest.Server) { s.MaxTableSize = tc.fakeMax })
			c := client(t, fake, osrm.Config{MaxCoordinates: tc.max, Concurrency: 3})
			src, dst := grid(tc.src, 2.3), grid(tc.dst, 2.5)
			m, err := c.Matrix(context.Background(), src, dst)
			if err != nil {
				t.Fatal(err)
			}
			for i := range src {
				for j := range dst {
					mt, sec := osrmtest.Trip(src[i], dst[j])
					if m.Meters[i][j] != mt || m.Minutes[i][j] != sec/60 {
						t.Fatalf("[%d][%d] = %v m, %v min; want %v, %v", i, j, m.Meters[i][j], m.Minutes[i][j], mt, sec/60)
					}
				}
			}
			reqs := fake.Requests()
			cells := 0
			for _, r := range reqs {
				if r.Sources+r.Destinations > tc.max {
					t.Errorf("request of %d + %d coordinates, max %d", r.Sources, r.Destinations, tc.max)
				}
				cells += r.Sources * r.Destinations
			}
			if cells != tc.src*tc.dst {
				t.Errorf("%d cells asked, want %d", cells, tc.src*tc.dst)
			}
			t.Logf("%d requests", len(reqs))
			if n, _ := c.Stats(); int(n) != len(reqs) {
				t.Errorf("Stats: %d requests, the server saw %d", n, len(reqs))
			}
		})
	}
}

func TestMatrixNullIsUnreachable(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	fake.Set(func(s *osrmtest.Server) { s.Wall = 2.4 })
	c := client(t, fake, osrm.Config{})
	m, err := c.Matrix(context.Background(), []orb.Point{{2.3, 49.9}}, []orb.Point{{2.35, 49.9}, {2.45, 49.9}})
	if err != nil {
		t.Fatal(err)
	}
	if math.IsInf(m.Minutes[0][0], 1) || !math.IsInf(m.Minutes[0][1], 1) || !math.IsInf(m.Meters[0][1], 1) {
		t.Errorf("minutes %v, meters %v: want the second unreachable", m.Minutes[0], m.Meters[0])
	}
}

func TestMatrixFailures(t *testing.T) {
	tests := []struct {
		name        string
		set         func(s *osrmtest.Server)
		cfg         osrm.Config
		wantOK      bool
		unavailable bool
		status      int
		requests    int // -1: not checked
	}{
		{"5xx retried then answered", func(s *osrmtest.Server) { s.FailStatus, s.FailCount = 503, 2 },
			osrm.Config{Retries: 2}, true, false, 0, 3},
		{"5xx every time", func(s *osrmtest.Server) { s.FailStatus = 502 },
			osrm.Config{Retries: 2}, false, true, 502, 3},
		{"4xx not retried", func(s *osrmtest.Server) { s.FailStatus, s.FailCount = 400, 1 },
			osrm.Config{Retries: 2}, false, false, 400, -1},
		{"too slow", func(s *osrmtest.Server) { s.Delay = 2 * time.Second },
			osrm.Config{Timeout: 50 * time.Millisecond}, false, true, 0, -1},
		{"table too big for the server", func(s *osrmtest.Server) { s.MaxTableSize = 5 },
			osrm.Config{MaxCoordinates: 100}, false, false, 400, -1},
		{"rows missing", func(s *osrmtest.Server) { s.Truncate = true },
			osrm.Config{}, false, false, 200, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := osrmtest.New()
			defer fake.Close()
			fake.Set(tc.set)
			c := client(t, fake, tc.cfg)
			m, err := c.Matrix(context.Background(), grid(20, 2.3), grid(20, 2.5))
			if tc.wantOK {
				if err != nil || m == nil {
					t.Fatalf("error %v", err)
				}
			} else {
				if err == nil || m != nil {
					t.Fatalf("no error, matrix %v", m != nil)
				}
				var oe *osrm.Error
				if !errors.As(err, &oe) || oe.Status != tc.status {
					t.Errorf("error %v (%T), want an *osrm.Error of status %d", err, err, tc.status)
				}
				if got := errors.Is(err, analysis.ErrTravelUnavailable); got != tc.unavailable {
					t.Errorf("unavailable = %v, want %v (%v)", got, tc.unavailable, err)
				}
			}
			if n := len(fake.Requests()); tc.requests >= 0 && n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

// TestPartialFailure: one block of many fails, the whole call fails.
func TestPartialFailure(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	c := client(t, fake, osrm.Config{MaxCoordinates: 20, Concurrency: 1, Retries: -1})
	fake.Set(func(s *osrmtest.Server) { s.FailStatus, s.FailCount = 500, 1 })
	m, err := c.Matrix(context.Background(), grid(60, 2.3), grid(10, 2.5))
	if err == nil || m != nil {
		t.Fatalf("a failed block gave a matrix (err %v)", err)
	}
}

func TestEngineDown(t *testing.T) {
	fake := osrmtest.New()
	url := fake.URL
	fake.Close()
	c, err := osrm.New(osrm.Config{URL: url, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Matrix(context.Background(), grid(2, 2.3), grid(2, 2.5))
	if !errors.Is(err, analysis.ErrTravelUnavailable) {
		t.Errorf("error %v, want unavailable", err)
	}
}

func TestNewChecksURL(t *testing.T) {
	for _, u := range []string{"", "localhost:5000", "ftp://x", "http://"} {
		if _, err := osrm.New(osrm.Config{URL: u}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	c, err := osrm.New(osrm.Config{URL: "http://user:secret@osrm.example:5000/base/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Host() != "osrm.example:5000" || c.Key() != "osrm osrm.example:5000/base/driving" {
		t.Errorf("Host %q, Key %q", c.Host(), c.Key())
	}
}

// synth is a small region: communes on a 0.05° lattice, one demand point
// per 0.01°, sites at random.
func synth(seed uint64, nsites int) ([]analysis.Commune, []analysis.Site) {
	rng := rand.New(rand.NewPCG(seed, 1))
	var communes []analysis.Commune
	for r := range 6 {
		for c := range 6 {
			x0, y0 := 2.0+float64(c)*0.05, 49.7+float64(r)*0.05
			ring := orb.Ring{{x0, y0}, {x0 + 0.05, y0}, {x0 + 0.05, y0 + 0.05}, {x0, y0 + 0.05}, {x0, y0}}
			communes = append(communes, analysis.Commune{Code: fmt.Sprintf("80%03d", r*6+c), Name: "C", EPCI: "E", Departement: "80",
				Population: float64(100 + rng.IntN(2000)), Geometry: orb.MultiPolygon{{ring}}})
		}
	}
	var sites []analysis.Site
	for k := range nsites {
		sites = append(sites, analysis.Site{ID: fmt.Sprintf("s%02d", k), Point: orb.Point{2.0 + rng.Float64()*0.3, 49.7 + rng.Float64()*0.3}})
	}
	return communes, sites
}

// TestModelOverOSRM: the model over the fake OSRM gives the trips of a
// brute-force search over the plausible pairs with the fake's metric, and
// adding a place never lengthens a trip.
func TestModelOverOSRM(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	c := client(t, fake, osrm.Config{MaxCoordinates: 50})
	communes, sites := synth(3, 12)
	rt := &analysis.Routing{Engine: c, Name: "osrm", Host: c.Host(), K: 3, CutoffKm: 12, MaxCoordinates: c.MaxCoordinates()}
	m := analysis.NewModel(communes, sites, analysis.Grid{CellMeters: 1000})
	p := analysis.DefaultParams()
	p.Travel = rt
	before := m.Points(p)
	pts := m.DemandPoints()
	for i, o := range before {
		want := math.Inf(1)
		for _, j := range nearestK(pts[i].Point, sites, rt.K, rt.CutoffKm) {
			// The client sends coordinates to the micro-degree.
			_, sec := osrmtest.Trip(micro(pts[i].Point), micro(sites[j].Point))
			want = math.Min(want, sec/60)
		}
		if o.Reached != !math.IsInf(want, 1) || (o.Reached && o.Minutes != want) {
			t.Fatalf("point %d: %v min (reached %v), brute force %v", i, o.Minutes, o.Reached, want)
		}
	}
	for _, r := range fake.Requests() {
		if r.Sources+r.Destinations > 50 {
			t.Errorf("request of %d + %d coordinates", r.Sources, r.Destinations)
		}
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := range 4 {
		t.Run(fmt.Sprint("add a place ", trial), func(t *testing.T) {
			added := analysis.Site{ID: "new", Point: orb.Point{2.0 + rng.Float64()*0.3, 49.7 + rng.Float64()*0.3}}
			fake.Reset()
			r, err := m.ScenarioContext(context.Background(), p, analysis.Scenario{Add: []analysis.Site{added}})
			if err != nil {
				t.Fatal(err)
			}
			// Only the new place's column was asked.
			for _, q := range fake.Requests() {
				if q.Destinations != 1 {
					t.Errorf("what-if request of %d destinations, want the new place only", q.Destinations)
				}
			}
			if len(r.Points) == 0 {
				t.Error("no trip changed")
			}
			for _, ch := range r.Points {
				if !ch.Reached || (before[ch.Index].Reached && ch.Minutes > before[ch.Index].Minutes) {
					t.Errorf("point %d: %+v after adding a place, %v min before", ch.Index, ch, before[ch.Index].Minutes)
				}
			}
		})
	}
}

func micro(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

func nearestK(p orb.Point, sites []analysis.Site, k int, cutKm float64) []int {
	type sd struct {
		j int
		d float64
	}
	var c []sd
	for j, s := range sites {
		d := greatCircle(p, s.Point)
		if d <= cutKm*1000 {
			c = append(c, sd{j, d})
		}
	}
	for a := 1; a < len(c); a++ {
		for b := a; b > 0 && (c[b].d < c[b-1].d); b-- {
			c[b], c[b-1] = c[b-1], c[b]
		}
	}
	var out []int
	for _, x := range c[:min(k, len(c))] {
		out = append(out, x.j)
	}
	return out
}

func greatCircle(a, b orb.Point) float64 {
	rad := math.Pi / 180
	la1, la2 := a[1]*rad, b[1]*rad
	dla, dlo := la2-la1, (b[0]-a[0])*rad
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * orb.EarthRadius * math.Asin(math.Sqrt(h))
}
