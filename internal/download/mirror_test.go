package download

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// mirrorDir returns the development data mirror (the Makefile's DATA_MIRROR,
// relative to the module root, default ../shared/data), or skips the test
// when it is absent.
func mirrorDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DATA_MIRROR")
	if dir == "" {
		dir = filepath.Join("..", "shared", "data")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", "..", dir) // tests run in internal/download
	}
	if _, err := os.Stat(filepath.Join(dir, "communes-32.geojson")); err != nil {
		t.Skipf("no data mirror: %v", err)
	}
	return dir
}

// TestFetchMirror plays the official sources with the real files of the
// mirror, which have the target shapes: the validation must accept real
// data, and the output must be the mirror again.
func TestFetchMirror(t *testing.T) {
	if testing.Short() {
		t.Skip("reads several MB")
	}
	dir := mirrorDir(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	communes := read("communes-32.geojson")
	departements := read("departements-32.geojson")
	places := read("lieux-32-v1.csv")
	var want []cartonum.EPCI
	if err := json.Unmarshal(read("epci-32.json"), &want); err != nil {
		t.Fatal(err)
	}

	// The package's shape: members as objects, populations split.
	type member struct {
		Code string `json:"code"`
	}
	type epci struct {
		Code                 string   `json:"code"`
		Nom                  string   `json:"nom"`
		Type                 string   `json:"type"`
		PopulationMunicipale int      `json:"populationMunicipale"`
		Membres              []member `json:"membres"`
	}
	var pkg []epci
	for _, e := range want {
		pe := epci{Code: e.Code, Nom: e.Nom, Type: e.Type, PopulationMunicipale: e.Population}
		for _, m := range e.Membres {
			pe.Membres = append(pe.Membres, member{Code: m})
		}
		pkg = append(pkg, pe)
	}
	pkgJSON, err := json.Marshal(pkg)
	if err != nil {
		t.Fatal(err)
	}

	fx := newFixture(t)
	fx.setTarball(buildTarball(t, map[string][]byte{"package/data/epci.json": pkgJSON}))
	fx.set("communes", func(w http.ResponseWriter, r *http.Request) { w.Write(communes) })
	fx.set("contours", func(w http.ResponseWriter, r *http.Request) { w.Write(departements) })
	fx.set("places", func(w http.ResponseWriter, r *http.Request) { w.Write(places) })

	files, err := Fetch(t.Context(), fx.options("32", t.TempDir()))
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}

	if got, _ := os.ReadFile(files.Communes); string(got) != string(communes) {
		t.Error("communes differ from the mirror")
	}
	if got, _ := os.ReadFile(files.Places); string(got) != string(places) {
		t.Error("places differ from the mirror")
	}
	var gotDep, wantDep any
	b, _ := os.ReadFile(files.Departements)
	if err := json.Unmarshal(b, &gotDep); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(departements, &wantDep); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotDep, wantDep) {
		t.Error("départements differ from the mirror")
	}
	var got []cartonum.EPCI
	b, _ = os.ReadFile(files.EPCI)
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EPCI differ from the mirror: %d EPCI, want %d", len(got), len(want))
	}
}
