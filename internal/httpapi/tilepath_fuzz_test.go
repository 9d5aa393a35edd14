package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/tileset"
	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// canonicalTile matches the tile paths written the way TileJSON writes
// them: known layers, decimal coordinates without sign or leading zero.
var canonicalTile = regexp.MustCompile(`^((?:sites|communes|epci|departements)(?:,(?:sites|communes|epci|departements))*)/(0|[1-9][0-9]{0,9})/(0|[1-9][0-9]{0,9})/(0|[1-9][0-9]{0,9})\.(?:mvt|pbf)$`)

// wellFormedTile reports whether path, the part after /tiles/, names a
// tile the server must serve: canonical, no layer twice, z at most
// tileset.MaxRequestZoom, x and y inside the zoom's grid.
func wellFormedTile(path string) bool {
	m := canonicalTile.FindStringSubmatch(path)
	if m == nil {
		return false
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(m[1], ",") {
		if seen[l] {
			return false
		}
		seen[l] = true
	}
	z, _ := strconv.Atoi(m[2])
	x, _ := strconv.Atoi(m[3])
	y, _ := strconv.Atoi(m[4])
	return z <= tileset.MaxRequestZoom && x < 1<<z && y < 1<<z
}

// FuzzTilePath requests /tiles/{path} from the API over the fixture. The
// path comes from the client, so whatever it holds the server must answer
// without a panic or a server error; a well-formed tile path is served
// (200 or 204, never refused), and every tile served is valid MVT.
func FuzzTilePath(f *testing.F) {
	for _, s := range []string{
		"communes/10/518/347.mvt",
		"sites/12/2074/1386.mvt",
		"sites,communes/8/129/86.pbf",
		"epci/0/0/0.mvt",
		"departements/22/2123775/1419176.mvt",
		"communes/22/4194304/0.mvt",
		"communes/23/0/0.mvt",
		"communes/-1/0/0.mvt",
		"communes/3/8/0.mvt",
		"communes/3/+1/0.mvt",
		"communes/3/1/0",
		"communes/3/1/0.png",
		"communes/3/1/0.mvt.mvt",
		"communes,communes/3/1/0.mvt",
		"inconnue/3/1/0.mvt",
		"communes/99999999999999999999/1/0.mvt",
		"communes/3/1/%30.mvt",
		"communes/3/1/",
		"communes//1/0.mvt",
		"",
	} {
		f.Add(s)
	}
	s := New(liveOf(f, fixtureData()), Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.Fuzz(func(t *testing.T, path string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = "/tiles/" + path
		r.URL.RawPath = ""
		r.RequestURI = r.URL.EscapedPath()
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		code := w.Code
		if code >= 500 {
			t.Fatalf("GET /tiles/%q: status %d: %s", path, code, w.Body)
		}
		if wellFormedTile(path) && code != http.StatusOK && code != http.StatusNoContent {
			t.Fatalf("GET /tiles/%q, a well-formed tile: status %d: %s", path, code, w.Body)
		}
		if code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/vnd.mapbox-vector-tile") {
			return
		}
		data := w.Body.Bytes()
		if w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("GET /tiles/%q without Accept-Encoding: Content-Encoding %q", path, w.Header().Get("Content-Encoding"))
		}
		probs, err := mvtcheck.Validate(data, tiles.Extent, tiles.Buffer)
		if err != nil {
			t.Fatalf("GET /tiles/%q: %v", path, err)
		}
		if len(probs) > 0 {
			t.Fatalf("GET /tiles/%q: %s", path, mvtcheck.Summary(probs))
		}
	})
}
