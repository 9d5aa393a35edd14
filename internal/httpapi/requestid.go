package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"sync/atomic"

	"github.com/go-chi/chi/v5/middleware"
)

// RequestIDHeader carries the id of a request, in the request (from a
// proxy or a client that wants to trace its call) and in every answer.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an incoming request id.
const maxRequestIDLen = 64

// requestID gives every request an id: the incoming X-Request-Id when it
// is sane (1 to 64 characters among letters, digits and "-_.:"), else a
// fresh one. The id is answered in X-Request-Id,
// kept in the context under chi's middleware.RequestIDKey (GetReqID and
// RequestID read it) and written in the request's log lines and in the
// JSON error bodies, so that a user's report of an error leads to its log
// line. The fresh id is 32 hex digits, a per-process random prefix and a
// counter. An insane id (too long, spaces, control characters, quotes…) is
// never echoed nor logged: it could forge log lines or headers.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = s.ids.next()
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

// requestIDs makes the fresh request ids of a server: a random prefix
// drawn when the server is made, then a counter, so that ids are unique
// across restarts and replicas without a random draw per request (which
// cost a tenth of a cached tile's time in the server).
type requestIDs struct {
	prefix [8]byte
	count  atomic.Uint64
}

func newRequestIDs() *requestIDs {
	g := &requestIDs{}
	rand.Read(g.prefix[:])
	return g
}

// next returns 32 hex digits: the prefix, then the request's number.
func (g *requestIDs) next() string {
	var b [16]byte
	copy(b[:8], g.prefix[:])
	binary.BigEndian.PutUint64(b[8:], g.count.Add(1))
	return hex.EncodeToString(b[:])
}
