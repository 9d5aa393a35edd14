package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// routes returns the method and pattern of every route of the API.
func routes(t *testing.T, s *Server) [][2]string {
	t.Helper()
	var out [][2]string
	err := chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, [2]string{method, strings.ReplaceAll(route, "/*/", "/")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][1]+out[i][0] < out[j][1]+out[j][0] })
	return out
}

// getSamples is one request per GET route, answered 200 on the fixture.
// A new GET route must get one here: the tests over every route fail
// until it does.
func getSamples(t *testing.T, ts *testServer) map[string]string {
	t.Helper()
	tile := maptile.At(orb.Point{2.30, 49.90}, 12)
	resp, body := do(t, "POST", ts.URL+"/api/scenarios", map[string]string{"Content-Type": "application/json"},
		strings.NewReader(`{"store":true,"title":"essai","remove":["lieu-1"]}`))
	var sc struct{ ID int64 }
	if resp.StatusCode != 201 || json.Unmarshal(body, &sc) != nil {
		t.Fatalf("store a scenario: %d %.300s", resp.StatusCode, body)
	}
	if _, err := ts.contrib.Contributions.AddProposal(context.Background(), cartonum.Proposal{Type: cartonum.ProposalReport,
		Place: "lieu-1", Motive: cartonum.MotiveOther, Token: "jeton-de-suivi", Status: cartonum.StatusPending,
		CreatedAt: time.Now(), Departement: "80"}); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"/healthz":                       "/healthz",
		"/tiles":                         "/tiles",
		"/tiles/":                        "/tiles/",
		"/tiles/{file}":                  "/tiles/communes.json",
		"/tiles/{layer}/{z}/{x}/{y}":     fmt.Sprintf("/tiles/communes,sites/12/%d/%d.mvt", tile.X, tile.Y),
		"/api/sites":                     "/api/sites?limit=2",
		"/api/sites/{id}":                "/api/sites/lieu-1",
		"/api/communes/{code}":           "/api/communes/80021",
		"/api/search":                    "/api/search?q=amiens",
		"/api/geocode":                   "/api/geocode?q=12+rue+de+la+R%C3%A9publique&limit=3",
		"/api/config":                    "/api/config",
		"/api/export/sites.csv":          "/api/export/sites.csv",
		"/api/indicators":                "/api/indicators?level=epci",
		"/api/indicators/{level}/{code}": "/api/indicators/commune/80021",
		"/api/scenarios/{id}":            fmt.Sprintf("/api/scenarios/%d", sc.ID),
		"/api/siting":                    "/api/siting?k=1",
		"/api/priorites":                 "/api/priorites?niveau=epci&seuil=30",
		"/api/whitezones":                "/api/whitezones",
		"/api/openapi.json":              "/api/openapi.json",
		"/metrics":                       "/metrics",
		"/api/propositions/formulaire":   "/api/propositions/formulaire",
		"/api/propositions/{token}":      "/api/propositions/jeton-de-suivi",
		"/api/sites/{id}/historique":     "/api/sites/lieu-1/historique",
		// Behind a session: 401 here.
		"/api/session":                      "/api/session",
		"/api/moderation/propositions":      "/api/moderation/propositions",
		"/api/moderation/propositions/{id}": "/api/moderation/propositions/1",
		"/api/moderation/sites/fermes":      "/api/moderation/sites/fermes",
		"/api/moderation/utilisateurs":      "/api/moderation/utilisateurs",
	}
}

// sessionOnly tells whether a route is for logged-in moderators only (it
// answers 401 without a session, and is not offered to other origins).
func sessionOnly(route string) bool {
	return route == "/api/session" || strings.HasPrefix(route, "/api/moderation/")
}

// TestHeadOnEveryGetRoute: HEAD answers like GET, without a body, on every
// GET route of the router.
func TestHeadOnEveryGetRoute(t *testing.T) {
	ban := fakeBAN(t)
	defer ban.Close()
	cfg := DefaultConfig()
	cfg.GeocoderURL = ban.URL + "/search/"
	ts := newTestServer(t, cfg, sqlite.ScenarioLimits{})
	samples := getSamples(t, ts)
	n := 0
	for _, rt := range routes(t, ts.Server) {
		if rt[0] != http.MethodGet {
			continue
		}
		n++
		t.Run(rt[1], func(t *testing.T) {
			path, ok := samples[rt[1]]
			if !ok {
				t.Fatalf("no sample request for GET %s: add one to getSamples", rt[1])
			}
			// The same Accept-Encoding for both (net/http asks gzip for GET only).
			enc := map[string]string{"Accept-Encoding": "gzip"}
			get, getBody := do(t, "GET", ts.URL+path, enc, nil)
			want := http.StatusOK
			if sessionOnly(rt[1]) {
				want = http.StatusUnauthorized
			}
			if get.StatusCode != want || len(getBody) == 0 {
				t.Fatalf("GET %s: %d %.200s", path, get.StatusCode, getBody)
			}
			head, headBody := do(t, "HEAD", ts.URL+path, enc, nil)
			if head.StatusCode != get.StatusCode || len(headBody) != 0 {
				t.Fatalf("HEAD %s: %d with %d bytes, GET: %d", path, head.StatusCode, len(headBody), get.StatusCode)
			}
			for _, h := range []string{"Content-Type", "Content-Encoding", "X-Content-Type-Options", "Cache-Control", "ETag"} {
				if head.Header.Get(h) != get.Header.Get(h) {
					t.Errorf("%s: HEAD %q, GET %q", h, head.Header.Get(h), get.Header.Get(h))
				}
			}
		})
	}
	if n < len(samples) {
		t.Errorf("%d GET routes walked, %d samples: a route is missing from the walk", n, len(samples))
	}
	// The web app's pages answer HEAD too.
	if resp, b := do(t, "HEAD", ts.URL+"/carte", nil, nil); resp.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD /carte: %d", resp.StatusCode)
	}
}

// TestCORS: preflight requests succeed on every write route and on reads;
// answers carry the CORS headers; tiles are open to any origin.
func TestCORS(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	origin := "https://collectivite.example.fr"
	preflight := func(t *testing.T, path, method string) *http.Response {
		resp, _ := do(t, "OPTIONS", ts.URL+path, map[string]string{
			"Origin": origin, "Access-Control-Request-Method": method,
			"Access-Control-Request-Headers": "content-type"}, nil)
		return resp
	}
	writes := 0
	for _, rt := range routes(t, ts.Server) {
		if rt[0] == http.MethodGet || sessionOnly(rt[1]) {
			continue // sessions are same-origin only (auth.go)
		}
		writes++
		t.Run("preflight "+rt[0]+" "+rt[1], func(t *testing.T) {
			resp := preflight(t, rt[1], rt[0])
			want := map[string]string{
				"Access-Control-Allow-Origin":  "*",
				"Access-Control-Allow-Methods": rt[0],
				"Access-Control-Allow-Headers": "Content-Type",
				"Access-Control-Max-Age":       "3600",
				"X-Content-Type-Options":       "nosniff",
			}
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	if writes == 0 {
		t.Fatal("no write route walked")
	}
	cases := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		allowOrigin        string
		expose             string
	}{
		{"cross-origin POST", "POST", "/api/scenarios", map[string]string{"Origin": origin, "Content-Type": "application/json"},
			`{"store":true}`, 201, "*", "Location"},
		{"cross-origin GET", "GET", "/api/sites", map[string]string{"Origin": origin}, "", 200, "*", "X-Total-Count"},
		{"tile with an origin", "GET", "/tiles/sites/0/0/0.mvt", map[string]string{"Origin": origin}, "", 200, "*", ""},
		{"tile without an origin", "GET", "/tiles/sites/0/0/0.mvt", nil, "", 200, "*", ""},
		{"preflight of a method not offered", "OPTIONS", "/api/scenarios",
			map[string]string{"Origin": origin, "Access-Control-Request-Method": "DELETE"}, "", 200, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, tc.method, ts.URL+tc.path, tc.header, strings.NewReader(tc.body))
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %.200s", resp.StatusCode, b)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tc.allowOrigin)
			}
			if tc.expose != "" && !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), tc.expose) {
				t.Errorf("Access-Control-Expose-Headers %q lacks %s", resp.Header.Get("Access-Control-Expose-Headers"), tc.expose)
			}
		})
	}
}

// TestNoSniffEverywhere: every answer, tiles, errors and pages included,
// forbids content sniffing.
func TestNoSniffEverywhere(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	tile := maptile.At(orb.Point{2.30, 49.90}, 12)
	cases := []struct {
		name, method, path string
		header             map[string]string
		status             int
	}{
		{"tile", "GET", fmt.Sprintf("/tiles/sites/12/%d/%d.mvt", tile.X, tile.Y), nil, 200},
		{"gzipped tile", "GET", fmt.Sprintf("/tiles/sites/12/%d/%d.mvt", tile.X, tile.Y), map[string]string{"Accept-Encoding": "gzip"}, 200},
		{"empty tile", "GET", "/tiles/sites/14/0/0.mvt", nil, 204},
		{"tile not modified", "GET", "/tiles/sites/0/0/0.mvt", map[string]string{"If-None-Match": "*"}, 304},
		{"invalid tile", "GET", "/tiles/sites/99/0/0.mvt", nil, 400},
		{"unknown layer", "GET", "/tiles/routes/0/0/0.mvt", nil, 404},
		{"tile HEAD", "HEAD", "/tiles/sites/0/0/0.mvt", nil, 200},
		{"JSON", "GET", "/api/sites", nil, 200},
		{"CSV", "GET", "/api/export/sites.csv", nil, 200},
		{"API 404", "GET", "/api/nope", nil, 404},
		{"405", "DELETE", "/api/sites", nil, 405},
		{"page", "GET", "/carte", nil, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, tc.method, ts.URL+tc.path, tc.header, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %.200s", resp.StatusCode, b)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
		})
	}
}

// TestRepeatedParameters: a parameter taking one value given twice is a
// 400 naming it; the multi-valued filters still take repeats.
func TestRepeatedParameters(t *testing.T) {
	ban := fakeBAN(t)
	defer ban.Close()
	cfg := DefaultConfig()
	cfg.GeocoderURL = ban.URL + "/search/"
	ts := newTestServer(t, cfg, sqlite.ScenarioLimits{})
	cases := []struct {
		path   string
		status int
		param  string // named in the message of a 400
	}{
		{"/api/sites?limit=1&limit=2", 400, "limit"},
		{"/api/sites?offset=0&offset=1", 400, "offset"},
		{"/api/sites?near=2.3,49.9&near=2.4,49.9", 400, "near"},
		{"/api/sites?near=2.3,49.9&radius=10&radius=20", 400, "radius"},
		{"/api/sites?bbox=2,49,3,50&bbox=0,0,1,1", 400, "bbox"},
		{"/api/sites?q=a&q=b", 400, "q"},
		{"/api/export/sites.csv?q=a&q=b", 400, "q"},
		{"/api/search?q=amiens&q=abbeville", 400, "q"},
		{"/api/search?q=amiens&limit=1&limit=2", 400, "limit"},
		{"/api/geocode?q=12+rue&q=13+rue", 400, "q"},
		{"/api/communes/80021?geometry=false&geometry=true", 400, "geometry"},
		{"/api/indicators?threshold_min=10&threshold_min=20", 400, "threshold_min"},
		{"/api/indicators?level=epci&level=commune", 400, "level"},
		{"/api/indicators/commune/80021?speed_kmh=30&speed_kmh=40", 400, "speed_kmh"},
		{"/api/siting?k=1&k=2", 400, "k"},
		{"/api/whitezones?circuity=1.2&circuity=1.3", 400, "circuity"},
		{"/tiles/sites.json?q=a&q=b", 400, "q"},
		{"/tiles/sites/0/0/0.mvt?v=1&v=2", 400, "v"},
		{"/api/sites?services=Aide+aux+d%C3%A9marches+administratives&services=Ma%C3%AEtrise+des+outils+num%C3%A9riques+du+quotidien", 200, ""},
		{"/api/sites?commune=80021&commune=80001&departement=80&departement=59", 200, ""},
		{"/api/indicators?services=Aide+aux+d%C3%A9marches+administratives&services=Ma%C3%AEtrise+des+outils+num%C3%A9riques+du+quotidien", 200, ""},
		{"/tiles/sites/0/0/0.mvt?dispositifs=France+Services&dispositifs=Aidants+Connect", 204, ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp, b := do(t, "GET", ts.URL+tc.path, nil, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			if tc.param == "" {
				return
			}
			msg := errorMessage(t, resp, b)
			if !strings.Contains(msg, "« "+tc.param+" »") || !strings.Contains(msg, "une seule valeur") {
				t.Errorf("message %q does not name %s", msg, tc.param)
			}
		})
	}
}

// TestLiteralTextSearch: "%" and "_" in q are characters like any other,
// whether escaped or not; a stray "%" never drops the parameter (which
// would list every place).
func TestLiteralTextSearch(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	total := func(t *testing.T, rawQuery string) (int, []string) {
		resp, b := do(t, "GET", ts.URL+"/api/sites?"+rawQuery, nil, nil)
		var page struct {
			Total    int
			Features []struct{ ID string }
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &page) != nil {
			t.Fatalf("%s: %d %.300s", rawQuery, resp.StatusCode, b)
		}
		var ids []string
		for _, f := range page.Features {
			ids = append(ids, f.ID)
		}
		return page.Total, ids
	}
	cases := []struct {
		rawQuery string
		ids      []string
	}{
		{"q=%", []string{"lieu-2"}},
		{"q=%25", []string{"lieu-2"}},
		{"q=100%", []string{"lieu-2"}},
		{"q=" + url.QueryEscape("100% numérique"), []string{"lieu-2"}},
		{"q=%%", nil},
		{"q=_", nil},
		{"q=%_", nil},
		{"q=%zz", nil},
		{"q=a;b", nil},
		{"q=mediatheque", []string{"lieu-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.rawQuery, func(t *testing.T) {
			n, ids := total(t, tc.rawQuery)
			if n != len(tc.ids) || strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("%d places %v, want %v", n, ids, tc.ids)
			}
		})
	}
	// Other routes taking q never fail on it either.
	for _, path := range []string{"/api/search?q=%", "/api/search?q=_", "/tiles/sites.json?q=%", "/tiles/sites/0/0/0.mvt?q=%", "/api/export/sites.csv?q=%"} {
		if resp, b := do(t, "GET", ts.URL+path, nil, nil); resp.StatusCode/100 != 2 {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, b)
		}
	}
	if resp, b := do(t, "GET", ts.URL+"/api/export/sites.csv?q=%", nil, nil); strings.Count(string(b), "\n") != 2 {
		t.Errorf("export q=%%: %d %s", resp.StatusCode, b)
	}
}
