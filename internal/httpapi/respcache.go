package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/cartonum/cartonum/internal/generation"
)

// Answer cache. The read routes whose answer depends only on the URL and the
// data (indicators, white zones, siting, place lists, a place, the search
// box, TileJSON) are computed and gzipped once per generation and URL, then
// served from memory: a public map under load asks the same few URLs again
// and again (the default indicators above all), and encoding and
// compressing their JSON cost far more than finding them. A new generation
// empties the cache, and the default indicators of every level are
// recomputed into it at once (warmURLs), so that the dashboard's first
// request after a data change does not wait for them.
//
// Only complete 200 answers are kept, with the headers the handler set
// (never the request id or CORS headers, set outside), gzipped whatever
// their size (as the compression middleware sent them); an If-None-Match
// matching the kept ETag gets 304. A kept answer is served by answered,
// before the routing, the time limit, the compression middleware and the
// parameter checks (it was computed through them): the request costs the
// server a map lookup and its headers, and the large live heap of a
// national server collects less garbage (each collection marks it all).
// An answer above respCacheMaxEntry is kept gzipped only (the rare client
// without gzip gets it decompressed on the fly): the national communes
// indicators weigh 20 MB of JSON, 2.9 MB gzipped, and cost 0.5 s to
// compute and compress again. Answers whose
// gzipped form is above respCacheMaxGzip are not kept, and the cache drops
// its oldest entries beyond Config.AnswerCacheBytes.
const (
	respCacheMaxEntry = 4 << 20
	respCacheMaxGzip  = 16 << 20
)

// warmURLs are computed into the cache for each new generation: the
// dashboard's default indicators of every level.
var warmURLs = []string{
	"/api/indicators?level=region",
	"/api/indicators?level=departement",
	"/api/indicators?level=epci",
	"/api/indicators?level=commune",
}

type respCache struct {
	max   int // bytes kept at most (Config.AnswerCacheBytes)
	mu    sync.Mutex
	gen   *generation.Generation
	items map[string]*cachedAnswer
	order []string // insertion order, for eviction
	bytes int
	// computing holds, by key, the answers a request is computing: the
	// same URL asked meanwhile waits for it instead of computing it again
	// (the national communes indicators take more than a second).
	computing map[string]chan struct{}
}

type cachedAnswer struct {
	header http.Header
	plain  []byte
	gz     []byte
	// plainLength and gzLength are the Content-Length of plain and gz.
	plainLength, gzLength []string
	// route is the chi route pattern of the request that computed the
	// answer: the route of the requests answered sends to the metrics.
	route string
}

func (a *cachedAnswer) size() int { return len(a.plain) + len(a.gz) + 512 }

// get returns the answer kept for key in generation g; a different
// generation empties the cache (and reports it, for warming).
func (c *respCache) get(g *generation.Generation, key string) (a *cachedAnswer, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh = c.switchTo(g)
	return c.items[key], fresh
}

// hit returns the answer kept for the URL path?query in generation g, or
// nil (g is not the cache's generation: the cache is left as it is for
// lookup to switch). It allocates nothing.
func (c *respCache) hit(g *generation.Generation, path, query string) *cachedAnswer {
	var buf [256]byte
	key := append(append(append(buf[:0], path...), '?'), query...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != g {
		return nil
	}
	return c.items[string(key)]
}

// switchTo empties the cache for generation g if it holds another's
// answers, and reports it. c.mu is held.
func (c *respCache) switchTo(g *generation.Generation) bool {
	if c.gen == g {
		return false
	}
	c.gen, c.items, c.order, c.bytes = g, map[string]*cachedAnswer{}, nil, 0
	c.computing = map[string]chan struct{}{}
	return true
}

// lookup is get for a request that will compute the answer when none is
// kept: when another request is computing it, lookup waits for that one
// (or for ctx), once, and returns what it kept. When it returns no answer,
// the caller computes it, then calls done (never nil).
func (c *respCache) lookup(ctx context.Context, g *generation.Generation, key string) (a *cachedAnswer, fresh bool, done func()) {
	c.mu.Lock()
	fresh = c.switchTo(g)
	if a = c.items[key]; a != nil {
		c.mu.Unlock()
		return a, fresh, func() {}
	}
	ch, busy := c.computing[key]
	if !busy {
		ch = make(chan struct{})
		c.computing[key] = ch
		c.mu.Unlock()
		return nil, fresh, func() {
			c.mu.Lock()
			if c.computing[key] == ch {
				delete(c.computing, key)
			}
			c.mu.Unlock()
			close(ch)
		}
	}
	c.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
	}
	// Kept, or not (an error, an answer too big, another generation):
	// then the caller computes its own.
	a, _ = c.get(g, key)
	return a, fresh, func() {}
}

func (c *respCache) put(g *generation.Generation, key string, a *cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != g {
		return // computed on a generation since replaced
	}
	if _, ok := c.items[key]; ok {
		return
	}
	c.items[key] = a
	c.order = append(c.order, key)
	c.bytes += a.size()
	for c.bytes > c.max && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		if o, ok := c.items[old]; ok {
			c.bytes -= o.size()
			delete(c.items, old)
		}
	}
}

// capture records a handler's answer instead of sending it.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *capture) Header() http.Header { return w.header }
func (w *capture) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *capture) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// cached serves a read route from the answer cache.
func (s *Server) cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		g := s.idx.Load()
		key := r.URL.Path + "?" + r.URL.RawQuery
		a, fresh, done := s.answers.lookup(r.Context(), g, key)
		if fresh {
			go s.warm(g)
		}
		// done wakes the requests waiting for this answer: once it is
		// kept, before it is sent; deferred too, for a handler's panic.
		finished := false
		finish := func() {
			if !finished {
				finished = true
				done()
			}
		}
		defer finish()
		if a == nil {
			c := &capture{header: http.Header{}}
			next.ServeHTTP(c, r)
			ok := c.status == http.StatusOK && c.header.Get("Content-Encoding") == ""
			if ok {
				a = newCachedAnswer(c)
				if rc := chi.RouteContext(r.Context()); rc != nil {
					a.route = rc.RoutePattern()
				}
				if len(a.gz) <= respCacheMaxGzip {
					s.answers.put(g, key, a)
				}
			}
			finish()
			if !ok {
				copyHeader(w.Header(), c.header)
				w.WriteHeader(c.status)
				w.Write(c.body.Bytes())
				return
			}
		}
		a.serve(w, r)
	})
}

func newCachedAnswer(c *capture) *cachedAnswer {
	a := &cachedAnswer{header: c.header}
	a.header.Del("Content-Length")
	a.header.Set("Vary", "Accept-Encoding")
	plain := c.body.Bytes()
	var b bytes.Buffer
	b.Grow(len(plain)/4 + 64)
	zw, _ := gzip.NewWriterLevel(&b, 6)
	zw.Write(plain)
	zw.Close()
	a.gz = b.Bytes()
	a.gzLength = []string{strconv.Itoa(len(a.gz))}
	if len(plain) <= respCacheMaxEntry {
		a.plain = bytes.Clone(plain)
		a.plainLength = []string{strconv.Itoa(len(plain))}
	}
	return a
}

// answered serves the GET and HEAD requests whose answer the cache holds
// for the current generation at once, without the routing and the
// middlewares of the route; the metrics count them under the route that
// computed the answer. A key is only kept by cached, once a request went
// through them all with a 200: the same path and query would take the
// same way again.
func (s *Server) answered(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if a := s.answers.hit(s.idx.Load(), r.URL.Path, r.URL.RawQuery); a != nil {
				if rc := chi.RouteContext(r.Context()); rc != nil && a.route != "" {
					rc.RoutePatterns = append(rc.RoutePatterns[:0], a.route)
				}
				a.serve(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Header values shared by every answer (never modified: Header.Add
// appends to a copy).
var gzipEncoding = []string{"gzip"}

func (a *cachedAnswer) serve(w http.ResponseWriter, r *http.Request) {
	copyHeader(w.Header(), a.header)
	if etag := a.header.Get("ETag"); etag != "" && match(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, length := a.plain, a.plainLength
	switch {
	case acceptsGzip(r):
		body, length = a.gz, a.gzLength
		w.Header()["Content-Encoding"] = gzipEncoding
	case a.plain == nil:
		// Kept gzipped only: decompressed for this client.
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			zr, err := gzip.NewReader(bytes.NewReader(a.gz))
			if err == nil {
				io.Copy(w, zr)
			}
		}
		return
	}
	w.Header()["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// WarmAnswers computes the default indicators of the current generation
// into the answer cache now, unless a request already started it, so that
// they are ready before the first dashboard asks (the national communes
// indicators take more than a second). Call it once the server is wired
// (With… setters), before serving; later generations are warmed by the
// first request that meets them.
func (s *Server) WarmAnswers() {
	g := s.idx.Load()
	s.answers.mu.Lock()
	fresh := s.answers.switchTo(g)
	s.answers.mu.Unlock()
	if fresh {
		s.warm(g)
	}
}

// warm computes the warm URLs of generation g into the cache, through the
// router (the same handlers, parameters and headers as a client's request).
func (s *Server) warm(g *generation.Generation) {
	for _, u := range warmURLs {
		if s.idx.Load() != g {
			return
		}
		r, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			continue
		}
		r.Header.Set("Accept-Encoding", "gzip")
		r.RemoteAddr = "127.0.0.1:0"
		s.router.ServeHTTP(&capture{header: http.Header{}}, r)
	}
}
