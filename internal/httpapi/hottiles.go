package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/metrics"
	"github.com/cartonum/cartonum/internal/tileset"
)

// hotTiles answers the tile requests of a map ahead of the rest of the
// middleware chain and of the routing: a map asks for tens of tiles a
// view, and a public map behind a CDN is judged on requests per second
// against a static file server. The answer is the routed one (writeTile),
// with the headers the chain would add (request id, nosniff, CORS) and
// the same metrics, without its per-request allocations (a context and a
// request copy for the id, two response-writer wrappers, chi's path
// values and route pattern, the query's parsing): a cached tile goes out
// with two allocations instead of eighteen (BenchmarkTileRoute).
//
// It takes only the plain requests: GET or HEAD of
// /tiles/{layer}/{z}/{x}/{y}.mvt (or .pbf) in canonical decimal, known
// layers, no query but the data version v, and no debug logging (which
// logs every tile). Anything else — a filter, an invalid tile, an escaped
// path, a tile that fails to build — goes on through the chain and the
// router, which answer it as before. TestHotTilesAsRouted compares both
// answers over a matrix of requests.
func (s *Server) hotTiles(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hotTile(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// hotTile answers r when it is a plain tile request, and reports whether
// it did (a panic while answering included: it is answered 500).
func (s *Server) hotTile(w http.ResponseWriter, r *http.Request) (answered bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.RawPath != "" {
		return false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/tiles/")
	if !ok {
		return false
	}
	start := time.Now()
	v, ok := plainVersion(r.URL.RawQuery)
	if !ok || s.logger.Enabled(r.Context(), slog.LevelDebug) {
		return false
	}
	layers, tile, ok := parseTilePath(rest)
	if !ok {
		return false
	}
	id := r.Header.Get(RequestIDHeader)
	if !saneRequestID(id) {
		id = s.ids.next()
	}
	// As the chain's recoverer: a panic while a tile is built (a cache
	// miss) or written is logged and answered 500, and counted.
	defer func() {
		if p := recover(); p != nil {
			w.Header()[RequestIDHeader] = []string{id}
			w.Header()["X-Content-Type-Options"] = noSniffValue
			s.panicked(w, r.WithContext(context.WithValue(r.Context(), middleware.RequestIDKey, id)), p)
			if s.metrics != nil {
				s.tileMetrics(r.Method).Observe(http.StatusInternalServerError, time.Since(start))
			}
			answered = true
		}
	}()
	set := s.tileSet()
	t, err := set.Get(tileset.Request{Layers: layers, Tile: tile})
	if err != nil {
		return false // the routed request renders the error
	}
	h := w.Header()
	h[RequestIDHeader] = []string{id}
	h["X-Content-Type-Options"] = noSniffValue
	_, origin := r.Header["Origin"]
	if origin {
		h["Access-Control-Expose-Headers"] = corsExposeValue()
	}
	status, err := s.writeTile(w, r, set, layers, t, v)
	if err != nil {
		// Nothing written yet (writeTile fails only before): the
		// routed request renders the error, with a context of its own
		// and the headers it sets itself.
		for _, k := range []string{RequestIDHeader, "X-Content-Type-Options", "Access-Control-Expose-Headers",
			"Cache-Control", "Access-Control-Allow-Origin", "Vary", "Etag", "Content-Type"} {
			delete(h, k)
		}
		return false
	}
	if s.metrics != nil {
		s.tileMetrics(r.Method).Observe(status, time.Since(start))
	}
	return true
}

// plainVersion reads a tile request's query when it is empty or only the
// data version, v=, in letters and digits (what the web app and the
// TileJSON write). ok is false for any other query.
func plainVersion(raw string) (v string, ok bool) {
	if raw == "" {
		return "", true
	}
	v, ok = strings.CutPrefix(raw, "v=")
	if !ok || v == "" || len(v) > 32 {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", false
		}
	}
	return v, true
}

// parseTilePath reads "{layer}/{z}/{x}/{y}.mvt" (or .pbf): known
// layers, each once, z from 0 to tileset.MaxRequestZoom, x and y in the
// zoom's range, all in canonical decimal (no sign, no leading zero). ok
// is false for anything else, which the router then answers.
func parseTilePath(p string) (layers []string, t maptile.Tile, ok bool) {
	name, p, _ := strings.Cut(p, "/")
	if layers, ok = layerLists()[name]; !ok {
		return nil, t, false
	}
	zs, p, _ := strings.Cut(p, "/")
	xs, ys, _ := strings.Cut(p, "/")
	ys, ok = strings.CutSuffix(ys, ".mvt")
	if !ok {
		if ys, ok = strings.CutSuffix(ys, ".pbf"); !ok {
			return nil, t, false
		}
	}
	z, okz := canonicalUint(zs)
	x, okx := canonicalUint(xs)
	y, oky := canonicalUint(ys)
	if !okz || !okx || !oky || z > tileset.MaxRequestZoom || x >= 1<<z || y >= 1<<z {
		return nil, t, false
	}
	return layers, maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), true
}

// canonicalUint parses a decimal number of at most 9 digits without sign
// nor leading zero.
func canonicalUint(s string) (uint64, bool) {
	if s == "" || len(s) > 9 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// layerLists holds the layer list of every valid {layer} segment: each
// ordered choice of distinct layers (64 for four layers), as tileLayers
// parses it, shared read-only.
var layerLists = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	var add func(names []string, used map[string]bool)
	add = func(names []string, used map[string]bool) {
		if len(names) > 0 {
			m[strings.Join(names, ",")] = append([]string(nil), names...)
		}
		for _, l := range tileset.Layers {
			if !used[l.ID] {
				used[l.ID] = true
				add(append(names, l.ID), used)
				used[l.ID] = false
			}
		}
	}
	add(nil, map[string]bool{})
	return m
})

// corsExposeValue is the Access-Control-Expose-Headers value the CORS
// middleware answers to a request with an Origin, read once from the
// middleware itself (corsOptions).
var corsExposeValue = sync.OnceValue(func() []string {
	rec := &headerRecorder{h: http.Header{}}
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "https://example.org")
	cors.Handler(corsOptions)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, r)
	v := rec.h.Values("Access-Control-Expose-Headers")
	return v[:len(v):len(v)]
})

// headerRecorder is a ResponseWriter that keeps only its headers.
type headerRecorder struct{ h http.Header }

func (w *headerRecorder) Header() http.Header         { return w.h }
func (w *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerRecorder) WriteHeader(int)             {}

// tileMetrics returns the metrics of the tile route for a method (GET or
// HEAD), resolved once per server.
func (s *Server) tileMetrics(method string) *metrics.Route {
	s.tileRoutesOnce.Do(func() {
		s.tileRoutes[0] = s.metrics.Route(tileRoute, http.MethodGet)
		s.tileRoutes[1] = s.metrics.Route(tileRoute, http.MethodHead)
	})
	if method == http.MethodHead {
		return s.tileRoutes[1]
	}
	return s.tileRoutes[0]
}
