package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// twoRegionServer is the API over the fixture (region 32) plus Rouen, a
// commune of region 28 with one place, without a store.
func twoRegionServer(t *testing.T) string {
	t.Helper()
	d := fixtureData()
	d.Communes = append(d.Communes, cartonum.Commune{Code: "76540", Nom: "Rouen", CodeDepartement: "76", CodeRegion: "28",
		CodeEpci: "200023414", CodesPostaux: []string{"76000"}, Population: 110000, Geometry: square(2.45, 49.85, 0.1)})
	d.EPCIs = append(d.EPCIs, cartonum.EPCI{Code: "200023414", Nom: "Métropole Rouen Normandie", Type: "ME", Population: 110000,
		Membres: []string{"76540"}})
	d.Departements = append(d.Departements, cartonum.Departement{Code: "76", Nom: "Seine-Maritime", Geometry: square(2.45, 49.85, 0.1)})
	d.Places = append(d.Places, cartonum.Place{ID: "lieu-4", Nom: "Bibliothèque de Rouen", Commune: "Rouen", CodeInsee: "76540",
		CodePostal: "76000", Adresse: "3 rue Jacques Villon", Longitude: 2.50, Latitude: 49.90, DateMaj: "2024-01-01",
		Services:   []string{"Aide aux démarches administratives"},
		Provenance: cartonum.Provenance{SourceIDs: []string{"lieu-4"}, Precision: cartonum.PrecisionExact}})
	s := New(liveOf(t, d), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestTwoRegionsAPI: with two regions loaded, level=region lists both,
// level=national the total, the portraits of a region and of the total,
// /api/config's regions and top level, priorities by region, a scenario's
// region changes; every answer matches openapi.json.
func TestTwoRegionsAPI(t *testing.T) {
	url := twoRegionServer(t)
	check := specCheck(loadSpec(t))
	get := func(route, path string, status int, v any) {
		t.Helper()
		req, err := http.NewRequest("GET", url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := roundTrip(t, http.DefaultClient, req)
		if resp.StatusCode != status {
			t.Fatalf("%s: %d, want %d: %.300s", path, resp.StatusCode, status, body)
		}
		check(t, specCase{method: "GET", route: route, path: path, status: status}, req, resp, body)
		if v != nil {
			if err := json.Unmarshal(body, v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
	}
	type row struct {
		Level, Code, Name string
		Population        float64
		Sites             int
		Rank              map[string]int
	}
	var cfg struct {
		Region  string
		Regions []struct {
			Code, Name   string
			Departements []string
		}
		Top struct{ Level, Code, Name string }
	}
	get("/api/config", "/api/config", 200, &cfg)
	if len(cfg.Regions) != 2 || cfg.Regions[0].Code != "28" || cfg.Regions[0].Name != "Normandie" || strings.Join(cfg.Regions[0].Departements, ",") != "76" ||
		cfg.Regions[1].Code != "32" || cfg.Regions[1].Name != "Hauts-de-France" || strings.Join(cfg.Regions[1].Departements, ",") != "80" {
		t.Errorf("config regions %+v", cfg.Regions)
	}
	if cfg.Top.Level != "national" || cfg.Top.Code != "FR" || cfg.Top.Name != "Ensemble des régions" {
		t.Errorf("config top %+v", cfg.Top)
	}

	var regions struct {
		Level string
		Items []row
	}
	get("/api/indicators", "/api/indicators?level=region", 200, &regions)
	if regions.Level != "region" || len(regions.Items) != 2 || regions.Items[0].Code != "28" || regions.Items[0].Name != "Normandie" ||
		math.Round(regions.Items[0].Population) != 110000 || regions.Items[0].Sites != 1 ||
		regions.Items[1].Code != "32" || math.Round(regions.Items[1].Population) != 153000 || regions.Items[1].Sites != 3 {
		t.Errorf("level=region: %+v", regions)
	}
	for _, it := range regions.Items {
		if it.Rank["sites_per_10k"] < 1 || it.Rank["sites_per_10k"] > 2 {
			t.Errorf("region %s ranks %v", it.Code, it.Rank)
		}
	}
	var national struct {
		Level string
		Items []row
	}
	get("/api/indicators", "/api/indicators?level=national", 200, &national)
	if national.Level != "national" || len(national.Items) != 1 || national.Items[0].Code != "FR" ||
		math.Round(national.Items[0].Population) != 263000 || national.Items[0].Sites != 4 {
		t.Errorf("level=national: %+v", national)
	}

	type portrait struct {
		Detail  row
		Compare []row
		Counts  map[string]int
	}
	var reg portrait
	get("/api/indicators/{level}/{code}", "/api/indicators/region/28", 200, &reg)
	if reg.Detail.Code != "28" || reg.Detail.Name != "Normandie" || math.Round(reg.Detail.Population) != 110000 ||
		len(reg.Compare) != 2 || reg.Compare[1].Level != "national" || reg.Counts["regions"] != 2 {
		t.Errorf("region 28 portrait %+v", reg)
	}
	var nat portrait
	get("/api/indicators/{level}/{code}", "/api/indicators/national/FR", 200, &nat)
	if nat.Detail.Level != "national" || math.Round(nat.Detail.Population) != 263000 || len(nat.Compare) != 1 {
		t.Errorf("national portrait %+v", nat)
	}
	var commune portrait
	get("/api/indicators/{level}/{code}", "/api/indicators/commune/76540", 200, &commune)
	var levels []string
	for _, c := range commune.Compare {
		levels = append(levels, c.Level+" "+c.Code)
	}
	if got := strings.Join(levels, ", "); got != "commune 76540, departement 76, region 28, national FR" {
		t.Errorf("commune compared with %s", got)
	}
	get("/api/indicators/{level}/{code}", "/api/indicators/region/11", 404, nil)

	var prio struct {
		Level  string
		Method string
		Items  []struct {
			Rank       int
			Code       string
			Population float64
		}
	}
	get("/api/priorites", "/api/priorites?niveau=region", 200, &prio)
	if prio.Level != "region" || len(prio.Items) != 2 || prio.Items[0].Rank != 1 || !strings.Contains(prio.Method, "score moyen des régions chargées") {
		t.Errorf("priorities by region %+v", prio)
	}
	get("/api/priorites", "/api/priorites?niveau=pays", 400, nil)

	req, err := http.NewRequest("POST", url+"/api/scenarios", strings.NewReader(`{"remove":["lieu-4"]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, body := roundTrip(t, http.DefaultClient, req)
	check(t, specCase{method: "POST", route: "/api/scenarios", path: "/api/scenarios", status: 200}, req, resp, body)
	var sc struct {
		Before       row
		RegionDeltas []struct {
			Code  string
			Sites int
		} `json:"region_deltas"`
	}
	if err := json.Unmarshal(body, &sc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("scenario %d %v: %.300s", resp.StatusCode, err, body)
	}
	// Region 28 loses its place; region 32's people near Rouen used it
	// too: their trips change, not the region's count of places.
	if sc.Before.Level != "national" || len(sc.RegionDeltas) != 2 || sc.RegionDeltas[0].Code != "28" || sc.RegionDeltas[0].Sites != -1 ||
		sc.RegionDeltas[1].Sites != 0 {
		t.Errorf("scenario before %+v, region changes %+v; want the national total and region 28 losing its place", sc.Before, sc.RegionDeltas)
	}
}

// TestOneRegionLevels: with one region, level=national and niveau=region
// are refused with a French message, and the region portrait takes its
// code.
func TestOneRegionLevels(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	for _, tc := range []struct {
		path, want string
	}{
		{"/api/indicators?level=national", "une seule région chargée"},
		{"/api/indicators/national/FR", "une seule région chargée"},
		{"/api/priorites?niveau=region", "une seule région chargée"},
	} {
		resp, body := do(t, "GET", ts.URL+tc.path, nil, nil)
		if resp.StatusCode != 400 || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want 400 saying %q", tc.path, resp.StatusCode, body, tc.want)
		}
	}
	var cfg struct {
		Regions []struct{ Code, Name string }
		Top     struct{ Level, Code, Name string }
	}
	getJSONT(t, ts.URL+"/api/config", &cfg)
	if len(cfg.Regions) != 1 || cfg.Regions[0].Code != "32" || cfg.Top.Level != "region" || cfg.Top.Code != "32" || cfg.Top.Name != "Hauts-de-France" {
		t.Errorf("config %+v", cfg)
	}
	var rows struct {
		Items []struct{ Level, Code, Name string }
	}
	getJSONT(t, ts.URL+"/api/indicators?level=region", &rows)
	if len(rows.Items) != 1 || rows.Items[0].Code != "32" || rows.Items[0].Name != "Hauts-de-France" {
		t.Errorf("level=region %+v", rows)
	}
}
