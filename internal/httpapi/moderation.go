package httpapi

import "github.com/go-chi/chi/v5"

// moderationRoutes mounts the moderation routes and the history of places
// (waiting for the session middleware of auth.go).
func (s *Server) moderationRoutes(r chi.Router) {}
