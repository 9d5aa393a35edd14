package httpapi

import "github.com/go-chi/chi/v5"

// contributionRoutes mounts the contribution and moderation routes under /api.
func (s *Server) contributionRoutes(r chi.Router) {}
