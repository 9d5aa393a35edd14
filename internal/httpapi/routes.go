package httpapi

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.logRequests)
	r.Use(s.recoverer)
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			next.ServeHTTP(w, r)
		})
	})

	// Tiles are hot and cheap: stored gzipped, answered from memory, they
	// skip the time limit and the compression of the other routes.
	r.Get("/tiles/{layer}/{z}/{x}/{y}", s.handle(s.getTile))

	r.Group(func(r chi.Router) {
		r.Use(middleware.Timeout(s.cfg.RequestTimeout))
		r.Use(middleware.Compress(5, "application/json", "application/geo+json", "text/csv"))
		r.Get("/healthz", s.handle(s.health))
		r.Get("/tiles", s.handle(s.tileCatalog))
		r.Get("/tiles/", s.handle(s.tileCatalog))
		r.Get("/tiles/{file}", s.handle(s.getTileJSON))
		r.Route("/api", func(r chi.Router) {
			r.Get("/sites", s.handle(s.listSites))
			r.Get("/sites/{id}", s.handle(s.getSite))
			r.Get("/communes/{code}", s.handle(s.getCommune))
			r.Get("/search", s.handle(s.search))
			r.Get("/geocode", s.handle(s.geocode))
			r.Get("/config", s.handle(s.config))
			r.Get("/export/sites.csv", s.handle(s.exportSites))
			r.Get("/indicators", s.handle(s.listIndicators))
			r.Get("/indicators/{level}/{code}", s.handle(s.getIndicators))
			r.Post("/scenarios", s.handle(s.postScenario))
			r.Get("/scenarios/{id}", s.handle(s.getScenario))
			r.Get("/siting", s.handle(s.getSiting))
			r.Get("/whitezones", s.handle(s.whiteZones))
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
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "méthode non autorisée", "status": 405})
	})
	return r
}
