package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/osrm"
	"github.com/cartonum/cartonum/internal/osrm/osrmtest"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// regionDB imports region 32's places into a temporary database.
func regionDB(tb testing.TB) Config {
	tb.Helper()
	cfg := territoryConfig(tb, filepath.Join(tb.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(mirror(tb), "lieux-32-v1.csv")}
	doImport(tb, cfg)
	return cfg
}

// TestServeOSRM runs serve with --osrm on a fake OSRM: the answers name
// the model, a restart asks the engine nothing (the trips are in the
// database), a what-if asks only the new place's column, and an engine
// failure is a 503 with a French message.
func TestServeOSRM(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	cfg := regionDB(t)
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	cfg.Travel = TravelConfig{OSRM: fake.URL, K: 3, CutoffKm: 40, Timeout: 5 * time.Second, MaxCoordinates: 100, Concurrency: 2}
	start := func() (*Main, string) {
		t.Helper()
		m := NewMain(cfg, quietLogger())
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return m, "http://" + m.Addr()
	}
	region := func(base string) map[string]any {
		t.Helper()
		resp, b := get(t, base+"/api/indicators?level=region")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		var a struct {
			Params map[string]any   `json:"params"`
			Items  []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(fake.URL, "http://")
		if a.Params["travel_model"] != "osrm" || a.Params["travel_engine"] != host || a.Params["travel_k"] != 3.0 || a.Params["travel_cutoff_km"] != 40.0 {
			t.Errorf("params %v", a.Params)
		}
		return a.Items[0]
	}

	m, base := start()
	first := len(fake.Requests())
	if first == 0 {
		t.Fatal("the engine was asked nothing")
	}
	before := region(base)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	fake.Reset()
	m, base = start()
	defer m.Close()
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("after a restart the engine was asked %d requests (%d the first time)", n, first)
	}
	after := region(base)
	for _, k := range []string{"mean_minutes", "p90_minutes", "beyond_population", "access"} {
		if before[k] != after[k] {
			t.Errorf("%s %v after the restart, %v before", k, after[k], before[k])
		}
	}

	post := func() (*http.Response, []byte) {
		req, _ := http.NewRequest("POST", base+"/api/scenarios", strings.NewReader(`{"add":[{"lon":2.3,"lat":49.9}]}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp, []byte(b.String())
	}
	if resp, b := post(); resp.StatusCode != http.StatusOK {
		t.Fatalf("what-if: %d %s", resp.StatusCode, b)
	}
	for _, r := range fake.Requests() {
		if r.Destinations != 1 {
			t.Errorf("the what-if asked %d destinations, want the new place only", r.Destinations)
		}
	}
	// The engine fails: a place elsewhere needs its column.
	fake.Set(func(s *osrmtest.Server) { s.FailStatus = 502 })
	req, _ := http.NewRequest("POST", base+"/api/scenarios", strings.NewReader(`{"add":[{"lon":2.31,"lat":49.91}]}`))
	req.Header.Set("Content-Type", "application/json")
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Error string `json:"error"`
	}
	json.NewDecoder(r2.Body).Decode(&e)
	r2.Body.Close()
	if r2.StatusCode != http.StatusServiceUnavailable || !strings.Contains(e.Error, "calculateur d'itinéraires (osrm) ne répond pas") {
		t.Errorf("engine down: %d %q", r2.StatusCode, e.Error)
	}
}

// BenchmarkRegionOSRM builds region 32's matrix of plausible pairs
// against the fake OSRM (requests, cells, pairs asked of all pairs), then
// computes the region's indicators from it, as a server does once the
// matrix is cached.
func BenchmarkRegionOSRM(b *testing.B) {
	fake := osrmtest.New()
	defer fake.Close()
	cfg := regionDB(b)
	db, err := sqlite.Open(context.Background(), cfg.DB)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	snap, err := loadSnapshot(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	c, err := osrm.New(osrm.Config{URL: fake.URL, Concurrency: 2})
	if err != nil {
		b.Fatal(err)
	}
	store := db.TripStore(c.Key(), nil)
	gcfg := generation.Config{NoTiles: true, Routing: &analysis.Routing{Engine: c, Name: "osrm", Host: c.Host(), Concurrency: 2},
		TripCache: func(v int64) analysis.TripCache { return store.ForVersion(v) }}
	t0 := time.Now()
	gen, err := generation.Build(context.Background(), snap, gcfg)
	if err != nil {
		b.Fatal(err)
	}
	build := time.Since(t0)
	reqs, cells := c.Stats()
	m := gen.Model()
	points, sites := len(m.DemandPoints()), len(m.Sites())
	pairs := store.Len()

	// A restart: a new store reads the trips back from the file.
	store2 := db.TripStore(c.Key(), nil)
	gcfg.TripCache = func(v int64) analysis.TripCache { return store2.ForVersion(v) }
	t1 := time.Now()
	if _, err := generation.Build(context.Background(), snap, gcfg); err != nil {
		b.Fatal(err)
	}
	restart := time.Since(t1)
	if r2, _ := c.Stats(); r2 != reqs {
		b.Fatalf("the restart asked %d requests", r2-reqs)
	}

	p := analysis.DefaultParams()
	i := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.ThresholdMin = 10 + float64(i%100)*0.5 // a new request each time: the matrix is reused, not the result
		i++
		if _, err := m.ComputeContext(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()

	// A what-if adding one place, then a siting of 5 places, from the
	// cached matrix: what they ask of the engine.
	p = analysis.DefaultParams()
	r0, c0 := c.Stats()
	t2 := time.Now()
	if _, err := m.ScenarioContext(context.Background(), p, analysis.Scenario{Add: []analysis.Site{{ID: "new", Point: orb.Point{2.3, 49.9}}}}); err != nil {
		b.Fatal(err)
	}
	whatif := time.Since(t2)
	r1, c1 := c.Stats()
	t3 := time.Now()
	if _, err := m.SitingContext(context.Background(), p, analysis.SitingOptions{K: 5}); err != nil {
		b.Fatal(err)
	}
	siting := time.Since(t3)
	r2, c2 := c.Stats()
	b.ReportMetric(float64(whatif.Milliseconds()), "whatif-ms")
	b.ReportMetric(float64(r1-r0), "whatif-requests")
	b.ReportMetric(float64(c1-c0), "whatif-cells")
	b.ReportMetric(float64(siting.Milliseconds()), "siting5-ms")
	b.ReportMetric(float64(r2-r1), "siting5-requests")
	b.ReportMetric(float64(c2-c1), "siting5-cells")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(restart.Milliseconds()), "restart-ms")
	b.ReportMetric(float64(reqs), "requests")
	b.ReportMetric(float64(cells), "cells")
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(float64(points)*float64(sites), "all-pairs")
}

// TestAnalyseOSRM: analyse --osrm writes indicators on the road network,
// named so in its params, and fails with the engine's error when it is
// down.
func TestAnalyseOSRM(t *testing.T) {
	fake := osrmtest.New()
	defer fake.Close()
	cfg := regionDB(t)
	cfg.Level, cfg.Format = "departement", "json"
	cfg.Travel = TravelConfig{OSRM: fake.URL, K: 2, CutoffKm: 30, Timeout: 5 * time.Second, MaxCoordinates: 100, Concurrency: 2}
	var out strings.Builder
	if err := runAnalyse(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	var a struct {
		Params analysis.Params `json:"params"`
		Items  []any           `json:"items"`
	}
	if err := json.Unmarshal([]byte(out.String()), &a); err != nil {
		t.Fatal(err)
	}
	if a.Params.TravelModel != "osrm" || a.Params.TravelK != 2 || len(a.Items) != 5 {
		t.Errorf("params %+v, %d items", a.Params, len(a.Items))
	}
	// Down, and a cache that does not hold a new filter's pairs.
	fake.Set(func(s *osrmtest.Server) { s.FailStatus = 503 })
	cfg.Services = "Maîtrise des outils numériques du quotidien"
	cfg.Travel.Timeout = 200 * time.Millisecond
	err := runAnalyse(context.Background(), cfg, &out)
	var te *analysis.TravelError
	if !errors.As(err, &te) || !te.Unavailable() {
		t.Errorf("error %v, want the engine's", err)
	}
}
