package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/cartonum/cartonum/internal/metrics"
)

// BenchmarkCachedAnswer is one request of bench/national.sh's wrk part
// through the whole router (gzip, metrics on, info logs), once its answer
// is in the answer cache: what a search, a near list and a place cost in
// the server, and what they allocate (the garbage of a national server,
// whose large heap makes every collection long).
func BenchmarkCachedAnswer(b *testing.B) {
	for _, c := range []struct{ name, url string }{
		{"search", "/api/search?q=Ami&limit=8"},
		{"near", "/api/sites?near=2.30000,49.90000&radius=5000&limit=1000"},
		{"place", "/api/sites/lieu-1"},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := New(liveOf(b, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).
				WithMetrics(metrics.New(), true)
			req := httptest.NewRequest("GET", c.url, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			req.RemoteAddr = "127.0.0.1:40000"
			w := &discardWriter{h: http.Header{}}
			s.ServeHTTP(w, req)
			if w.h.Get("Vary") != "Accept-Encoding" {
				b.Fatalf("%s: not an answer of the cache: %v", c.url, w.h)
			}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				s.ServeHTTP(w, req)
			}
		})
	}
}
