package download

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixture is a loopback server that plays the four sources from the files
// in testdata. Handlers in override replace the route of the same name:
// communes, contours, npm-meta, tarball, places.
type fixture struct {
	t        *testing.T
	srv      *httptest.Server
	override map[string]http.HandlerFunc

	mu       sync.Mutex
	tarball  []byte     // served as the latest version's tarball
	requests []*url.URL // every request received
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fx := &fixture{
		t:        t,
		override: make(map[string]http.HandlerFunc),
		tarball: buildTarball(t, map[string][]byte{
			"package/package.json":       []byte(`{"name":"@etalab/decoupage-administratif","version":"6.1.0"}`),
			"package/data/epci.json":     readTestdata(t, "epci.json"),
			"package/data/communes.json": readTestdata(t, "pkg-communes.json"),
		}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /geo/communes", fx.route("communes", fx.serveCommunes))
	mux.HandleFunc("GET /contours/departements-100m.geojson", fx.route("contours", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/geo+json")
		w.Write(readTestdata(t, "departements-national.geojson"))
	}))
	mux.HandleFunc("GET /npm/@etalab/decoupage-administratif", fx.route("npm-meta", fx.serveMetadata))
	mux.HandleFunc("GET /npm/@etalab/decoupage-administratif/-/decoupage-administratif-6.1.0.tgz", fx.route("tarball", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(fx.currentTarball())
	}))
	mux.HandleFunc("GET /data/lieux.csv", fx.route("places", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write(readTestdata(t, "lieux.csv"))
	}))
	fx.srv = httptest.NewServer(mux)
	t.Cleanup(fx.srv.Close)
	return fx
}

// route returns the override of name if any, else h, recording the request.
func (fx *fixture) route(name string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fx.mu.Lock()
		fx.requests = append(fx.requests, r.URL)
		o := fx.override[name]
		fx.mu.Unlock()
		if o != nil {
			o(w, r)
			return
		}
		h(w, r)
	}
}

// serveCommunes answers testdata/communes-<codeRegion>.geojson, or an empty
// collection for a région without fixture, as geo.api.gouv.fr does.
func (fx *fixture) serveCommunes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("format") != "geojson" || q.Get("geometry") != "contour" || q.Get("fields") != communeFields {
		http.Error(w, "unexpected query "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	b, err := os.ReadFile(filepath.Join("testdata", "communes-"+q.Get("codeRegion")+".geojson"))
	if err != nil {
		w.Write([]byte(`{"type":"FeatureCollection","features":[]}`))
		return
	}
	w.Write(b)
}

// serveMetadata answers the npm document, pointing at the fixture server and
// carrying the checksums of the current tarball.
func (fx *fixture) serveMetadata(w http.ResponseWriter, r *http.Request) {
	tgz := fx.currentTarball()
	s512 := sha512.Sum512(tgz)
	s1 := sha1.Sum(tgz)
	doc := strings.NewReplacer(
		"{{BASE}}", fx.srv.URL,
		"{{INTEGRITY}}", "sha512-"+base64.StdEncoding.EncodeToString(s512[:]),
		"{{SHASUM}}", hex.EncodeToString(s1[:]),
	).Replace(string(readTestdata(fx.t, "npm-metadata.json")))
	w.Header().Set("Content-Type", "application/vnd.npm.install-v1+json")
	w.Write([]byte(doc))
}

// set makes h answer the route name.
func (fx *fixture) set(name string, h http.HandlerFunc) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.override[name] = h
}

// seen returns the URLs requested so far.
func (fx *fixture) seen() []*url.URL {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return slices.Clone(fx.requests)
}

func (fx *fixture) currentTarball() []byte {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return fx.tarball
}

func (fx *fixture) setTarball(b []byte) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.tarball = b
}

// sources returns the fixture's URLs as Sources.
func (fx *fixture) sources() Sources {
	return Sources{
		GeoAPI:      fx.srv.URL + "/geo",
		Contours:    fx.srv.URL + "/contours/departements-100m.geojson",
		NPMRegistry: fx.srv.URL + "/npm/",
		Places:      fx.srv.URL + "/data/lieux.csv",
	}
}

// options returns Options that fetch region from the fixture into dest.
func (fx *fixture) options(region, dest string) Options {
	return Options{
		Region:  region,
		Dest:    dest,
		Sources: fx.sources(),
		Client:  fx.srv.Client(),
		Logger:  slog.New(slog.NewTextHandler(fx.t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buildTarball returns a gzipped tar of files, in name order, with the
// directory entries npm tarballs may carry.
func buildTarball(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "package/data/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b := files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(b))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (run go test -update to rewrite):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestFetch(t *testing.T) {
	tests := []struct {
		region       string
		departements []string
		epci         []string
	}{
		{region: "32", departements: []string{"02", "59"}, epci: []string{"200068500", "200071785"}},
		{region: "01", departements: []string{"971"}, epci: []string{"200018653"}},
	}
	for _, tt := range tests {
		t.Run("region "+tt.region, func(t *testing.T) {
			fx := newFixture(t)
			dest := t.TempDir()
			// A file from an earlier run is replaced.
			old := filepath.Join(dest, "epci-"+tt.region+".json")
			if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}

			files, err := Fetch(t.Context(), fx.options(tt.region, dest))
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}

			if want := FileNames(dest, tt.region); files != want {
				t.Errorf("Files = %+v, want %+v", files, want)
			}
			want := []string{
				"communes-" + tt.region + ".geojson",
				"departements-" + tt.region + ".geojson",
				"epci-" + tt.region + ".json",
				"lieux-" + tt.region + "-v1.csv",
			}
			if got := dirNames(t, dest); !slices.Equal(got, want) {
				t.Errorf("destination holds %q, want %q", got, want)
			}
			for _, p := range []string{files.Communes, files.Departements, files.EPCI, files.Places} {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o644 {
					t.Errorf("%s mode %v, want 0644", p, fi.Mode().Perm())
				}
			}

			got, _ := os.ReadFile(files.Communes)
			if want := readTestdata(t, "communes-"+tt.region+".geojson"); !bytes.Equal(got, want) {
				t.Errorf("communes file is not the geo.api.gouv.fr answer as is")
			}
			got, _ = os.ReadFile(files.Places)
			if want := readTestdata(t, "lieux.csv"); !bytes.Equal(got, want) {
				t.Errorf("places file is not the published CSV as is")
			}

			dep, _ := os.ReadFile(files.Departements)
			checkGolden(t, "departements-"+tt.region+".geojson", dep)
			var fc struct {
				Type     string
				Features []struct {
					Properties map[string]string
				}
			}
			if err := json.Unmarshal(dep, &fc); err != nil {
				t.Fatalf("départements file: %v", err)
			}
			var codes []string
			for _, f := range fc.Features {
				codes = append(codes, f.Properties["code"])
				if len(f.Properties) != 2 || f.Properties["nom"] == "" {
					t.Errorf("département properties %v, want code and nom only", f.Properties)
				}
			}
			if fc.Type != "FeatureCollection" || !slices.Equal(codes, tt.departements) {
				t.Errorf("départements file: type %q codes %q, want FeatureCollection %q", fc.Type, codes, tt.departements)
			}

			ep, _ := os.ReadFile(files.EPCI)
			checkGolden(t, "epci-"+tt.region+".json", ep)
			var epci []struct{ Code string }
			if err := json.Unmarshal(ep, &epci); err != nil {
				t.Fatalf("EPCI file: %v", err)
			}
			codes = codes[:0]
			for _, e := range epci {
				codes = append(codes, e.Code)
			}
			if !slices.Equal(codes, tt.epci) {
				t.Errorf("EPCI %q, want %q", codes, tt.epci)
			}

			var sawCommunes bool
			for _, u := range fx.seen() {
				if u.Path == "/geo/communes" {
					sawCommunes = true
					if got := u.Query().Get("codeRegion"); got != tt.region {
						t.Errorf("communes asked for codeRegion=%q, want %q", got, tt.region)
					}
				}
				if strings.Contains(u.Path, "5.2.0") || strings.Contains(u.Path, "beta") {
					t.Errorf("downloaded %s, want only the latest version", u.Path)
				}
			}
			if !sawCommunes {
				t.Error("communes never requested")
			}
		})
	}
}

func TestSourcesWithDefaults(t *testing.T) {
	got := Sources{Places: "https://mirror.example/lieux.csv"}.withDefaults()
	want := DefaultSources()
	want.Places = "https://mirror.example/lieux.csv"
	if got != want {
		t.Errorf("withDefaults = %+v, want %+v", got, want)
	}
	if err := DefaultSources().validate(); err != nil {
		t.Errorf("default sources: %v", err)
	}
}

func TestCommunesURL(t *testing.T) {
	got := communesURL("https://geo.api.gouv.fr/", "32")
	want := "https://geo.api.gouv.fr/communes?codeRegion=32&fields=code,nom,codeDepartement,codeRegion,codeEpci,codesPostaux,population,contour&format=geojson&geometry=contour"
	if got != want {
		t.Errorf("communesURL = %s\nwant %s", got, want)
	}
	got = communesURL("https://geo.api.gouv.fr", AllRegions)
	want = "https://geo.api.gouv.fr/communes?fields=code,nom,codeDepartement,codeRegion,codeEpci,codesPostaux,population,contour&format=geojson&geometry=contour"
	if got != want {
		t.Errorf("communesURL(all) = %s\nwant %s", got, want)
	}
}

func TestValidateRegion(t *testing.T) {
	for _, code := range []string{"32", "11", "84", "01", "06", "94", "all"} {
		if err := ValidateRegion(code); err != nil {
			t.Errorf("ValidateRegion(%q) = %v", code, err)
		}
	}
	for _, code := range []string{"", "3", "320", "971", "2A", "ab", " 32", "32\n", "ALL", "28,32"} {
		if err := ValidateRegion(code); err == nil {
			t.Errorf("ValidateRegion(%q) = nil, want an error", code)
		}
	}
}
