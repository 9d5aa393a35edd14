package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// statusCounter records every WriteHeader call.
type statusCounter struct {
	*httptest.ResponseRecorder
	statuses []int
}

func (w *statusCounter) WriteHeader(code int) {
	w.statuses = append(w.statuses, code)
	w.ResponseRecorder.WriteHeader(code)
}

// TestTimeoutOneStatus: a long computation past the request's time limit
// stops and answers one 503, never a 200 then a second status after the
// handler ends.
func TestTimeoutOneStatus(t *testing.T) {
	cfg := DefaultConfig()
	cfg.RequestTimeout = time.Nanosecond
	s := New(liveOf(t, fixtureData()), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, u := range []string{"/api/siting?k=2", "/api/indicators?threshold_min=25", "/api/whitezones?speed_kmh=30",
		"/api/indicators/commune/80021?circuity=1.5"} {
		t.Run(u, func(t *testing.T) {
			w := &statusCounter{ResponseRecorder: httptest.NewRecorder()}
			s.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
			if len(w.statuses) != 1 || w.statuses[0] != http.StatusServiceUnavailable {
				t.Fatalf("statuses %v, want one 503; body %s", w.statuses, w.Body)
			}
		})
	}
}

// TestConfigTables: /api/config serves the tables the web app must not
// copy: vocabularies, parameter bounds, indicator fields.
func TestConfigTables(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	resp, body := do(t, "GET", ts.URL+"/api/config", nil, nil)
	var c struct {
		Vocabularies map[string][]string `json:"vocabularies"`
		Params       struct {
			Bounds analysis.Bounds `json:"bounds"`
		} `json:"params"`
		Indicators []analysis.Field `json:"indicators"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &c) != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if len(c.Vocabularies["services"]) == 0 || len(c.Vocabularies["dispositif_programmes_nationaux"]) == 0 {
		t.Errorf("vocabularies %v", c.Vocabularies)
	}
	if c.Params.Bounds != analysis.ParamBounds() {
		t.Errorf("bounds %+v", c.Params.Bounds)
	}
	if len(c.Indicators) != len(analysis.Fields) || c.Indicators[3].JSON != "mean_minutes" || c.Indicators[3].Tile != "temps_moyen_min" {
		t.Errorf("indicators %+v", c.Indicators)
	}
}
