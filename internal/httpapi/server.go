// Package httpapi serves Cartonum's HTTP API with chi: places as GeoJSON
// and standard CSV, communes, autocomplete, indicators, tiles and health,
// read from the current generation (internal/generation). Handlers only
// read a generation; they never build one.
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/metrics"
)

// Config tunes the API.
type Config struct {
	// RequestTimeout bounds the time one request may take.
	RequestTimeout time.Duration
	// MaxLimit bounds the page size of /api/sites.
	MaxLimit int
	// MaxRadius bounds the radius of near queries, in metres.
	MaxRadius float64
	// TileCacheControl is the Cache-Control of tiles whose URL does not
	// carry the current data version.
	TileCacheControl string
	// GeocoderURL, when set, is the address search service (Base Adresse
	// Nationale API shape) that /api/geocode forwards to.
	GeocoderURL string
	// DirectionsURL is the template of the "Itinéraire" links ({lat},
	// {lon}, {nom}); empty: DefaultDirectionsURL (OpenStreetMap).
	DirectionsURL string
	// Writes bounds the write routes.
	Writes WriteLimits
	// TrustedProxies are the CIDR prefixes of the reverse proxies whose
	// X-Forwarded-For names the client; empty: the TCP peer is the client.
	// They must be valid (New panics otherwise).
	TrustedProxies []string
	// AnswerCacheBytes bounds the answers of the read routes kept in
	// memory for the current generation (respcache.go); 0 means the
	// default, 96 MB.
	AnswerCacheBytes int
	// Now is the clock of computed opening hours and of the ouvert filter;
	// nil means time.Now. Tests set a fixed instant.
	Now func() time.Time
}

// defaultAnswerCacheBytes is the default of Config.AnswerCacheBytes.
const defaultAnswerCacheBytes = 96 << 20

// DefaultConfig returns the defaults documented in README.
func DefaultConfig() Config {
	return Config{RequestTimeout: 30 * time.Second, MaxLimit: 1000, MaxRadius: 200000,
		TileCacheControl: "public, max-age=300", Writes: DefaultWriteLimits(), AnswerCacheBytes: defaultAnswerCacheBytes}
}

// Server is the HTTP API over the current generation.
type Server struct {
	// idx publishes the current generation; idx.Load() gives all of it,
	// idx.Current() its index snapshot. A handler loads it once.
	idx    *generation.Live
	cfg    Config
	logger *slog.Logger
	router chi.Router

	scenarios  ScenarioStore
	contrib    *contributing.Service // nil: no contributions (propositions.go)
	pages      http.Handler
	clientSalt []byte     // key of the client hashes given to the store
	auth       *authState // moderators' sessions (auth.go); nil: nobody can log in

	httpClient *http.Client

	metrics       *metrics.Metrics // nil: no metrics (metrics.go)
	metricsPublic bool             // /metrics served by this handler
	// tileRoutes are the metrics of the tile route for GET and HEAD,
	// resolved at the first hot tile (hottiles.go).
	tileRoutes     [2]*metrics.Route
	tileRoutesOnce sync.Once

	answers respCache // answers of the read routes for the current generation (respcache.go)

	ids              *requestIDs // fresh request ids (requestid.go)
	tileCacheControl []string    // cfg.TileCacheControl, as a header value
}

// WithPages sets the handler of the web app, which answers the GET
// requests no API route takes.
func (s *Server) WithPages(h http.Handler) *Server {
	s.pages = h
	return s
}

// ScenarioStore keeps the what-if scenarios users ask to save.
type ScenarioStore interface {
	// SaveScenario stores a scenario for client, an opaque key of who
	// asks, and returns its id. When the store's quota forbids it, it
	// stores nothing and returns an error with a method Quota() bool
	// answering true (a 429 with the error's message).
	SaveScenario(ctx context.Context, client, title string, body []byte) (int64, error)
	// Scenario returns the body of a saved scenario, or an error of kind
	// cartonum.KindNotFound.
	Scenario(ctx context.Context, id int64) ([]byte, error)
}

// WithScenarios sets where saved scenarios go; without it saving is refused.
func (s *Server) WithScenarios(st ScenarioStore) *Server {
	s.scenarios = st
	return s
}

// New returns the API handler over the generations live publishes.
func New(idx *generation.Live, cfg Config, logger *slog.Logger) *Server {
	s := &Server{idx: idx, cfg: cfg, logger: logger, httpClient: &http.Client{Timeout: 10 * time.Second},
		clientSalt: make([]byte, 32), ids: newRequestIDs(), tileCacheControl: []string{cfg.TileCacheControl}}
	rand.Read(s.clientSalt)
	s.answers.max = cfg.AnswerCacheBytes
	if s.answers.max <= 0 {
		s.answers.max = defaultAnswerCacheBytes
	}
	s.router = s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// handlerFunc is a handler that returns its error for one place to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	msg := "erreur interne"
	switch cartonum.KindOf(err) {
	case cartonum.KindInvalid:
		status, msg = http.StatusBadRequest, err.Error()
	case cartonum.KindNotFound:
		status, msg = http.StatusNotFound, err.Error()
	case cartonum.KindConflict:
		status, msg = http.StatusConflict, err.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		status, msg = http.StatusServiceUnavailable, "délai de traitement dépassé"
	}
	if errors.Is(err, context.Canceled) {
		return // the client is gone: nobody reads an answer
	}
	var up *upstreamError
	if errors.As(err, &up) {
		status, msg = http.StatusBadGateway, err.Error()
	}
	if st, m, ok := travelFailure(err); ok { // travel.go
		status, msg = st, m
	}
	var le *limitError
	if errors.As(err, &le) {
		status, msg = le.status, le.msg
	}
	var qe quotaError
	if errors.As(err, &qe) && qe.Quota() {
		status, msg = http.StatusTooManyRequests, qe.Error()
	}
	switch {
	case errors.Is(err, cartonum.ErrUnauthorized):
		status, msg = http.StatusUnauthorized, err.Error()
	case errors.Is(err, cartonum.ErrForbidden):
		status, msg = http.StatusForbidden, err.Error()
	case errors.Is(err, cartonum.ErrTooMany):
		status, msg = http.StatusTooManyRequests, err.Error()
		retry := time.Hour
		var ra interface{ RetryAfter() time.Duration }
		if errors.As(err, &ra) {
			retry = ra.RetryAfter()
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry.Seconds()))))
	}
	body := errorBody(r, msg, status)
	var ie *contributing.InvalidError
	if errors.As(err, &ie) && len(ie.Fields) > 0 {
		body["error"], body["champs"] = ie.Message, ie.Fields
	}
	if status >= 500 {
		s.logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err,
			"request_id", RequestID(r.Context()))
	}
	writeJSON(w, status, body)
}

// errorBody is the JSON body of an error answer: the French message, the
// status and the request's id (see requestid.go).
func errorBody(r *http.Request, msg string, status int) map[string]any {
	body := map[string]any{"error": msg, "status": status}
	if id := RequestID(r.Context()); id != "" {
		body["request_id"] = id
	}
	return body
}

// timeout bounds the time of a request through its context: the long
// computations stop when it is done and their handler renders the error,
// once. (chi's middleware.Timeout writes a 504 after the handler, a second
// status when the handler has already answered.)
func timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	writeBody(w, status, v)
}

func writeGeoJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	writeBody(w, status, v)
}

func writeBody(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// logRequests logs one structured line per request: at Info level, except
// successful tile requests (a map makes dozens a second, mostly served
// from the cache), which are logged at Debug level.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// observe's wrapper, when the metrics are on, already counts.
		ww, wrapped := w.(middleware.WrapResponseWriter)
		if !wrapped {
			ww = middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		}
		next.ServeHTTP(ww, r)
		level := slog.LevelInfo
		if ww.Status() < 400 && strings.HasPrefix(r.URL.Path, "/tiles/") {
			level = slog.LevelDebug
		}
		if !s.logger.Enabled(r.Context(), level) {
			return
		}
		s.logger.LogAttrs(r.Context(), level, "http", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("query", r.URL.RawQuery), slog.Int("status", ww.Status()), slog.Int("bytes", ww.BytesWritten()),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("request_id", RequestID(r.Context())))
	})
}

// recoverer turns a panic into a logged 500.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.panicked(w, r, v)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// panicked logs the recovered panic v of a request and answers a 500
// (http.ErrAbortHandler, net/http's way to abort an answer, goes on).
func (s *Server) panicked(w http.ResponseWriter, r *http.Request, v any) {
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "request_id", RequestID(r.Context()))
	writeJSON(w, http.StatusInternalServerError, errorBody(r, "erreur interne", http.StatusInternalServerError))
}
