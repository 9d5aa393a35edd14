package httpapi

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	dto "github.com/prometheus/client_model/go"

	"github.com/cartonum/cartonum/internal/metrics"
	"github.com/cartonum/cartonum/internal/tileset"
)

// TestHotTilesAsRouted: the tile requests answered ahead of the chain
// (hottiles.go) get exactly the routed answer — status, headers, body —
// and the same metrics, over a matrix of paths, queries, methods and
// headers; the requests the hot path must leave to the router (filters,
// invalid or non-canonical tiles, escaped paths, other methods) are left.
// The routed answers come from the same server with debug logs, which
// turn the hot path off.
func TestHotTilesAsRouted(t *testing.T) {
	live := liveOf(t, fixtureData())
	info := slog.New(slog.NewTextHandler(io.Discard, nil))
	debug := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hot := New(live, DefaultConfig(), info).WithMetrics(metrics.New(), true)
	direct := New(live, DefaultConfig(), info).WithMetrics(metrics.New(), true)
	routed := New(live, DefaultConfig(), debug).WithMetrics(metrics.New(), true)

	set := live.Load().Tiles()
	version := func(layers string) string {
		return strconv.FormatInt(set.LayersVersion(strings.Split(layers, ",")), 10)
	}
	var hotPaths []string
	at := func(z int) maptile.Tile { return maptile.At(orb.Point{2.3, 49.9}, maptile.Zoom(z)) }
	for _, layers := range []string{"communes", "sites", "epci", "departements",
		"departements,epci,communes,sites", "sites,communes"} {
		for _, tile := range []maptile.Tile{at(0), at(6), at(10), at(12), at(14), at(22),
			maptile.At(orb.Point{-30, 0}, 10)} { // the sea: an empty tile
			for _, ext := range []string{".mvt", ".pbf"} {
				hotPaths = append(hotPaths, fmt.Sprintf("/tiles/%s/%d/%d/%d%s", layers, tile.Z, tile.X, tile.Y, ext))
			}
		}
	}
	routedPaths := []string{
		"/tiles/communes/12/+2073/1396.mvt", "/tiles/communes/012/2073/1396.mvt",
		"/tiles/communes/12/2073/-1.mvt", "/tiles/foo/1/0/0.mvt", "/tiles/communes,communes/1/0/0.mvt",
		"/tiles/communes,/1/0/0.mvt", "/tiles//1/0/0.mvt", "/tiles/communes/23/0/0.mvt",
		"/tiles/communes/2/4/0.mvt", "/tiles/communes/2/0/4.mvt", "/tiles/communes/1/0/0.png",
		"/tiles/communes/1/0/0", "/tiles/communes/1/0/0/1.mvt", "/tiles/communes%2Csites/1/0/0.mvt",
		"/tiles/communes/1/0/0.mvt/", "/tiles/communes/99999999999/0/0.mvt", "/tiles/communes.json",
		"/tiles/communes/1/0/%30.mvt", "/tiles/labels/10/518/348.mvt",
	}
	hotQueries := []string{"", "v=" + version("communes"), "v=123", "v=abc"}
	routedQueries := []string{"services=Aide%20aux%20d%C3%A9marches%20administratives", "v=1&v=2", "x=1",
		"v=%31", "v=", "v=1;x", "ouvert=maintenant", "V=1"}

	etags := map[string][2]string{} // path → ETag of the raw and of the gzipped tile
	etagsOf := func(path string) [2]string {
		if e, ok := etags[path]; ok {
			return e
		}
		var e [2]string
		for i, enc := range []string{"identity", "gzip"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.Header.Set("Accept-Encoding", enc)
			w := httptest.NewRecorder()
			direct.ServeHTTP(w, r) // not counted in the metrics compared below
			e[i] = w.Header().Get("ETag")
		}
		etags[path] = e
		return e
	}

	rng := rand.New(rand.NewPCG(2026, 12))
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	idPattern := regexp.MustCompile(`^[0-9a-f]{32}$`)
	hotSeen, routedSeen := 0, 0
	for i := range 3000 {
		method := pick([]string{http.MethodGet, http.MethodGet, http.MethodHead})
		path, query := pick(hotPaths), pick(hotQueries)
		wantHot := true
		switch rng.IntN(6) {
		case 0:
			path, wantHot = pick(routedPaths), false
		case 1:
			query, wantHot = pick(routedQueries), false
		case 2:
			if rng.IntN(3) == 0 {
				method, wantHot = pick([]string{http.MethodPost, http.MethodOptions, http.MethodPut}), false
			}
		}
		target := path
		if query != "" {
			target += "?" + query
		}
		header := http.Header{}
		if enc := pick([]string{"", "gzip", "gzip;q=0", "br, gzip", "identity"}); enc != "" {
			header.Set("Accept-Encoding", enc)
		}
		if wantHot {
			e := etagsOf(path)
			if inm := pick([]string{"", "", e[0], e[1], `"nope"`, "*", `W/` + e[1]}); inm != "" {
				header.Set("If-None-Match", inm)
			}
		}
		if o := pick([]string{"", "", "https://example.org", "null"}); o != "" {
			header.Set("Origin", o)
		}
		if method == http.MethodOptions {
			header.Set("Access-Control-Request-Method", http.MethodGet)
		}
		givenID := pick([]string{"", "", "abc-123", "bad id!", strings.Repeat("x", 65)})
		if givenID != "" {
			header.Set(RequestIDHeader, givenID)
		}
		request := func() *http.Request {
			r := httptest.NewRequest(method, target, nil)
			r.Header = header.Clone()
			return r
		}
		name := fmt.Sprintf("#%d %s %s %v", i, method, target, header)

		dw := httptest.NewRecorder()
		if took := direct.hotTile(dw, request()); took != wantHot {
			t.Fatalf("%s: hot path took it: %v, want %v", name, took, wantHot)
		}
		if wantHot {
			hotSeen++
		} else {
			routedSeen++
		}
		hw, rw := httptest.NewRecorder(), httptest.NewRecorder()
		hot.ServeHTTP(hw, request())
		routed.ServeHTTP(rw, request())
		answers := []*httptest.ResponseRecorder{hw}
		if wantHot {
			answers = append(answers, dw)
		}
		for _, got := range answers {
			gh, rh := got.Header().Clone(), rw.Header().Clone()
			gid, rid := gh.Get(RequestIDHeader), rh.Get(RequestIDHeader)
			// Error bodies name the request id: compared without it.
			gb := strings.ReplaceAll(got.Body.String(), gid, "ID")
			rb := strings.ReplaceAll(rw.Body.String(), rid, "ID")
			if got.Code != rw.Code || gb != rb {
				t.Fatalf("%s: %d, %d bytes; routed: %d, %d bytes %q", name, got.Code, got.Body.Len(), rw.Code, rw.Body.Len(), rb)
			}
			if saneRequestID(givenID) {
				if gid != givenID || rid != givenID {
					t.Fatalf("%s: request ids %q and %q, want the given %q", name, gid, rid, givenID)
				}
			} else if !idPattern.MatchString(gid) || !idPattern.MatchString(rid) {
				t.Fatalf("%s: request ids %q and %q, want fresh ones", name, gid, rid)
			}
			gh.Del(RequestIDHeader)
			rh.Del(RequestIDHeader)
			if fmt.Sprint(gh) != fmt.Sprint(rh) {
				t.Fatalf("%s: headers\n%v\nrouted:\n%v", name, gh, rh)
			}
		}
	}
	if hotSeen < 1000 || routedSeen < 500 {
		t.Fatalf("matrix too thin: %d hot, %d routed requests", hotSeen, routedSeen)
	}

	// The same requests make the same request counts (durations aside).
	counts := func(s *Server) map[string]uint64 {
		families, err := s.metrics.Registry().Gather()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]uint64{}
		for _, f := range families {
			switch f.GetName() {
			case "cartonum_http_requests_total", "cartonum_http_request_duration_seconds":
				for _, m := range f.GetMetric() {
					key := f.GetName() + labelString(m.GetLabel())
					if c := m.GetCounter(); c != nil {
						out[key] = uint64(c.GetValue())
					} else {
						out[key] = m.GetHistogram().GetSampleCount()
					}
				}
			}
		}
		return out
	}
	hc, rc := counts(hot), counts(routed)
	if fmt.Sprint(hc) != fmt.Sprint(rc) {
		t.Errorf("request metrics differ:\nhot:    %v\nrouted: %v", hc, rc)
	}
	if hc[`cartonum_http_requests_total{code="200",method="GET",route="`+tileRoute+`"}`] == 0 {
		t.Errorf("no tile counted: %v", hc)
	}
}

func labelString(labels []*dto.LabelPair) string {
	var parts []string
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	slices.Sort(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

// TestHotTileAllocations: a cached tile answered by the hot path
// allocates only its request id (BenchmarkTileRoute shows the time).
func TestHotTileAllocations(t *testing.T) {
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).
		WithMetrics(metrics.New(), true)
	tile := maptile.At(orb.Point{2.3, 49.9}, 12)
	r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/tiles/communes/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y), nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := &discardWriter{h: http.Header{}}
	if !s.hotTile(w, r) || w.h.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not answered hot: %v", w.h)
	}
	if n := testing.AllocsPerRun(200, func() {
		clear(w.h)
		s.hotTile(w, r)
	}); n > 2 {
		t.Errorf("a hot tile costs %v allocations, want at most 2 (its request id)", n)
	}
}

// TestLayerLists: every {layer} segment the hot path knows is one that
// tileLayers accepts, with the same layers, and it knows them all.
func TestLayerLists(t *testing.T) {
	lists := layerLists()
	want, arrangements := 0, 1 // ordered choices of k distinct layers among n
	for k := range len(tileset.Layers) {
		arrangements *= len(tileset.Layers) - k
		want += arrangements
	}
	if len(lists) != want || want < 64 {
		t.Errorf("%d layer lists, want %d for %d layers", len(lists), want, len(tileset.Layers))
	}
	for name, layers := range lists {
		got, err := tileLayers(name)
		if err != nil || !slices.Equal(got, layers) {
			t.Errorf("%q: hot %v, tileLayers %v (%v)", name, layers, got, err)
		}
	}
}

// panicWriter panics at its first Write, as a tile that fails while it
// is answered.
type panicWriter struct {
	h      http.Header
	code   int
	writes int
}

func (w *panicWriter) Header() http.Header  { return w.h }
func (w *panicWriter) WriteHeader(code int) { w.code = code }
func (w *panicWriter) Write(b []byte) (int, error) {
	w.writes++
	if w.writes == 1 {
		panic("tile write failed")
	}
	return len(b), nil
}

// TestHotTilePanic: a panic while a hot tile is answered is recovered as
// the chain's recoverer does it: logged with the request id, answered
// 500, counted in the metrics; it does not reach net/http.
func TestHotTilePanic(t *testing.T) {
	var logs strings.Builder
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(&logs, nil))).
		WithMetrics(metrics.New(), true)
	tile := maptile.At(orb.Point{2.3, 49.9}, 12)
	r := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/tiles/communes/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y), nil)
	r.Header.Set("Accept-Encoding", "gzip")
	r.Header.Set(RequestIDHeader, "trace-42")
	w := &panicWriter{h: http.Header{}}
	if !s.hotTile(w, r) {
		t.Fatal("not answered hot")
	}
	if w.code != http.StatusInternalServerError || w.writes != 2 {
		t.Errorf("status %d after %d writes, want 500 and the error body", w.code, w.writes)
	}
	if !strings.Contains(logs.String(), "level=ERROR msg=panic") || !strings.Contains(logs.String(), "request_id=trace-42") {
		t.Errorf("panic not logged with its request id: %s", logs.String())
	}
	families, err := s.metrics.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	counted := false
	for _, f := range families {
		for _, m := range f.GetMetric() {
			if f.GetName() == "cartonum_http_requests_total" && labelString(m.GetLabel()) ==
				`{code="500",method="GET",route="`+tileRoute+`"}` && m.GetCounter().GetValue() == 1 {
				counted = true
			}
		}
	}
	if !counted {
		t.Error("the 500 is not counted for the tile route")
	}
}
