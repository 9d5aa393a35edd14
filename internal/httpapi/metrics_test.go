package httpapi

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	dto "github.com/prometheus/client_model/go"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/metrics"
)

// gathered is what a registry holds: value by metric name and labels
// ("name{a=x,b=y}", labels sorted by name as the registry gives them).
func gathered(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			var labels []string
			for _, l := range mt.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := mf.GetName()
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			out[key] = value(mt)
		}
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return 0
}

// TestMetrics: after a tour of the whole API, /metrics counts the
// requests by route pattern (never a raw path), the proposals received
// and decided, the tile cache, the generation and the imports.
func TestMetrics(t *testing.T) {
	ss := newSpecServer(t)
	ss.tour(t, func(*testing.T, specCase, *http.Request, *http.Response, []byte) {})
	tile := maptile.At(orb.Point{2.30, 49.90}, 11)
	for range 2 { // a miss, then a hit
		if resp, b := do(t, "GET", ss.URL+fmt.Sprintf("/tiles/communes/11/%d/%d.mvt", tile.X, tile.Y), nil, nil); resp.StatusCode != 200 {
			t.Fatalf("tile: %d %s", resp.StatusCode, b)
		}
	}
	do(t, "GET", ss.URL+"/carte", nil, nil)
	do(t, "GET", ss.URL+"/api/nope/lieu-1", nil, nil)

	resp, body := do(t, "GET", ss.URL+"/metrics", nil, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, line := range []string{
		"# TYPE cartonum_http_requests_total counter",
		"# TYPE cartonum_http_request_duration_seconds histogram",
		`cartonum_http_requests_total{code="200",method="GET",route="/api/sites/{id}"} 1`,
		`cartonum_http_requests_total{code="404",method="GET",route="/api/sites/{id}"} 1`,
		`cartonum_http_requests_total{code="201",method="POST",route="/api/propositions"} 2`,
		`cartonum_proposals_total{outcome="received"} 2`,
		`cartonum_proposals_total{outcome="accepted"} 1`,
		`cartonum_proposals_total{outcome="refused"} 1`,
		"# TYPE cartonum_tile_cache_hits_total counter",
		"# TYPE cartonum_data_version gauge",
		"# TYPE go_goroutines gauge",
	} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}

	got := gathered(t, ss.prom)
	// Route labels are patterns of the router, or "other": never a raw
	// path (lieu-1, 80021, a tile's coordinates, a token).
	patterns := map[string]bool{metrics.OtherRoute: true}
	for _, rt := range routes(t, ss.Server) {
		patterns[rt[1]] = true
	}
	for key := range got {
		if !strings.HasPrefix(key, "cartonum_http_request") {
			continue
		}
		// route is the last label (they are sorted by name).
		route := strings.TrimSuffix(key[strings.Index(key, "route=")+len("route="):], "}")
		if !patterns[route] {
			t.Errorf("%s: route label %q is not a route pattern", key, route)
		}
	}
	if n := got["cartonum_http_requests_total{code=200,method=GET,route=other}"]; n < 1 {
		t.Errorf("the page /carte is not counted under route=other: %v", n)
	}
	if n := got["cartonum_http_requests_total{code=404,method=GET,route=other}"]; n < 1 {
		t.Errorf("the 404 of /api/nope/lieu-1 is not counted under route=other: %v", n)
	}
	if n := got["cartonum_http_request_duration_seconds{method=GET,route=/tiles/{layer}/{z}/{x}/{y}}"]; n < 4 {
		t.Errorf("tile durations observed %v times, want ≥ 4", n)
	}
	if got["cartonum_tile_cache_hits_total"] < 1 || got["cartonum_tile_cache_misses_total"] < 1 ||
		got["cartonum_tile_cache_bytes"] <= 0 || got["cartonum_tile_cache_tiles"] < 1 {
		t.Errorf("tile cache: hits %v misses %v bytes %v tiles %v", got["cartonum_tile_cache_hits_total"],
			got["cartonum_tile_cache_misses_total"], got["cartonum_tile_cache_bytes"], got["cartonum_tile_cache_tiles"])
	}
	g := ss.live.Load()
	if got["cartonum_data_version"] != float64(g.Version()) || g.Version() < 2 {
		t.Errorf("data version %v, generation %d (the accepted report made a new one)", got["cartonum_data_version"], g.Version())
	}
	if got["cartonum_generation_build_seconds"] != g.BuildTime().Seconds() || got["cartonum_generation_build_seconds"] <= 0 {
		t.Errorf("build seconds %v, generation %v", got["cartonum_generation_build_seconds"], g.BuildTime())
	}
	imports, err := ss.db.Imports(context.Background())
	if err != nil || len(imports) == 0 {
		t.Fatalf("imports: %v %v", imports, err)
	}
	if got["cartonum_imports_total"] != float64(len(imports)) || got["cartonum_last_import_timestamp_seconds"] <= 0 {
		t.Errorf("imports %v (database: %d), last %v", got["cartonum_imports_total"], len(imports), got["cartonum_last_import_timestamp_seconds"])
	}
	if got["cartonum_import_rows_total{outcome=read}"] != 4 || got["cartonum_import_rows_total{outcome=rejected}"] != 1 ||
		got["cartonum_last_import_timestamp_seconds"] != float64(imports[0].FinishedAt.Unix()) {
		t.Errorf("rows read %v, rejected %v, last import at %v; database %+v", got["cartonum_import_rows_total{outcome=read}"],
			got["cartonum_import_rows_total{outcome=rejected}"], got["cartonum_last_import_timestamp_seconds"], imports)
	}
}

// TestMetricsNotPublic: with the metrics served elsewhere (serve
// --metrics-addr), /metrics answers 404 on the API but requests are still
// counted.
func TestMetricsNotPublic(t *testing.T) {
	m := metrics.New()
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).WithMetrics(m, false)
	hs := httptest.NewServer(s)
	defer hs.Close()
	resp, b := do(t, "GET", hs.URL+"/metrics", nil, nil)
	if resp.StatusCode != 404 || strings.Contains(string(b), "cartonum_") {
		t.Fatalf("/metrics on the API: %d %.200s", resp.StatusCode, b)
	}
	errorMessage(t, resp, b)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `cartonum_http_requests_total{code="404",method="GET",route="/metrics"} 1`) {
		t.Errorf("the refused scrape is not counted:\n%s", rec.Body.String())
	}
}

// TestTileCacheCountersSurviveReload: each generation has its own tile
// cache; the hit and miss counters keep the figures of the generations
// served before (a counter never goes down).
func TestTileCacheCountersSurviveReload(t *testing.T) {
	live := liveOf(t, fixtureData())
	m := metrics.New()
	m.WatchGeneration(live)
	s := New(live, DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).WithMetrics(m, true)
	hs := httptest.NewServer(s)
	defer hs.Close()
	tile := maptile.At(orb.Point{2.30, 49.90}, 12)
	get := func() {
		t.Helper()
		if resp, b := do(t, "GET", hs.URL+fmt.Sprintf("/tiles/communes/12/%d/%d.mvt", tile.X, tile.Y), nil, nil); resp.StatusCode != 200 {
			t.Fatalf("tile: %d %s", resp.StatusCode, b)
		}
	}
	get()
	get()
	before := gathered(t, m)
	d := fixtureData()
	d.Version = 2
	g, err := generation.Build(context.Background(), index.New(d), generation.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	live.Swap(g)
	mid := gathered(t, m)
	get()
	get()
	after := gathered(t, m)
	for _, name := range []string{"cartonum_tile_cache_hits_total", "cartonum_tile_cache_misses_total"} {
		if before[name] < 1 || mid[name] < before[name] || after[name] <= mid[name] {
			t.Errorf("%s: %v before the reload, %v just after, %v after two more requests", name, before[name], mid[name], after[name])
		}
	}
	if mid["cartonum_data_version"] != 2 {
		t.Errorf("data version %v after the swap", mid["cartonum_data_version"])
	}
}
