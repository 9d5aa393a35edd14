package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/cartonum/cartonum/internal/metrics"
)

// WithMetrics records the requests in m. public serves m at /metrics on
// this handler; otherwise /metrics answers 404 here and the operator
// serves m.Handler() on another listener (serve --metrics-addr).
func (s *Server) WithMetrics(m *metrics.Metrics, public bool) *Server {
	s.metrics = m
	s.metricsPublic = public
	return s
}

// observe counts every request in the metrics by its chi route pattern
// (read once routing is done; never the raw path, whose values are
// unbounded), method and status, with its duration; and the proposals
// received, accepted and refused, by the answers of their routes.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m := s.metrics
		if m == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := metrics.OtherRoute
		if rc := chi.RouteContext(r.Context()); rc != nil {
			// A pattern ending in "*" is a sub-router's catch-all: no route
			// took the request (a page of the web app, a 404).
			if p := rc.RoutePattern(); p != "" && !strings.HasSuffix(p, "*") {
				route = p
			}
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.ObserveRequest(route, r.Method, status, time.Since(start))
		if r.Method == http.MethodPost {
			switch {
			case route == "/api/propositions" && status == http.StatusCreated:
				m.Proposal(metrics.ProposalReceived)
			case route == "/api/moderation/propositions/{id}/accepter" && status == http.StatusOK:
				m.Proposal(metrics.ProposalAccepted)
			case route == "/api/moderation/propositions/{id}/refuser" && status == http.StatusOK:
				m.Proposal(metrics.ProposalRefused)
			}
		}
	})
}

// serveMetrics answers the metrics when they are public here.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if s.metrics == nil || !s.metricsPublic {
		return notFound("les métriques ne sont pas servies à cette adresse")
	}
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	s.metrics.Handler().ServeHTTP(w, r)
	return nil
}
