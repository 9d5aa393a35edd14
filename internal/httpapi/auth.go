package httpapi

import "github.com/go-chi/chi/v5"

// sessionRoutes mounts the session routes under /api.
func (s *Server) sessionRoutes(r chi.Router) {}
