package httpapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// WriteLimits bound the write routes (every route but GET and HEAD), which
// anonymous clients may call. Over a limit the answer is 413 (too large) or
// 429 (too many) with a French message, and nothing is written.
type WriteLimits struct {
	// MaxBodyBytes bounds the body of a request.
	MaxBodyBytes int64
	// RatePerMinute is the number of write requests one client may make
	// per minute. A client is an IP address (an IPv6 /64), read from
	// X-Forwarded-For only behind Config.TrustedProxies.
	RatePerMinute int
	// MaxTitle bounds the title of a scenario, in characters.
	MaxTitle int
	// MaxName bounds the name of a place a scenario adds, in characters.
	MaxName int
	// MaxAdded and MaxRemoved bound the places a scenario adds and removes.
	MaxAdded, MaxRemoved int
}

// DefaultWriteLimits returns the defaults documented in README.
func DefaultWriteLimits() WriteLimits {
	return WriteLimits{MaxBodyBytes: 256 << 10, RatePerMinute: 120, MaxTitle: 120, MaxName: 200,
		MaxAdded: 500, MaxRemoved: 5000}
}

// limitError is a request over a write limit: 413 or 429.
type limitError struct {
	status int
	msg    string
}

func (e *limitError) Error() string { return e.msg }

func tooLarge(format string, args ...any) error {
	return &limitError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf(format, args...)}
}

// quotaError is the behaviour of a store's refusal to keep more: 429.
type quotaError interface {
	error
	Quota() bool
}

// limitBody refuses bodies larger than MaxBodyBytes: at once when the
// request announces its length, while reading otherwise.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.Writes.MaxBodyBytes
		if r.ContentLength > limit {
			s.renderError(w, r, bodyTooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func bodyTooLarge(limit int64) error {
	return tooLarge("corps de requête trop volumineux : %d octets au plus", limit)
}

// decodeJSON reads the JSON body of a write request into dst, refusing
// unknown fields and trailing data.
func decodeJSON(r *http.Request, dst any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("données après l'objet JSON")
		}
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return bodyTooLarge(mbe.Limit)
	case err != nil:
		return invalid("corps JSON invalide : %v", err)
	}
	return nil
}

// rateLimit limits the write requests of each client to RatePerMinute.
func (s *Server) rateLimit() func(http.Handler) http.Handler {
	n := s.cfg.Writes.RatePerMinute
	return httprate.LimitBy(n, time.Minute,
		func(r *http.Request) (string, error) { return clientIP(r), nil },
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.renderError(w, r, &limitError{status: http.StatusTooManyRequests,
				msg: fmt.Sprintf("trop de requêtes d'écriture : %d par minute au plus pour un même client ; réessayez dans une minute", n)})
		}),
		httprate.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
			s.renderError(w, r, fmt.Errorf("rate limit: %w", err))
		}))
}

// clientIPs sets the client address of every request: the TCP peer, or
// behind one of the trusted proxies the address they forward.
func (s *Server) clientIPs() func(http.Handler) http.Handler {
	if len(s.cfg.TrustedProxies) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}
	return middleware.ClientIPFromXFF(s.cfg.TrustedProxies...)
}

// clientIP is the rate-limit key of a request: its client address, IPv6
// addresses reduced to their /64.
func clientIP(r *http.Request) string {
	ip := middleware.GetClientIP(r.Context())
	if ip == "" {
		// No address could be trusted: the peer as written by net/http.
		ip, _, _ = net.SplitHostPort(r.RemoteAddr)
	}
	return httprate.CanonicalizeIP(ip)
}

// clientKey identifies the client of a request in the store without
// keeping its address: a keyed hash, with a key drawn at start.
func (s *Server) clientKey(r *http.Request) string {
	m := hmac.New(sha256.New, s.clientSalt)
	m.Write([]byte(clientIP(r)))
	return hex.EncodeToString(m.Sum(nil)[:12])
}
