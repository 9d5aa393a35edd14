package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"
)

// RequestIDHeader carries the id of a request, in the request (from a
// proxy or a client that wants to trace its call) and in every answer.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an incoming request id.
const maxRequestIDLen = 64

// requestID gives every request an id: the incoming X-Request-Id when it
// is sane (1 to 64 characters among letters, digits and "-_.:"), else a
// fresh random one (32 hex digits). The id is answered in X-Request-Id,
// kept in the context under chi's middleware.RequestIDKey (GetReqID and
// RequestID read it) and written in the request's log lines and in the
// JSON error bodies, so that a user's report of an error leads to its log
// line. An insane id (too long, spaces, control characters, quotes…) is
// never echoed nor logged: it could forge log lines or headers.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), middleware.RequestIDKey, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// RequestID returns the id of the request of ctx ("" outside one).
func RequestID(ctx context.Context) string { return middleware.GetReqID(ctx) }

func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
