package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

func post(t *testing.T, u, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

type indicator struct {
	Level            string         `json:"level"`
	Code             string         `json:"code"`
	Name             string         `json:"name"`
	Population       float64        `json:"population"`
	Sites            int            `json:"sites"`
	MeanMinutes      float64        `json:"mean_minutes"`
	BeyondPopulation float64        `json:"beyond_population"`
	BeyondShare      float64        `json:"beyond_share"`
	Rank             map[string]int `json:"rank"`
}

func TestIndicatorsAPI(t *testing.T) {
	_, base := startServer(t)
	list := func(q string) []indicator {
		resp, b := get(t, base+"/api/indicators?"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, b)
		}
		var r struct{ Items []indicator }
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		return r.Items
	}
	communes := list("level=commune")
	epci := list("level=epci")
	deps := list("level=departement")
	region := list("level=region")
	if len(communes) != 3782 || len(deps) != 5 || len(region) != 1 || len(epci) < 80 {
		t.Fatalf("%d communes, %d epci, %d départements, %d region", len(communes), len(epci), len(deps), len(region))
	}
	var pop, beyond float64
	for _, c := range communes {
		pop += c.Population
		beyond += c.BeyondPopulation
	}
	if r := region[0]; r.Code != "32" || abs(r.Population-pop) > 1 || abs(r.BeyondPopulation-beyond) > 1 {
		t.Errorf("region %+v does not add up its communes (pop %g, beyond %g)", r, pop, beyond)
	}
	for _, d := range deps {
		if d.Name == "" || d.Rank["mean_minutes"] < 1 || d.Rank["mean_minutes"] > 5 {
			t.Errorf("département %+v", d)
		}
	}
	// A stricter supply filter can only lengthen trips.
	fs := list("level=region&dispositifs=France+Services")
	if fs[0].MeanMinutes < region[0].MeanMinutes || fs[0].BeyondPopulation < region[0].BeyondPopulation {
		t.Errorf("France Services only: %+v, all places: %+v", fs[0], region[0])
	}
	// A longer threshold leaves fewer people beyond it.
	if l := list("level=region&threshold_min=40"); l[0].BeyondPopulation > region[0].BeyondPopulation {
		t.Errorf("40 min threshold leaves %g beyond, 20 min %g", l[0].BeyondPopulation, region[0].BeyondPopulation)
	}

	t.Run("csv records the parameters", func(t *testing.T) {
		resp, b := get(t, base+"/api/indicators?level=epci&format=csv&threshold_min=25&dispositifs=France+Services")
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if resp.StatusCode != 200 || err != nil || len(rows) != len(epci)+1 {
			t.Fatalf("%d %v %d rows", resp.StatusCode, err, len(rows))
		}
		h := rows[0]
		last := rows[1]
		if h[len(h)-5] != "seuil_min" || last[len(last)-5] != "25.0" || last[len(last)-1] != "France Services" {
			t.Fatalf("parameters not recorded: %v / %v", h, last)
		}
	})
	t.Run("geojson with the territories' polygons", func(t *testing.T) {
		resp, b := get(t, base+"/api/indicators?level=epci&format=geojson")
		var fc struct {
			Type     string
			Features []struct {
				ID         string
				Geometry   struct{ Type string }
				Properties struct {
					Code        string  `json:"code"`
					BeyondShare float64 `json:"beyond_share"`
					RankAccess  int     `json:"rank_access"`
				}
			}
			Params struct {
				ThresholdMin float64 `json:"threshold_min"`
			}
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &fc) != nil || fc.Type != "FeatureCollection" {
			t.Fatalf("%d %.200s", resp.StatusCode, b)
		}
		if len(fc.Features) != len(epci) || fc.Params.ThresholdMin != 20 {
			t.Fatalf("%d features for %d EPCI, params %+v", len(fc.Features), len(epci), fc.Params)
		}
		for _, f := range fc.Features {
			if f.ID != f.Properties.Code || (f.Geometry.Type != "MultiPolygon" && f.Geometry.Type != "Polygon") || f.Properties.RankAccess < 1 {
				t.Fatalf("feature %+v", f)
			}
		}
	})
	t.Run("white zones hold the population beyond the threshold", func(t *testing.T) {
		resp, b := get(t, base+"/api/whitezones")
		var fc struct {
			Features []struct {
				Properties struct {
					Population float64 `json:"population"`
					Minutes    float64 `json:"minutes"`
				}
			}
			Population float64 `json:"population"`
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &fc) != nil || len(fc.Features) == 0 {
			t.Fatalf("%d %.200s", resp.StatusCode, b)
		}
		var sum float64
		for _, f := range fc.Features {
			if f.Properties.Minutes >= 0 && f.Properties.Minutes < 20 { // minutes are rounded to 0.1
				t.Fatalf("cell at %g minutes in the white zone", f.Properties.Minutes)
			}
			sum += f.Properties.Population
		}
		if abs(sum-region[0].BeyondPopulation) > 0.01*region[0].BeyondPopulation+1 || abs(fc.Population-region[0].BeyondPopulation) > 1 {
			t.Errorf("white zone cells hold %g (total %g), region beyond %g", sum, fc.Population, region[0].BeyondPopulation)
		}
	})
	t.Run("detail", func(t *testing.T) {
		resp, b := get(t, base+"/api/indicators/epci/200093201")
		var d struct {
			Detail struct {
				indicator
				Histogram []struct{ Population float64 }
				Coverage  []struct {
					Minutes float64
					Share   float64
				}
			}
			Compare []struct{ Level string }
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &d) != nil {
			t.Fatalf("%d %.300s", resp.StatusCode, b)
		}
		if len(d.Detail.Coverage) != 61 || d.Detail.Coverage[60].Share < d.Detail.Coverage[10].Share || len(d.Compare) != 3 {
			t.Fatalf("detail %+v", d)
		}
		var h float64
		for _, bin := range d.Detail.Histogram {
			h += bin.Population
		}
		if abs(h-d.Detail.Population) > 1 {
			t.Errorf("histogram holds %g of %g inhabitants", h, d.Detail.Population)
		}
		for _, q := range []string{"/api/indicators/epci/000000000", "/api/indicators/commune/99999"} {
			if resp, _ := get(t, base+q); resp.StatusCode != 404 {
				t.Errorf("%s: %d", q, resp.StatusCode)
			}
		}
		if resp, _ := get(t, base+"/api/indicators/canton/1"); resp.StatusCode != 400 {
			t.Errorf("bad level: %d", resp.StatusCode)
		}
	})
	t.Run("invalid parameters", func(t *testing.T) {
		for _, q := range []string{"level=pays", "threshold_min=0", "speed_kmh=1000", "circuity=0.5", "services=x", "format=xml", "foo=1"} {
			if resp, _ := get(t, base+"/api/indicators?"+q); resp.StatusCode != 400 {
				t.Errorf("%s: %d", q, resp.StatusCode)
			}
		}
	})
	t.Run("scenario adds a place where people are far", func(t *testing.T) {
		// The commune whose population is farthest from any place.
		worst := communes[0]
		for _, c := range communes {
			if c.BeyondPopulation > worst.BeyondPopulation {
				worst = c
			}
		}
		resp, b := get(t, base+"/api/communes/"+worst.Code+"?geometry=false")
		var c struct{ Properties struct{ Centre [2]float64 } }
		if resp.StatusCode != 200 || json.Unmarshal(b, &c) != nil {
			t.Fatal(resp.StatusCode)
		}
		body, _ := json.Marshal(map[string]any{"add": []map[string]any{{"lon": c.Properties.Centre[0], "lat": c.Properties.Centre[1]}}})
		resp, b = post(t, base+"/api/scenarios", string(body))
		var sc struct {
			ID    int64
			Total struct {
				BeyondPopulation float64 `json:"beyond_population"`
			}
			Deltas []struct{ Code string }
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &sc) != nil {
			t.Fatalf("%d %.300s", resp.StatusCode, b)
		}
		if sc.Total.BeyondPopulation >= 0 || len(sc.Deltas) == 0 || sc.ID != 0 {
			t.Fatalf("scenario: %+v", sc)
		}
		// Saved on request, then read back.
		resp, b = post(t, base+"/api/scenarios", `{"title":"essai","store":true,"remove":["`+firstSite(t, base)+`"]}`)
		if resp.StatusCode != 201 || resp.Header.Get("Location") == "" {
			t.Fatalf("store: %d %.200s", resp.StatusCode, b)
		}
		if resp, b := get(t, base+resp.Header.Get("Location")); resp.StatusCode != 200 || !strings.Contains(string(b), `"essai"`) {
			t.Fatalf("saved scenario: %d %.200s", resp.StatusCode, b)
		}
		for _, bad := range []string{`{`, `{"add":[{"lon":500,"lat":1}]}`, `{"remove":["nope"]}`, `{"unknown":1}`} {
			if resp, _ := post(t, base+"/api/scenarios", bad); resp.StatusCode/100 != 4 {
				t.Errorf("%s: %d", bad, resp.StatusCode)
			}
		}
	})
	t.Run("siting", func(t *testing.T) {
		resp, b := get(t, base+"/api/siting?k=5&min_spacing_km=10")
		var s struct {
			Proposals []struct {
				Commune      string  `json:"commune"`
				CommuneNom   string  `json:"commune_nom"`
				NewlyCovered float64 `json:"newly_covered"`
				Cumulative   float64 `json:"cumulative"`
			}
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &s) != nil || len(s.Proposals) != 5 {
			t.Fatalf("%d %.300s", resp.StatusCode, b)
		}
		prev := 0.0
		for _, p := range s.Proposals {
			if p.CommuneNom == "" || p.NewlyCovered <= 0 || p.Cumulative < prev {
				t.Fatalf("proposal %+v", p)
			}
			prev = p.Cumulative
		}
		if resp, _ := get(t, base+"/api/siting?k=0"); resp.StatusCode != 400 {
			t.Errorf("k=0: %d", resp.StatusCode)
		}
	})
}

func firstSite(t *testing.T, base string) string {
	page := getSites(t, base, "limit=1")
	return page.Features[0].ID
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestAnalyseCommand(t *testing.T) {
	dir := mirror(t)
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(t, cfg)
	var out bytes.Buffer
	err := run(context.Background(), []string{"analyse", "--db", cfg.DB, "--level", "departement", "--dispositifs", "France Services"}, getenvOS, nil, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 6 || rows[1][0] != "departement" || rows[1][len(rows[1])-1] != "France Services" {
		t.Fatalf("%v %v", err, rows)
	}
	if err := run(context.Background(), []string{"analyse", "--db", cfg.DB, "--level", "pays"}, getenvOS, nil, io.Discard, io.Discard); err == nil {
		t.Error("invalid level accepted")
	}
}
