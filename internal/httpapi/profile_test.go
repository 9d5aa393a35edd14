package httpapi

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/grid"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// TestProfileErrors: an unknown profil or a malformed mix is a 400, a
// profile that needs the gridded population is a 409 telling to import it,
// on every endpoint that computes indicators.
func TestProfileErrors(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	for _, tc := range []struct {
		name, query string
		status      int
		message     string
	}{
		{"unknown profile", "/api/indicators?profil=jeunes", 400, "profil « jeunes » inconnu"},
		{"mix without mixte", "/api/indicators?profil=65plus&mix=1,2,2", 400, "mix n'a de sens qu'avec profil=mixte"},
		{"malformed mix", "/api/indicators?profil=mixte&mix=1,2", 400, "mix « 1,2 » invalide"},
		{"65plus without grid", "/api/indicators?profil=65plus", 409, "cartonum import-grid"},
		{"pauvres without grid, csv", "/api/indicators?profil=pauvres&format=csv", 409, "ménages pauvres"},
		{"mixte without grid", "/api/indicators?profil=mixte", 409, "cartonum import-grid"},
		{"detail", "/api/indicators/commune/80021?profil=65plus", 409, "cartonum import-grid"},
		{"siting", "/api/siting?profil=pauvres", 409, "cartonum import-grid"},
		{"white zones", "/api/whitezones?profil=65plus", 409, "cartonum import-grid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, "GET", ts.URL+tc.query, nil, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if msg := errorMessage(t, resp, b); !strings.Contains(msg, tc.message) {
				t.Errorf("message %q, want it to say %q", msg, tc.message)
			}
		})
	}
	resp, b := postScenarioJSON(t, ts, nil, strings.NewReader(`{"params": {"profil": "65plus"}, "add": [{"lon": 2.3, "lat": 49.9}]}`))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(errorMessage(t, resp, b), "import-grid") {
		t.Errorf("scenario with 65plus without grid: %d %s", resp.StatusCode, b)
	}
	// Population only, even through mixte, needs no grid.
	for _, q := range []string{"/api/indicators?profil=population", "/api/indicators?profil=MIXTE&mix=1,0,0"} {
		if resp, b := do(t, "GET", ts.URL+q, nil, nil); resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", q, resp.StatusCode, b)
		}
	}
}

// TestProfilesWithGrid: with the fixture's gridded population the profiles
// count the calibrated 65+ and poor inhabitants, and the answers' params
// say which profile. The cells of testdata/filosofi-200m.csv in 80021 hold
// 150.5 inhabitants (32.5 aged 65+, 25 poor) calibrated to 130,000; in
// 80001, 50 (12 aged 65+, 25 poor) calibrated to 23,000.
func TestProfilesWithGrid(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	d := fixtureData()
	cells, _, err := grid.Read(context.Background(), filepath.Join("..", "grid", "testdata", "filosofi-200m.csv"), d.Communes)
	if err != nil {
		t.Fatal(err)
	}
	cfg := generation.DefaultConfig()
	cfg.Demand = generation.Demand(cells)
	g, err := generation.Build(context.Background(), index.New(d), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.idx.Swap(g)
	f21, f01 := 130000/150.5, 23000/50.0
	for _, tc := range []struct {
		query, profile string
		want           float64
	}{
		{"", "population", 153000},
		{"&profil=65plus", "65plus", 32.5*f21 + 12*f01},
		{"&profil=pauvres", "pauvres", 25*f21 + 25*f01},
		{"&profil=mixte&mix=0,1,2", "mixte", 32.5*f21 + 12*f01 + 2*(25*f21+25*f01)},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			resp, b := do(t, "GET", ts.URL+"/api/indicators?level=region"+tc.query, nil, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			var out struct {
				Params struct {
					Profile string `json:"profile"`
				} `json:"params"`
				Items []struct {
					Population float64 `json:"population"`
				} `json:"items"`
			}
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			if out.Params.Profile != tc.profile || len(out.Items) != 1 || math.Abs(out.Items[0].Population-tc.want) > 1e-6*tc.want {
				t.Errorf("params.profile %q, items %+v; want %q and %v", out.Params.Profile, out.Items, tc.profile, tc.want)
			}
		})
	}
	// White-zone cells are INSEE's 200 m squares and count the profile's
	// people: at 1 minute every cell but those next to a place is white.
	resp, b := do(t, "GET", ts.URL+"/api/whitezones?threshold_min=1&profil=65plus", nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("white zones: %d %s", resp.StatusCode, b)
	}
	var wz struct {
		Population float64 `json:"population"`
		Features   []struct {
			Geometry struct {
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Population float64 `json:"population"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &wz); err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, f := range wz.Features {
		sum += f.Properties.Population
		ring := f.Geometry.Coordinates[0]
		if side := (ring[2][1] - ring[0][1]) * 111320; math.Abs(side-200) > 1 {
			t.Errorf("white cell %v is %.0f m high, want a 200 m square", ring, side)
		}
	}
	if len(wz.Features) == 0 || math.Abs(sum-wz.Population) > 1 || wz.Population > 32.5*f21+12*f01+1 {
		t.Errorf("%d white cells of %v people aged 65+ (total %v), want at most %v", len(wz.Features), sum, wz.Population, 32.5*f21+12*f01)
	}

	// Exports name the profile in their file name.
	if resp, b := do(t, "GET", ts.URL+"/api/indicators?level=region&profil=mixte&mix=0,1,2&format=csv", nil, nil); resp.StatusCode != 200 ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "-mixte-0-1-2-") {
		t.Errorf("csv export: %d %q %.200s", resp.StatusCode, resp.Header.Get("Content-Disposition"), b)
	}
	resp, b = postScenarioJSON(t, ts, nil, strings.NewReader(`{"params": {"profil": "pauvres"}, "add": [{"lon": 2.3, "lat": 49.9}]}`))
	if resp.StatusCode != 200 {
		t.Fatalf("scenario: %d %s", resp.StatusCode, b)
	}
	var sc struct {
		Params struct {
			Profile string `json:"profile"`
		} `json:"params"`
		Before struct {
			Population float64 `json:"population"`
		} `json:"before"`
	}
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	if want := 25*f21 + 25*f01; sc.Params.Profile != "pauvres" || math.Abs(sc.Before.Population-want) > 1e-6*want {
		t.Errorf("scenario params %+v before %v, want pauvres and %v", sc.Params, sc.Before.Population, want)
	}
}
