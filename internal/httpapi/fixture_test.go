package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/metrics"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

// square is a commune contour: a square of side d degrees at (lon, lat).
func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

// fixtureData is a small region: two communes of one EPCI and one
// département, and a few places, one of them with a "%" in its name.
func fixtureData() index.Data {
	communes := []cartonum.Commune{
		{Code: "80021", Nom: "Amiens", CodeDepartement: "80", CodeRegion: "32", CodeEpci: "248000531",
			CodesPostaux: []string{"80000"}, Population: 130000, Geometry: square(2.25, 49.85, 0.1)},
		{Code: "80001", Nom: "Abbeville", CodeDepartement: "80", CodeRegion: "32", CodeEpci: "248000531",
			CodesPostaux: []string{"80100"}, Population: 23000, Geometry: square(2.35, 49.85, 0.1)},
	}
	place := func(id, nom, commune, insee string, lon, lat float64, services ...string) cartonum.Place {
		return cartonum.Place{ID: id, Nom: nom, Commune: commune, CodeInsee: insee, CodePostal: "80000",
			Adresse: "1 rue de la Paix", Longitude: lon, Latitude: lat, DateMaj: "2024-01-01", Services: services,
			Provenance: cartonum.Provenance{SourceIDs: []string{id}, Precision: cartonum.PrecisionExact}}
	}
	return index.Data{
		Version:  1,
		Communes: communes,
		EPCIs: []cartonum.EPCI{{Code: "248000531", Nom: "Amiens Métropole", Type: "CA", Population: 153000,
			Membres: []string{"80021", "80001"}}},
		Departements: []cartonum.Departement{{Code: "80", Nom: "Somme", Geometry: square(2.25, 49.85, 0.2)}},
		Places: []cartonum.Place{
			place("lieu-1", "Médiathèque Louis Aragon", "Amiens", "80021", 2.30, 49.90, "Aide aux démarches administratives"),
			place("lieu-2", "Espace 100% numérique", "Amiens", "80021", 2.31, 49.91, "Maîtrise des outils numériques du quotidien"),
			place("lieu-3", "France Services Abbeville", "Abbeville", "80001", 2.40, 49.90, "Aide aux démarches administratives"),
		},
	}
}

// testServer is the API over the fixture with a real SQLite scenario store,
// on a loopback HTTP server.
type testServer struct {
	*Server
	URL   string
	store *sqlite.ScenarioStore
}

func newTestServer(t *testing.T, cfg Config, limits sqlite.ScenarioLimits) *testServer {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cartonum.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store := db.Scenarios(limits)
	live := liveOf(t, fixtureData())
	contrib := &contributing.Service{Store: db, Contributions: db, Territory: live.Current,
		Normalize: standard.Options{Region: "32"}}
	s := New(live, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))).
		WithScenarios(store).WithContributions(contrib).WithMetrics(metrics.New(), true).WithPages(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>page</title>")
	}))
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &testServer{Server: s, URL: hs.URL, store: store}
}

// do sends a request with a raw URL (the query as given, unescaped "%"
// included) and returns the response and its body.
func do(t *testing.T, method, u string, header map[string]string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return roundTrip(t, http.DefaultClient, req)
}

// roundTrip sends req with client and returns the response and its whole
// body, failing the test on a transport error.
func roundTrip(t *testing.T, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Do(req)
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

// errorMessage returns the message of a JSON error answer, failing the
// test when the answer is not one.
func errorMessage(t *testing.T, resp *http.Response, body []byte) string {
	t.Helper()
	var e struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal(body, &e) != nil ||
		e.Error == "" || e.Status != resp.StatusCode {
		t.Fatalf("not a JSON error: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	return e.Error
}

// scenarioCount returns the number of stored scenarios.
func (ts *testServer) scenarioCount(t *testing.T) int {
	t.Helper()
	n, _, err := ts.store.ScenarioCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// liveOf builds the generation of data and publishes it.
func liveOf(tb testing.TB, d index.Data) *generation.Live {
	tb.Helper()
	g, err := generation.Build(context.Background(), index.New(d), generation.DefaultConfig())
	if err != nil {
		tb.Fatal(err)
	}
	return generation.NewLive(g)
}

// fixtureDB opens a fresh SQLite database (closed at the end of the test)
// and returns it with the fixture's data, its places given a SIRET-shaped
// pivot, for the tests that apply the fixture through the store.
func fixtureDB(t *testing.T) (*sqlite.DB, index.Data) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cartonum.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := fixtureData()
	for i := range d.Places {
		d.Places[i].Pivot = "00000000000000"
	}
	return db, d
}
