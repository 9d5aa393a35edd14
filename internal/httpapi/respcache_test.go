package httpapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/metrics"
)

// TestAnswerCache checks the answer cache of the read routes: the same
// bytes, gzipped or not as asked, with the handler's headers but each
// request's own request id; errors not kept; a new generation never served
// stale answers; the default indicators computed into the cache when a
// generation arrives.
func TestAnswerCache(t *testing.T) {
	d := fixtureData()
	live := liveOf(t, d)
	s := New(live, DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	get := func(u, enc string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+u, nil)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			body, _ = io.ReadAll(zr)
		}
		return resp, body
	}

	for _, u := range []string{"/api/indicators?level=epci", "/api/sites?near=2.3,49.9&radius=10000", "/api/search?q=amiens", "/api/sites/lieu-1"} {
		r1, b1 := get(u, "gzip")
		r2, b2 := get(u, "gzip")
		r3, b3 := get(u, "identity")
		if r1.StatusCode != 200 || r2.StatusCode != 200 || r3.StatusCode != 200 {
			t.Fatalf("%s: status %d %d %d", u, r1.StatusCode, r2.StatusCode, r3.StatusCode)
		}
		if !bytes.Equal(b1, b2) || !bytes.Equal(b1, b3) {
			t.Errorf("%s: the cached answer differs from the first", u)
		}
		if r3.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip sent to a client refusing it", u)
		}
		if ct := r2.Header.Get("Content-Type"); ct != r1.Header.Get("Content-Type") || ct == "" {
			t.Errorf("%s: content type %q then %q", u, r1.Header.Get("Content-Type"), ct)
		}
		if id1, id2 := r1.Header.Get(RequestIDHeader), r2.Header.Get(RequestIDHeader); id1 == "" || id1 == id2 {
			t.Errorf("%s: request ids %q and %q: the cache replays another request's id", u, id1, id2)
		}
	}
	if r, _ := get("/api/indicators?level=nope", "gzip"); r.StatusCode != 400 {
		t.Fatalf("bad level: %d", r.StatusCode)
	}
	s.answers.mu.Lock()
	_, kept := s.answers.items["/api/indicators?level=nope"]
	s.answers.mu.Unlock()
	if kept {
		t.Error("an error answer was cached")
	}

	// A new generation: one more place in Abbeville.
	_, before := get("/api/sites?near=2.4,49.9&radius=10000", "gzip")
	d2 := fixtureData()
	d2.Version = 2
	d2.Places = append(d2.Places, cartonum.Place{ID: "lieu-4", Nom: "Nouveau lieu", Commune: "Abbeville", CodeInsee: "80001",
		CodePostal: "80100", Adresse: "2 rue Neuve", Longitude: 2.41, Latitude: 49.91, DateMaj: "2024-02-01",
		Provenance: cartonum.Provenance{SourceIDs: []string{"lieu-4"}, Precision: cartonum.PrecisionExact}})
	live.Swap(liveOf(t, d2).Load())
	_, after := get("/api/sites?near=2.4,49.9&radius=10000", "gzip")
	if bytes.Contains(before, []byte("Nouveau lieu")) || !bytes.Contains(after, []byte("Nouveau lieu")) {
		t.Fatalf("stale answer after a new generation:\n%s", after)
	}
	// The new generation's default indicators are computed into the cache.
	for _, u := range warmURLs {
		got := false
		for range 200 {
			s.answers.mu.Lock()
			_, got = s.answers.items[u]
			s.answers.mu.Unlock()
			if got {
				break
			}
			waitABit()
		}
		if !got {
			t.Errorf("%s not computed into the cache", u)
		}
	}
}

// waitABit lets the warming goroutine run.
func waitABit() { time.Sleep(10 * time.Millisecond) }

// TestAnswerCacheLarge: an answer above respCacheMaxEntry (like the
// national communes indicators) is computed once and kept gzipped only; clients
// without gzip get the same bytes, decompressed.
func TestAnswerCacheLarge(t *testing.T) {
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	calls := 0
	big := bytes.Repeat([]byte(`{"code":"80021","valeur":1.5},`), respCacheMaxEntry/30+1000)
	h := s.cached(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		w.Write(big)
	}))
	for i, enc := range []string{"gzip", "gzip", "", "identity"} {
		req := httptest.NewRequest(http.MethodGet, "/api/large?x=1", nil)
		req.Header.Set("Accept-Encoding", enc)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if enc == "gzip" {
			t.Errorf("request %d: not gzipped", i)
		}
		if rec.Code != 200 || !bytes.Equal(body, big) {
			t.Errorf("request %d (%q): status %d, %d bytes, want %d", i, enc, rec.Code, len(body), len(big))
		}
	}
	if calls != 1 {
		t.Errorf("handler called %d times, want once", calls)
	}
	g := s.idx.Load()
	if a, _ := s.answers.get(g, "/api/large?x=1"); a == nil || a.plain != nil || a.gz == nil {
		t.Errorf("kept %+v, want the gzipped body only", a)
	}
}

// TestAnswerCacheComputedOnce: requests for the same URL arriving while
// its answer is computed wait for it instead of computing it again.
func TestAnswerCacheComputedOnce(t *testing.T) {
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	var calls atomic.Int32
	release := make(chan struct{})
	h := s.cached(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		<-release
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"slow":true}`)
	}))
	const n = 8
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/slow?x=1", nil))
			bodies[i] = rec.Body.String()
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive
	close(release)
	wg.Wait()
	if got := calls.Load(); got != 1 {
		t.Errorf("computed %d times, want once", got)
	}
	for i, b := range bodies {
		if b != `{"slow":true}` {
			t.Errorf("request %d got %q", i, b)
		}
	}
}

// TestWarmAnswers: WarmAnswers computes the default indicators of the
// current generation into the cache before any request.
func TestWarmAnswers(t *testing.T) {
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.WarmAnswers()
	g := s.idx.Load()
	for _, u := range warmURLs {
		if a, _ := s.answers.get(g, u); a == nil {
			t.Errorf("%s not in the cache", u)
		}
	}
}

// TestAnswered: a request whose answer the cache holds is served by
// answered, before the routing of the API, with the status, headers and
// bytes of the first answer (but its own request id), gzipped or not as
// asked, small answers included, with their Content-Length; HEAD gets the
// headers alone; the metrics count every request under its route pattern.
func TestAnswered(t *testing.T) {
	m := metrics.New()
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).WithMetrics(m, false)
	notRouted := s.answered(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("%s: routed, not answered from the cache", r.URL)
	}))
	serve := func(h http.Handler, method, u, enc string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, u, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	// headers are an answer's headers but its request id, and when it
	// comes from notRouted, the header of noSniff set before answered.
	headers := func(rec *httptest.ResponseRecorder) http.Header {
		h := rec.Header().Clone()
		h.Del(RequestIDHeader)
		h.Del("X-Content-Type-Options")
		return h
	}
	for _, c := range []struct{ url, route string }{
		{"/api/sites/lieu-1", "/api/sites/{id}"},
		{"/api/search?q=Ami&limit=8", "/api/search"},
		{"/api/sites?near=2.3,49.9&radius=5000", "/api/sites"},
		{"/api/indicators/commune/80021", "/api/indicators/{level}/{code}"},
		{"/tiles/communes.json", "/tiles/{file}"},
	} {
		for _, enc := range []string{"gzip", "identity"} {
			first := serve(s, http.MethodGet, c.url, enc)
			if first.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", c.url, first.Code, first.Body)
			}
			for _, h := range []http.Handler{s, notRouted} {
				again := serve(h, http.MethodGet, c.url, enc)
				if again.Code != first.Code || !reflect.DeepEqual(headers(again), headers(first)) || !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) {
					t.Errorf("%s (%s): from the cache %d %v %d bytes, first %d %v %d bytes", c.url, enc,
						again.Code, again.Header(), again.Body.Len(), first.Code, first.Header(), first.Body.Len())
				}
			}
			gzipped := first.Header().Get("Content-Encoding") == "gzip"
			if gzipped != (enc == "gzip") {
				t.Errorf("%s: Accept-Encoding %s, Content-Encoding %q", c.url, enc, first.Header().Get("Content-Encoding"))
			}
			if n := first.Header().Get("Content-Length"); n != strconv.Itoa(first.Body.Len()) {
				t.Errorf("%s (%s): Content-Length %s, %d bytes", c.url, enc, n, first.Body.Len())
			}
			if first.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options %q", c.url, first.Header().Get("X-Content-Type-Options"))
			}
			head := serve(s, http.MethodHead, c.url, enc)
			if head.Code != http.StatusOK || head.Body.Len() != 0 || !reflect.DeepEqual(headers(head), headers(first)) {
				t.Errorf("%s: HEAD %d %v, %d bytes", c.url, head.Code, head.Header(), head.Body.Len())
			}
		}
		got := gathered(t, m)
		if n := got["cartonum_http_requests_total{code=200,method=GET,route="+c.route+"}"]; n != 4 {
			t.Errorf("%s: %v GET counted under route %s, want 4", c.url, n, c.route)
		}
		if n := got["cartonum_http_requests_total{code=200,method=HEAD,route="+c.route+"}"]; n != 2 {
			t.Errorf("%s: %v HEAD counted under route %s, want 2", c.url, n, c.route)
		}
	}
}
