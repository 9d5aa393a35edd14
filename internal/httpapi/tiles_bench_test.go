package httpapi

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/metrics"
)

// discardWriter is a ResponseWriter that keeps nothing but its headers,
// reset between requests, so that the benchmark measures the server.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkTileRoute is one cached tile through the whole router, as
// bench/nginx-compare.sh asks for it (gzip, metrics on, info logs):
// what a request costs in the server before the kernel's loopback.
func BenchmarkTileRoute(b *testing.B) {
	s := New(liveOf(b, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).
		WithMetrics(metrics.New(), true)
	t := maptile.At(orb.Point{2.3, 49.9}, 12)
	req := httptest.NewRequest("GET", fmt.Sprintf("/tiles/communes/12/%d/%d.mvt", t.X, t.Y), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, req)
	if w.h.Get("Content-Encoding") != "gzip" {
		b.Fatalf("no tile: %v", w.h)
	}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		s.ServeHTTP(w, req)
	}
}
