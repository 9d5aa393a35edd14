package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/osrm"
	"github.com/cartonum/cartonum/internal/osrm/osrmtest"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// osrmServer is the API over the fixture with travel times from a fake
// OSRM on loopback.
func osrmServer(t *testing.T, timeout time.Duration) (string, *osrmtest.Server) {
	t.Helper()
	fake := osrmtest.New()
	t.Cleanup(fake.Close)
	c, err := osrm.New(osrm.Config{URL: fake.URL, Timeout: timeout, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	cfg := generation.DefaultConfig()
	cfg.Routing = &analysis.Routing{Engine: c, Name: "osrm", Host: c.Host(), K: 2, CutoffKm: 30}
	g, err := generation.Build(context.Background(), index.New(fixtureData()), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := New(generation.NewLive(g), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL, fake
}

// TestTravelModelInParams: every answer's params name the travel model.
func TestTravelModelInParams(t *testing.T) {
	base, fake := osrmServer(t, time.Second)
	host := strings.TrimPrefix(fake.URL, "http://")
	crow := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	type params struct {
		Model    string  `json:"travel_model"`
		Engine   string  `json:"travel_engine"`
		K        int     `json:"travel_k"`
		CutoffKm float64 `json:"travel_cutoff_km"`
	}
	for _, tc := range []struct {
		name, base string
		want       params
	}{
		{"osrm", base, params{"osrm", host, 2, 30}},
		{"crowfly", crow.URL, params{Model: "crowfly"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, req := range []struct{ method, path, body string }{
				{"GET", "/api/indicators?level=epci", ""},
				{"GET", "/api/indicators/commune/80021", ""},
				{"GET", "/api/siting?k=1", ""},
				{"POST", "/api/scenarios", `{"add":[{"lon":2.42,"lat":49.93}]}`},
			} {
				resp, body := do(t, req.method, tc.base+req.path, map[string]string{"Content-Type": "application/json"}, strings.NewReader(req.body))
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s %s: %d %s", req.method, req.path, resp.StatusCode, body)
				}
				var a struct {
					Params params `json:"params"`
				}
				if err := json.Unmarshal(body, &a); err != nil || a.Params != tc.want {
					t.Errorf("%s %s: params %+v, want %+v (%v)", req.method, req.path, a.Params, tc.want, err)
				}
			}
		})
	}
}

// TestTravelEngineFailure: when the engine fails, indicators, detail,
// siting and scenarios answer 503 or 502 with a French message, never
// crow-fly figures.
func TestTravelEngineFailure(t *testing.T) {
	tests := []struct {
		name    string
		set     func(s *osrmtest.Server)
		timeout time.Duration
		status  int
		words   string
	}{
		{"engine down", func(s *osrmtest.Server) { s.FailStatus = 503 }, time.Second, 503, "ne répond pas"},
		{"engine too slow", func(s *osrmtest.Server) { s.Delay = 2 * time.Second }, 50 * time.Millisecond, 503, "ne répond pas"},
		{"engine refuses", func(s *osrmtest.Server) { s.FailStatus = 400 }, time.Second, 502, "a répondu par une erreur"},
	}
	// A filter the build did not compute: its sites' pairs are asked.
	filter := "services=" + url.QueryEscape("Maîtrise des outils numériques du quotidien")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, fake := osrmServer(t, tc.timeout)
			fake.Set(tc.set)
			for _, req := range []struct{ method, path, body string }{
				{"GET", "/api/indicators?" + filter, ""},
				{"GET", "/api/indicators/commune/80021?" + filter, ""},
				{"GET", "/api/siting?k=1&" + filter, ""},
				{"POST", "/api/scenarios", `{"add":[{"lon":2.42,"lat":49.93}]}`},
			} {
				resp, body := do(t, req.method, base+req.path, map[string]string{"Content-Type": "application/json"}, strings.NewReader(req.body))
				if resp.StatusCode != tc.status {
					t.Fatalf("%s %s: %d %s, want %d", req.method, req.path, resp.StatusCode, body, tc.status)
				}
				msg := errorMessage(t, resp, body)
				if !strings.Contains(msg, "calculateur d'itinéraires (osrm)") || !strings.Contains(msg, tc.words) {
					t.Errorf("%s %s: message %q", req.method, req.path, msg)
				}
			}
		})
	}
}
