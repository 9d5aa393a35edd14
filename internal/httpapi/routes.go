package httpapi

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
)

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	// The map's tiles are answered first, ahead of the chain below, with
	// the same answer and headers (hottiles.go); what they do not take
	// (errors, filters, debug logs) goes through it.
	r.Use(s.hotTiles)
	r.Use(s.requestID)
	r.Use(s.observe)
	r.Use(noSniff)
	r.Use(s.logRequests)
	r.Use(s.recoverer)
	r.Use(cors.Handler(corsOptions))
	// Every GET route answers HEAD (monitors use it).
	r.Use(middleware.GetHead)
	// The answers of the read routes marked cached below, once computed
	// for the current generation, are served from memory before any
	// routing (respcache.go).
	r.Use(s.answered)

	// Tiles are hot and cheap: stored gzipped, answered from memory, they
	// skip the time limit and the compression of the other routes.
	r.With(s.checkQuery).Get(tileRoute, s.handle(s.getTile))
	// Prometheus metrics, unless serve --metrics-addr moves them (metrics.go).
	r.Get("/metrics", s.handle(s.serveMetrics))

	// The read routes marked cached answer from memory once computed for
	// the current generation (respcache.go).
	r.Group(func(r chi.Router) {
		// The client's address is read for the rate limits and the
		// client keys of writes, never by the tile route.
		r.Use(s.clientIPs())
		r.Use(timeout(s.cfg.RequestTimeout))
		r.Use(middleware.Compress(5, "application/json", "application/geo+json", "text/csv"))
		r.Use(s.checkQuery)
		r.Get("/healthz", s.handle(s.health))
		r.Get("/tiles", s.handle(s.tileCatalog))
		r.Get("/tiles/", s.handle(s.tileCatalog))
		r.With(s.cached).Get("/tiles/{file}", s.handle(s.getTileJSON))
		r.Route("/api", func(r chi.Router) {
			r.With(s.cached).Get("/sites", s.handle(s.listSites))
			r.With(s.cached).Get("/sites/{id}", s.handle(s.getSite))
			r.With(s.cached).Get("/communes/{code}", s.handle(s.getCommune))
			r.With(s.cached).Get("/search", s.handle(s.search))
			r.Get("/geocode", s.handle(s.geocode))
			r.Get("/config", s.handle(s.config))
			r.Get("/export/sites.csv", s.handle(s.exportSites))
			r.With(s.cached).Get("/indicators", s.handle(s.listIndicators))
			r.With(s.cached).Get("/indicators/{level}/{code}", s.handle(s.getIndicators))
			r.Get("/scenarios/{id}", s.handle(s.getScenario))
			r.With(s.cached).Get("/siting", s.handle(s.getSiting))
			r.With(s.cached).Get("/priorites", s.handle(s.listPriorities))
			r.With(s.cached).Get("/whitezones", s.handle(s.whiteZones))
			r.Get("/openapi.json", s.handle(s.openAPI))

			// Writes: anonymous clients, so every one is limited in
			// rate and body size (and the handlers bound each field).
			r.Group(func(r chi.Router) {
				r.Use(s.rateLimit())
				r.Use(s.limitBody)
				r.Post("/scenarios", s.handle(s.postScenario))
				s.proposalWriteRoutes(r)
			})

			// Sessions of moderators (auth.go) and contributions and
			// moderation (propositions.go, moderation.go).
			s.sessionRoutes(r)
			s.contributionRoutes(r)
		})
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		// The web app answers every other GET (pages, assets, its 404 page).
		if s.pages != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			!strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/tiles/") {
			s.pages.ServeHTTP(w, r)
			return
		}
		s.renderError(w, r, notFound("aucune ressource à l'adresse %s", r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, errorBody(r, "méthode non autorisée", http.StatusMethodNotAllowed))
	})
	return r
}

// corsOptions: CORS is open: any site may read the API and the tiles, and
// call the write routes (which are limited per client, not per origin).
var corsOptions = cors.Options{
	AllowedOrigins: []string{"*"},
	AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
	AllowedHeaders: []string{"Accept", "Content-Type", "If-None-Match", RequestIDHeader},
	ExposedHeaders: []string{"Link", "Location", "X-Total-Count", "ETag", "Retry-After",
		"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", RequestIDHeader},
	MaxAge: 3600,
}

// tileRoute is the route of a tile.
const tileRoute = "/tiles/{layer}/{z}/{x}/{y}"
