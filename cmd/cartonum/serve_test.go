package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

// startServer imports the region's places into a temporary database and
// starts the whole server on a loopback port.
func startServer(t *testing.T) (*Main, string) {
	t.Helper()
	dir := mirror(t)
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(t, cfg)
	cfg.ReloadInterval = 50 * time.Millisecond
	m := runMain(t, cfg)
	return m, "http://" + m.Addr()
}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

type sitesPage struct {
	Type     string `json:"type"`
	Total    int    `json:"total"`
	Features []struct {
		ID         string `json:"id"`
		Geometry   struct{ Coordinates [2]float64 }
		Properties struct {
			Nom         string   `json:"nom"`
			CodeInsee   string   `json:"code_insee"`
			Commune     string   `json:"commune"`
			Services    []string `json:"services"`
			Dispositifs []string `json:"dispositif_programmes_nationaux"`
			DistanceM   *float64 `json:"distance_m"`
		} `json:"properties"`
	} `json:"features"`
}

func getSites(t *testing.T, base, query string) sitesPage {
	t.Helper()
	resp, b := get(t, base+"/api/sites?"+query)
	if resp.StatusCode != 200 {
		t.Fatalf("GET /api/sites?%s: %d %s", query, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/geo+json") {
		t.Errorf("content type %q", ct)
	}
	var page sitesPage
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	return page
}

func TestServerEndToEnd(t *testing.T) {
	_, base := startServer(t)

	t.Run("healthz", func(t *testing.T) {
		resp, b := get(t, base+"/healthz")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"ok"`) {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
	})

	all := getSites(t, base, "limit=1000")
	if all.Total < 400 || len(all.Features) != all.Total {
		t.Fatalf("total %d, page %d", all.Total, len(all.Features))
	}

	t.Run("near sorted by distance within radius", func(t *testing.T) {
		page := getSites(t, base, "near=3.0573,50.6366&radius=5000&limit=50") // Lille
		if page.Total == 0 {
			t.Fatal("no place within 5 km of Lille")
		}
		prev := -1.0
		for _, f := range page.Features {
			d := f.Properties.DistanceM
			if d == nil || *d < prev || *d > 5000 {
				t.Fatalf("distance %v after %v", d, prev)
			}
			prev = *d
		}
	})
	t.Run("bbox", func(t *testing.T) {
		page := getSites(t, base, "bbox=2.9,50.5,3.2,50.75&limit=1000")
		for _, f := range page.Features {
			c := f.Geometry.Coordinates
			if c[0] < 2.9 || c[0] > 3.2 || c[1] < 50.5 || c[1] > 50.75 {
				t.Fatalf("%s at %v outside bbox", f.ID, c)
			}
		}
		if page.Total == 0 || page.Total >= all.Total {
			t.Fatalf("bbox total %d of %d", page.Total, all.Total)
		}
	})
	t.Run("filters", func(t *testing.T) {
		page := getSites(t, base, "dispositifs=France+Services&limit=1000")
		if page.Total == 0 {
			t.Fatal("no France Services")
		}
		for _, f := range page.Features {
			if !contains(f.Properties.Dispositifs, "France Services") {
				t.Fatalf("%s is not France Services: %v", f.ID, f.Properties.Dispositifs)
			}
		}
		// accent- and case-insensitive values
		page2 := getSites(t, base, "services=aide+aux+demarches+administratives&departement=59&limit=1000")
		for _, f := range page2.Features {
			// France Services places offer it whatever their source says.
			offered := contains(f.Properties.Services, "Aide aux démarches administratives") ||
				contains(f.Properties.Dispositifs, "France Services")
			if !offered || !strings.HasPrefix(f.Properties.CodeInsee, "59") {
				t.Fatalf("%s does not match: %v %s", f.ID, f.Properties.Services, f.Properties.CodeInsee)
			}
		}
		commune := getSites(t, base, "commune=59350&limit=1000")
		for _, f := range commune.Features {
			if f.Properties.CodeInsee != "59350" {
				t.Fatalf("%s in %s", f.ID, f.Properties.CodeInsee)
			}
		}
		if commune.Total == 0 {
			t.Fatal("no place in Lille (59350)")
		}
		epci := getSites(t, base, "epci=200093201&limit=1000") // MEL
		if epci.Total < commune.Total {
			t.Fatalf("EPCI total %d < commune total %d", epci.Total, commune.Total)
		}
	})
	t.Run("text search ignores accents and case", func(t *testing.T) {
		a := getSites(t, base, "q="+url.QueryEscape("MEDIATHEQUE"))
		b := getSites(t, base, "q="+url.QueryEscape("médiathèque"))
		if a.Total == 0 || a.Total != b.Total {
			t.Fatalf("totals %d and %d", a.Total, b.Total)
		}
	})
	t.Run("pagination", func(t *testing.T) {
		p1 := getSites(t, base, "limit=10&offset=0")
		p2 := getSites(t, base, "limit=10&offset=10")
		if len(p1.Features) != 10 || len(p2.Features) != 10 || p1.Features[9].ID == p2.Features[0].ID {
			t.Fatal("pages overlap or are short")
		}
		if p1.Features[0].ID != all.Features[0].ID || p2.Features[0].ID != all.Features[10].ID {
			t.Fatal("pages disagree with the full list")
		}
	})
	t.Run("invalid parameters are 400 with a message", func(t *testing.T) {
		for _, q := range []string{
			"bbox=1,2,3", "bbox=a,b,c,d", "bbox=3,50,2,49", "near=200,50", "near=3.1", "radius=100",
			"near=3,50&radius=-1", "near=3,50&radius=1e9", "limit=0", "limit=100000", "offset=-1",
			"services=Inconnu", "commune=ABCDE", "departement=999", "epci=12", "foo=bar",
			"q=" + strings.Repeat("x", 300),
		} {
			resp, b := get(t, base+"/api/sites?"+q)
			var e struct{ Error string }
			if resp.StatusCode != 400 || json.Unmarshal(b, &e) != nil || e.Error == "" {
				t.Errorf("%s: %d %s", q, resp.StatusCode, b)
			}
		}
	})
	t.Run("site detail and 404", func(t *testing.T) {
		id := all.Features[0].ID
		resp, b := get(t, base+"/api/sites/"+url.PathEscape(id))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		var f struct {
			Properties struct {
				cartonum.Place
				CodeDepartement string `json:"code_departement"`
			}
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if f.Properties.ID != id || f.Properties.DateMaj == "" || len(f.Properties.Provenance.SourceIDs) == 0 || f.Properties.CodeDepartement == "" {
			t.Fatalf("incomplete record: %s", b)
		}
		resp, _ = get(t, base+"/api/sites/nope")
		if resp.StatusCode != 404 {
			t.Fatalf("missing site: %d", resp.StatusCode)
		}
	})
	t.Run("commune", func(t *testing.T) {
		resp, b := get(t, base+"/api/communes/59350")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"nom":"Lille"`) || !strings.Contains(string(b), "MultiPolygon") {
			t.Fatalf("%d %.300s", resp.StatusCode, b)
		}
		if resp, _ := get(t, base+"/api/communes/99999"); resp.StatusCode != 404 {
			t.Fatalf("unknown commune: %d", resp.StatusCode)
		}
		if resp, _ := get(t, base+"/api/communes/xx"); resp.StatusCode != 400 {
			t.Fatalf("invalid code: %d", resp.StatusCode)
		}
	})
	t.Run("search communes and postcodes", func(t *testing.T) {
		for _, tc := range []struct{ q, first string }{
			{"lille", "59350"}, {"LILLE", "59350"}, {"saint-quentin", "02691"}, {"st quentin", "02691"},
			{"amiens", "80021"}, {"80000", "80021"}, {"Château", ""},
		} {
			resp, b := get(t, base+"/api/search?q="+url.QueryEscape(tc.q))
			var r struct {
				Results []struct{ Code string }
			}
			if resp.StatusCode != 200 || json.Unmarshal(b, &r) != nil {
				t.Fatalf("%s: %d %s", tc.q, resp.StatusCode, b)
			}
			if tc.first != "" && (len(r.Results) == 0 || r.Results[0].Code != tc.first) {
				t.Errorf("search %q: first %v, want %s", tc.q, r.Results, tc.first)
			}
		}
		if resp, _ := get(t, base+"/api/search"); resp.StatusCode != 400 {
			t.Errorf("empty search: %d", resp.StatusCode)
		}
	})
	t.Run("no script injection in JSON", func(t *testing.T) {
		resp, b := get(t, base+"/api/sites?limit=1000")
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || strings.Contains(string(b), "<script") {
			t.Fatal("unsafe JSON response")
		}
	})
}

// TestExportRoundTrip: the standard CSV export, imported into a fresh
// database, gives back the same places.
func TestExportRoundTrip(t *testing.T) {
	m, base := startServer(t)
	resp, b := get(t, base+"/api/export/sites.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(string(b), strings.Join(standard.ExportColumns, ",")+"\n") {
		t.Fatalf("header: %.200s", b)
	}
	exported := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(exported, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "round.db"))
	cfg.Files = []string{exported}
	rep := doImport(t, cfg)
	if rep.Totals.Rejected != 0 || rep.Totals.Merged != 0 {
		t.Fatalf("re-import of the export: %+v", rep.Totals)
	}
	_, snap := loadAll(t, cfg.DB)
	orig := m.idx.Current().Places()
	got := snap.Places()
	if len(got) != len(orig) {
		t.Fatalf("%d places back, want %d", len(got), len(orig))
	}
	for i := range orig {
		a, b := orig[i], got[i]
		a.Provenance, b.Provenance = cartonum.Provenance{}, cartonum.Provenance{}
		if !reflect.DeepEqual(a, b) {
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			t.Fatalf("place %s differs:\n%s\n%s", a.ID, ja, jb)
		}
	}
	// A filtered export holds only the filtered places.
	resp, b = get(t, base+"/api/export/sites.csv?departement=80")
	if n := strings.Count(string(b), "\n") - 1; resp.StatusCode != 200 || n == 0 || n >= len(orig) {
		t.Fatalf("filtered export: %d rows", n)
	}
}

// TestReloadOnDataChange: an import by another process is picked up by the
// running server without restart.
func TestReloadOnDataChange(t *testing.T) {
	m, base := startServer(t)
	before := getSites(t, base, "limit=1").Total
	cfg := m.Config
	cfg.Communes, cfg.EPCI, cfg.Departements = nil, nil, nil
	cfg.Files = []string{filepath.Join(mirror(t), "lieux-france-v1.csv")}
	doImport(t, cfg)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if getSites(t, base, "limit=1").Total > before {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server still serves %d places after the import", before)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestServeLimitFlags: the write limits are read from flags over the
// environment, with defaults.
func TestServeLimitFlags(t *testing.T) {
	defaults := LimitsConfig{WriteRate: defaultWriteRate, MaxBodyBytes: defaultMaxBodyBytes,
		ScenariosMax: defaultScenariosMax, ScenariosMaxBytes: defaultScenariosMaxBytes,
		ScenariosPerClient: defaultScenariosPerClient, ScenarioDays: defaultScenarioDays}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want func(*LimitsConfig)
	}{
		{"defaults", nil, nil, func(*LimitsConfig) {}},
		{"flags", []string{"--write-rate", "5", "--max-body-bytes", "1000", "--trusted-proxies", "10.0.0.0/8",
			"--scenarios-max", "7", "--scenarios-max-bytes", "9000", "--scenarios-per-client", "3", "--scenario-days", "2"}, nil,
			func(l *LimitsConfig) {
				*l = LimitsConfig{WriteRate: 5, MaxBodyBytes: 1000, TrustedProxies: "10.0.0.0/8", ScenariosMax: 7,
					ScenariosMaxBytes: 9000, ScenariosPerClient: 3, ScenarioDays: 2}
			}},
		{"environment", nil, map[string]string{"CARTONUM_WRITE_RATE": "9", "CARTONUM_SCENARIO_DAYS": "30"},
			func(l *LimitsConfig) { l.WriteRate, l.ScenarioDays = 9, 30 }},
		{"flag over environment", []string{"--write-rate", "4"}, map[string]string{"CARTONUM_WRITE_RATE": "9"},
			func(l *LimitsConfig) { l.WriteRate = 4 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseConfig("serve", tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			want := defaults
			tc.want(&want)
			if c.Limits != want {
				t.Errorf("%+v, want %+v", c.Limits, want)
			}
		})
	}
}

// emptyServer starts the whole server on an empty temporary database.
func emptyServer(t *testing.T, lim LimitsConfig) (*Main, string) {
	t.Helper()
	m := runMain(t, Config{DB: filepath.Join(t.TempDir(), "c.db"), Region: "32", Limits: lim})
	return m, "http://" + m.Addr()
}

// TestServeWriteLimits: the limits of the configuration reach the running
// server; over one, 413 or 429 and nothing stored.
func TestServeWriteLimits(t *testing.T) {
	m, base := emptyServer(t, LimitsConfig{WriteRate: 3, MaxBodyBytes: 512, ScenariosPerClient: 1})
	count := func() int {
		n, _, err := m.db.Scenarios(sqlite.ScenarioLimits{}).ScenarioCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	cases := []struct {
		name   string
		body   string
		status int
		stored int
	}{
		{"stored", `{"store":true,"title":"essai"}`, 201, 1},
		{"body over --max-body-bytes", `{"store":true,"title":"` + strings.Repeat("x", 600) + `"}`, 413, 1},
		{"over --scenarios-per-client", `{"store":true}`, 429, 1},
		{"over --write-rate", `{"store":false}`, 429, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := post(t, base+"/api/scenarios", tc.body)
			if resp.StatusCode != tc.status || !json.Valid(b) {
				t.Fatalf("%d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			if n := count(); n != tc.stored {
				t.Errorf("%d scenarios stored, want %d", n, tc.stored)
			}
		})
	}
	// HEAD works on the whole server too.
	req, _ := http.NewRequest("HEAD", base+"/healthz", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("HEAD /healthz: %v %v", resp, err)
	}
}

func TestServeInvalidTrustedProxies(t *testing.T) {
	cfg := Config{DB: filepath.Join(t.TempDir(), "c.db"), Region: "32", Addr: "127.0.0.1:0",
		Limits: LimitsConfig{TrustedProxies: "10.0.0.0/8, proxy.local"}}
	m := NewMain(cfg, quietLogger())
	err := m.Run(context.Background())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "« proxy.local » n'est pas un préfixe CIDR") {
		t.Fatalf("%v", err)
	}
}
