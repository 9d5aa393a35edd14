package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/metrics"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

// loadSpec parses and validates the embedded description as OpenAPI 3.1.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPISpec())
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document: %v", err)
	}
	return doc
}

// specOperations returns "METHOD /path" of every operation of the
// description.
func specOperations(doc *openapi3.T) map[string]bool {
	ops := map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			ops[m+" "+p] = true
		}
	}
	return ops
}

// TestOpenAPIMatchesRouter: every route and method of the chi router is
// in openapi.json, and every operation of openapi.json is a route of the
// router (HEAD is implied by GET, OPTIONS by CORS: neither is described).
func TestOpenAPIMatchesRouter(t *testing.T) {
	doc := loadSpec(t)
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	documented := specOperations(doc)
	served := map[string]bool{}
	for _, rt := range routes(t, ts.Server) {
		if rt[0] == http.MethodHead || rt[0] == http.MethodOptions {
			continue
		}
		served[rt[0]+" "+rt[1]] = true
	}
	var missing, extra []string
	for op := range served {
		if !documented[op] {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !served[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, op := range missing {
		t.Errorf("route %s is not in internal/httpapi/openapi.json: describe it there", op)
	}
	for _, op := range extra {
		t.Errorf("openapi.json describes %s, which the router does not serve", op)
	}
	if len(served) < 30 {
		t.Errorf("only %d routes walked", len(served))
	}
}

// TestOpenAPIServed: /api/openapi.json answers the embedded description.
func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	resp, b := do(t, "GET", ts.URL+"/api/openapi.json", nil, nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !bytes.Equal(b, openAPISpec) {
		t.Fatalf("%d %s %.100s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var v struct{ OpenAPI string }
	if json.Unmarshal(b, &v) != nil || !strings.HasPrefix(v.OpenAPI, "3.1") {
		t.Fatalf("not OpenAPI 3.1: %.100s", b)
	}
}

func init() {
	openapi3filter.RegisterBodyDecoder("application/geo+json", openapi3filter.JSONBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.mapbox-vector-tile", openapi3filter.FileBodyDecoder)
}

// TestOpenAPIResponses: a tour of the API on a real server over the
// fixture, one representative request per operation and its usual error
// answers; each request and answer (status, content type, JSON body) is
// validated against openapi.json with kin-openapi, as an OpenAPI 3.1
// document (JSON Schema 2020-12). Every operation of the description is
// visited with a success status.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadSpec(t)
	ss := newSpecServer(t)
	succeeded := map[string]bool{}
	check := specCheck(doc)
	ss.tour(t, func(t *testing.T, c specCase, req *http.Request, resp *http.Response, body []byte) {
		check(t, c, req, resp, body)
		if resp.StatusCode < 300 {
			succeeded[c.method+" "+c.route] = true
		}
	})
	for op := range specOperations(doc) {
		if !succeeded[op] {
			t.Errorf("no successful request of %s in specCases: add one", op)
		}
	}
}

// specCheck returns a check that validates a request and its answer
// (status, content type, JSON body) against the description.
func specCheck(doc *openapi3.T) func(t *testing.T, c specCase, req *http.Request, resp *http.Response, body []byte) {
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	return func(t *testing.T, c specCase, req *http.Request, resp *http.Response, body []byte) {
		t.Helper()
		ctx := context.Background()
		item := doc.Paths.Value(c.route)
		if item == nil {
			t.Fatalf("%s is not in openapi.json", c.route)
		}
		op := item.GetOperation(c.method)
		if op == nil {
			t.Fatalf("%s %s is not in openapi.json", c.method, c.route)
		}
		route := &routers.Route{Spec: doc, Path: c.route, PathItem: item, Method: c.method, Operation: op}
		params, err := pathParams(c.route, req.URL.Path)
		if err != nil {
			t.Fatal(err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if req.GetBody != nil {
			rb, _ := req.GetBody()
			req.Body = rb
		}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil && resp.StatusCode < 400 {
			t.Errorf("request does not match the description: %v", err)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
			Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("answer %d %s does not match the description: %v\n%.500s", resp.StatusCode, resp.Header.Get("Content-Type"), err, body)
		}
	}
}

// pathParams matches path against the template route ({name} segments).
func pathParams(route, path string) (map[string]string, error) {
	rs, ps := strings.Split(route, "/"), strings.Split(path, "/")
	if len(rs) != len(ps) {
		return nil, fmt.Errorf("%s does not match %s", path, route)
	}
	out := map[string]string{}
	for i, seg := range rs {
		switch {
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			out[seg[1:len(seg)-1]] = ps[i]
		case seg != ps[i]:
			return nil, fmt.Errorf("%s does not match %s", path, route)
		}
	}
	return out, nil
}

// specServer is the whole API as serve mounts it (scenarios, contributions,
// accounts, a geocoder) over the fixture region in a real SQLite store, on
// a loopback server: the server whose answers the OpenAPI description is
// checked against.
type specServer struct {
	*Server
	URL  string
	db   *sqlite.DB
	live *generation.Live
	prom *metrics.Metrics
}

func newSpecServer(t *testing.T) *specServer {
	t.Helper()
	ctx := context.Background()
	db, d := fixtureDB(t)
	at := time.Now().UTC().Truncate(time.Second)
	if _, err := db.Apply(ctx, cartonum.Batch{Region: "32", Files: []string{"lieux-32-v1.csv"}, StartedAt: at.Add(-time.Second), FinishedAt: at,
		Communes: d.Communes, EPCIs: d.EPCIs, Departements: d.Departements, Upserts: d.Places,
		Counts: cartonum.Counts{RowsRead: 4, Imported: 3, Rejected: 1}}); err != nil {
		t.Fatal(err)
	}
	ss := &specServer{db: db}
	load := func() index.Data {
		d, err := db.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return index.Data{Version: d.Version, Communes: d.Communes, EPCIs: d.EPCIs, Departements: d.Departements, Places: d.Places}
	}
	ss.live = liveOf(t, load())
	contrib := &contributing.Service{Store: db, Contributions: db, Territory: ss.live.Current,
		Normalize: standard.Options{Region: "32"}, SourceName: "Région Hauts-de-France", PerHour: 100,
		OnChange: func() {
			g, err := generation.Build(ctx, index.New(load()), generation.DefaultConfig())
			if err != nil {
				t.Error(err)
				return
			}
			ss.live.Swap(g)
		}}
	acc := accounts.New(db)
	acc.Params = accounts.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	for _, nu := range []accounts.NewUser{
		{Email: contribModerator80, Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: contribPassword},
		{Email: "admin@example.fr", Role: cartonum.RoleAdmin, Password: contribPassword},
	} {
		if _, err := acc.AddUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	ban := fakeBAN(t)
	t.Cleanup(ban.Close)
	cfg := DefaultConfig()
	cfg.GeocoderURL = ban.URL + "/search/"
	ss.prom = metrics.New()
	ss.prom.WatchGeneration(ss.live)
	ss.prom.WatchImports(db)
	ss.Server = New(ss.live, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))).
		WithScenarios(db.Scenarios(sqlite.ScenarioLimits{})).WithContributions(contrib).WithAccounts(acc).
		WithMetrics(ss.prom, true).
		WithPages(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!doctype html><title>page</title>")
		}))
	hs := httptest.NewServer(ss.Server)
	t.Cleanup(hs.Close)
	ss.URL = hs.URL
	return ss
}

// specCase is one request of the tour of the API: its route (the chi
// pattern), what to send and the status expected.
type specCase struct {
	name   string
	method string
	route  string // chi pattern, as in the description
	path   string // the request's path and query; may use {token}, {id}, {tile}, {scenario}, {proposal}
	body   string // JSON, sent with Content-Type: application/json
	auth   string // "" anonymous, "moderateur", "admin"
	csrf   bool
	status int
}

// specCases is the tour: a representative request per route and method,
// success first, then error answers. It is run in order (later cases use
// what earlier ones created).
func specCases() []specCase {
	return []specCase{
		{"health", "GET", "/healthz", "/healthz", "", "", false, 200},
		{"tile catalogue", "GET", "/tiles", "/tiles", "", "", false, 200},
		{"tile catalogue slash", "GET", "/tiles/", "/tiles/", "", "", false, 200},
		{"TileJSON", "GET", "/tiles/{file}", "/tiles/communes.json", "", "", false, 200},
		{"unknown TileJSON", "GET", "/tiles/{file}", "/tiles/nope.json", "", "", false, 404},
		{"tile", "GET", "/tiles/{layer}/{z}/{x}/{y}", "/tiles/communes,sites/{tile}.mvt", "", "", false, 200},
		{"empty tile", "GET", "/tiles/{layer}/{z}/{x}/{y}", "/tiles/sites/14/0/0.mvt", "", "", false, 204},
		{"invalid tile", "GET", "/tiles/{layer}/{z}/{x}/{y}", "/tiles/sites/99/0/0.mvt", "", "", false, 400},
		{"unknown layer", "GET", "/tiles/{layer}/{z}/{x}/{y}", "/tiles/routes/0/0/0.mvt", "", "", false, 404},
		{"sites", "GET", "/api/sites", "/api/sites?limit=2", "", "", false, 200},
		{"sites near", "GET", "/api/sites", "/api/sites?near=2.3,49.9&radius=100&plus_proches=2", "", "", false, 200},
		{"sites bad limit", "GET", "/api/sites", "/api/sites?limit=x", "", "", false, 400},
		{"site", "GET", "/api/sites/{id}", "/api/sites/lieu-1", "", "", false, 200},
		{"unknown site", "GET", "/api/sites/{id}", "/api/sites/nope", "", "", false, 404},
		{"commune", "GET", "/api/communes/{code}", "/api/communes/80021", "", "", false, 200},
		{"commune centre", "GET", "/api/communes/{code}", "/api/communes/80021?geometry=false", "", "", false, 200},
		{"unknown commune", "GET", "/api/communes/{code}", "/api/communes/99999", "", "", false, 404},
		{"search", "GET", "/api/search", "/api/search?q=amiens", "", "", false, 200},
		{"search without q", "GET", "/api/search", "/api/search", "", "", false, 400},
		{"geocode", "GET", "/api/geocode", "/api/geocode?q=12+rue+de+la+R%C3%A9publique&limit=3", "", "", false, 200},
		{"geocoder down", "GET", "/api/geocode", "/api/geocode?q=panne&limit=3", "", "", false, 502},
		{"config", "GET", "/api/config", "/api/config", "", "", false, 200},
		{"OpenAPI", "GET", "/api/openapi.json", "/api/openapi.json", "", "", false, 200},
		{"metrics", "GET", "/metrics", "/metrics", "", "", false, 200},
		{"OpenAPI bad parameter", "GET", "/api/openapi.json", "/api/openapi.json?format=yaml", "", "", false, 400},
		{"export", "GET", "/api/export/sites.csv", "/api/export/sites.csv", "", "", false, 200},
		{"export bad filter", "GET", "/api/export/sites.csv", "/api/export/sites.csv?services=nope", "", "", false, 400},
		{"indicators", "GET", "/api/indicators", "/api/indicators?level=epci", "", "", false, 200},
		{"indicators bad level", "GET", "/api/indicators", "/api/indicators?level=pays", "", "", false, 400},
		{"indicators by region", "GET", "/api/indicators", "/api/indicators?level=region", "", "", false, 200},
		{"national indicators of one region", "GET", "/api/indicators", "/api/indicators?level=national", "", "", false, 400},
		{"territory indicators", "GET", "/api/indicators/{level}/{code}", "/api/indicators/commune/80021", "", "", false, 200},
		{"unknown territory", "GET", "/api/indicators/{level}/{code}", "/api/indicators/commune/99999", "", "", false, 404},
		{"region portrait", "GET", "/api/indicators/{level}/{code}", "/api/indicators/region/32", "", "", false, 200},
		{"national portrait of one region", "GET", "/api/indicators/{level}/{code}", "/api/indicators/national/FR", "", "", false, 400},
		{"siting", "GET", "/api/siting", "/api/siting?k=1", "", "", false, 200},
		{"siting bad k", "GET", "/api/siting", "/api/siting?k=0", "", "", false, 400},
		{"priorities", "GET", "/api/priorites", "/api/priorites?niveau=commune&seuil=30&fragilite=1", "", "", false, 200},
		{"priorities CSV", "GET", "/api/priorites", "/api/priorites?niveau=epci&format=csv", "", "", false, 200},
		{"priorities bad level", "GET", "/api/priorites", "/api/priorites?niveau=region", "", "", false, 400},
		{"indicators weighted by fragility", "GET", "/api/indicators", "/api/indicators?level=epci&fragilite=1", "", "", false, 200},
		{"white zones", "GET", "/api/whitezones", "/api/whitezones", "", "", false, 200},
		{"scenario", "POST", "/api/scenarios", "/api/scenarios", `{"remove":["lieu-1"]}`, "", false, 200},
		{"stored scenario", "POST", "/api/scenarios", "/api/scenarios", `{"store":true,"title":"essai","remove":["lieu-1"]}`, "", false, 201},
		{"bad scenario", "POST", "/api/scenarios", "/api/scenarios", `{"remove":`, "", false, 400},
		{"get scenario", "GET", "/api/scenarios/{id}", "/api/scenarios/{scenario}", "", "", false, 200},
		{"unknown scenario", "GET", "/api/scenarios/{id}", "/api/scenarios/999999", "", "", false, 404},
		{"proposal form", "GET", "/api/propositions/formulaire", "/api/propositions/formulaire", "", "", false, 200},
		{"proposal check", "POST", "/api/propositions/verification", "/api/propositions/verification", "{ajout}", "", false, 200},
		{"proposal", "POST", "/api/propositions", "/api/propositions", "{ajout}", "", false, 201},
		{"report", "POST", "/api/propositions", "/api/propositions", "{signalement}", "", false, 201},
		{"invalid proposal", "POST", "/api/propositions", "/api/propositions", `{"type":"ajout","champs":{}}`, "", false, 400},
		{"proposal status", "GET", "/api/propositions/{token}", "/api/propositions/{token}", "", "", false, 200},
		{"unknown proposal", "GET", "/api/propositions/{token}", "/api/propositions/inconnu", "", "", false, 404},
		{"history", "GET", "/api/sites/{id}/historique", "/api/sites/lieu-1/historique", "", "", false, 200},
		{"session anonymous", "GET", "/api/session", "/api/session", "", "", false, 401},
		{"login failed", "POST", "/api/session", "/api/session", `{"email":"moderateur80@example.fr","password":"faux"}`, "", false, 401},
		{"session", "GET", "/api/session", "/api/session", "", "moderateur", false, 200},
		{"queue anonymous", "GET", "/api/moderation/propositions", "/api/moderation/propositions", "", "", false, 401},
		{"queue", "GET", "/api/moderation/propositions", "/api/moderation/propositions", "", "moderateur", false, 200},
		{"proposal detail", "GET", "/api/moderation/propositions/{id}", "/api/moderation/propositions/{proposal}", "", "moderateur", false, 200},
		{"unknown proposal detail", "GET", "/api/moderation/propositions/{id}", "/api/moderation/propositions/999999", "", "moderateur", false, 404},
		{"accept without CSRF", "POST", "/api/moderation/propositions/{id}/accepter", "/api/moderation/propositions/{report}/accepter", "", "moderateur", false, 403},
		{"accept", "POST", "/api/moderation/propositions/{id}/accepter", "/api/moderation/propositions/{report}/accepter", "", "moderateur", true, 200},
		{"accept twice", "POST", "/api/moderation/propositions/{id}/accepter", "/api/moderation/propositions/{report}/accepter", "", "moderateur", true, 409},
		{"refuse", "POST", "/api/moderation/propositions/{id}/refuser", "/api/moderation/propositions/{proposal}/refuser", `{"motif":"doublon d'un lieu existant"}`, "moderateur", true, 200},
		{"refuse unknown", "POST", "/api/moderation/propositions/{id}/refuser", "/api/moderation/propositions/999999/refuser", `{"motif":"x"}`, "moderateur", true, 404},
		{"confirm", "POST", "/api/moderation/sites/{id}/confirmer", "/api/moderation/sites/lieu-1/confirmer", "", "moderateur", true, 200},
		{"closed places", "GET", "/api/moderation/sites/fermes", "/api/moderation/sites/fermes", "", "moderateur", false, 200},
		{"restore", "POST", "/api/moderation/sites/{id}/restaurer", "/api/moderation/sites/lieu-3/restaurer", "", "moderateur", true, 200},
		{"restore open place", "POST", "/api/moderation/sites/{id}/restaurer", "/api/moderation/sites/lieu-2/restaurer", "", "moderateur", true, 404},
		{"users not admin", "GET", "/api/moderation/utilisateurs", "/api/moderation/utilisateurs", "", "moderateur", false, 403},
		{"users", "GET", "/api/moderation/utilisateurs", "/api/moderation/utilisateurs", "", "admin", false, 200},
		{"logout", "DELETE", "/api/session", "/api/session", "", "moderateur", true, 204},
		{"login", "POST", "/api/session", "/api/session", `{"email":"moderateur80@example.fr","password":"` + contribPassword + `"}`, "", false, 200},
	}
}

// tour runs the cases on ss and calls check with each answer.
func (ss *specServer) tour(t *testing.T, check func(t *testing.T, c specCase, req *http.Request, resp *http.Response, body []byte)) {
	t.Helper()
	ctx := context.Background()
	if _, err := ss.contrib.Contributions.AddProposal(ctx, cartonum.Proposal{Type: cartonum.ProposalReport,
		Place: "lieu-1", Motive: cartonum.MotiveOther, Token: "jeton-de-suivi", Status: cartonum.StatusPending,
		CreatedAt: time.Now(), Departement: "80"}); err != nil {
		t.Fatal(err)
	}
	tile := maptile.At(orb.Point{2.30, 49.90}, 12)
	vars := map[string]string{"{tile}": fmt.Sprintf("12/%d/%d", tile.X, tile.Y), "{token}": "jeton-de-suivi"}
	sessions := map[string]*contribAuth{}
	cs := &contribServer{URL: ss.URL}
	for _, c := range specCases() {
		path, body := c.path, c.body
		for k, v := range vars {
			path = strings.ReplaceAll(path, k, v)
		}
		switch body {
		case "{ajout}", "{signalement}":
			body = ss.proposalBody(t, cs, body)
		}
		req, err := http.NewRequest(c.method, ss.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.auth != "" {
			a := sessions[c.auth]
			if a == nil {
				email := map[string]string{"moderateur": contribModerator80, "admin": "admin@example.fr"}[c.auth]
				a = cs.loginAs(t, email)
				sessions[c.auth] = a
			}
			req.AddCookie(&http.Cookie{Name: SessionCookie, Value: a.cookie})
			if c.csrf {
				req.Header.Set(CSRFHeader, a.csrf)
			}
		}
		resp, b := roundTrip(t, http.DefaultClient, req)
		t.Run(c.name, func(t *testing.T) {
			if resp.StatusCode != c.status {
				t.Fatalf("%s %s: %d, want %d: %.300s", c.method, path, resp.StatusCode, c.status, b)
			}
			check(t, c, req, resp, b)
		})
		ss.remember(c, b, vars)
	}
}

// proposalBody is the JSON of an ajout in Amiens or of a report on
// lieu-3, with a fresh form token.
func (ss *specServer) proposalBody(t *testing.T, cs *contribServer, kind string) string {
	t.Helper()
	var v map[string]any
	if kind == "{ajout}" {
		v = cs.amiensAjout(t)
	} else {
		v = map[string]any{"type": "signalement", "lieu": "lieu-3", "motif": "ferme", "jeton": cs.formToken(t)}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// remember keeps the ids that later cases use.
func (ss *specServer) remember(c specCase, body []byte, vars map[string]string) {
	var created struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(body, &created) != nil || created.ID == 0 {
		return
	}
	switch c.name {
	case "stored scenario":
		vars["{scenario}"] = fmt.Sprint(created.ID)
	case "proposal":
		vars["{proposal}"] = fmt.Sprint(created.ID)
	case "report":
		vars["{report}"] = fmt.Sprint(created.ID)
	}
}
