package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Accounts is what the session routes need of the accounts service
// (internal/accounts.Service implements it).
type Accounts interface {
	// Login checks the credentials and opens a session: its token (for
	// the cookie), the session and the user. Failures wrap
	// cartonum.ErrUnauthorized, or cartonum.ErrTooMany when throttled.
	Login(ctx context.Context, email, password, client string) (string, cartonum.Session, cartonum.User, error)
	// Authenticate returns the session and user of a token, or an error
	// wrapping cartonum.ErrUnauthorized.
	Authenticate(ctx context.Context, token string) (cartonum.Session, cartonum.User, error)
	// Logout deletes the session of a token.
	Logout(ctx context.Context, token string) error
	// Users lists the accounts without their password hashes.
	Users(ctx context.Context) ([]cartonum.User, error)
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "cartonum_session"

// CSRFHeader is the header that carries the session's CSRF token on every
// state-changing request of a logged-in user.
const CSRFHeader = "X-CSRF-Token"

// authState is what the session routes and middlewares share.
type authState struct {
	accounts Accounts
	proxies  []netip.Prefix // trusted reverse proxies (X-Forwarded-Proto)
}

// WithAccounts enables the moderators' sessions. Without it every login
// and every route behind requireUser answers 401.
func (s *Server) WithAccounts(a Accounts) *Server {
	st := &authState{accounts: a}
	for _, p := range s.cfg.TrustedProxies {
		if pr, err := netip.ParsePrefix(p); err == nil { // New has checked them
			st.proxies = append(st.proxies, pr.Masked())
		}
	}
	s.auth = st
	return s
}

// httpError is an error whose message is for users, wrapping one of the
// domain's sentinel errors that renderError maps to a status.
type httpError struct {
	msg string
	err error
}

func (e *httpError) Error() string { return e.msg }
func (e *httpError) Unwrap() error { return e.err }

var (
	errLoginRequired = &httpError{msg: "connexion requise", err: cartonum.ErrUnauthorized}
	errCSRF          = &httpError{msg: "jeton CSRF absent ou invalide (en-tête " + CSRFHeader + ")", err: cartonum.ErrForbidden}
	errAdminOnly     = &httpError{msg: "réservé aux administrateurs", err: cartonum.ErrForbidden}
)

// sessionRoutes mounts the session routes under /api, and the list of
// accounts for administrators.
//
// Cross-origin calls with credentials stay impossible: the CORS policy of
// routes.go allows any origin but never credentials, allows neither DELETE
// nor the X-CSRF-Token header, and the session cookie is SameSite=Lax. So
// another site can neither send the cookie with a state-changing request
// nor read the CSRF token; X-CSRF-Token must not be added to CORS'
// AllowedHeaders. The login itself requires a JSON content type, which a
// cross-site form cannot send.
func (s *Server) sessionRoutes(r chi.Router) {
	r.With(s.rateLimit(), s.limitBody).Post("/session", s.handle(s.login))
	r.With(s.requireUser).Get("/session", s.handle(s.getSession))
	// Like every write route, the logout is limited in rate and body.
	r.With(s.rateLimit(), s.limitBody, s.requireUser).Delete("/session", s.handle(s.logout))
	r.With(s.requireUser, s.requireAdmin).Get("/moderation/utilisateurs", s.handle(s.listUsers))
}

// sessionBody is the answer of POST and GET /api/session.
type sessionBody struct {
	CSRF string      `json:"csrf"`
	User sessionUser `json:"utilisateur"`
}

type sessionUser struct {
	Email        string        `json:"email"`
	Role         cartonum.Role `json:"role"`
	Departements []string      `json:"departements"`
	EPCIs        []string      `json:"epci"`
}

func newSessionBody(sess cartonum.Session, u *cartonum.User) sessionBody {
	b := sessionBody{CSRF: sess.CSRF, User: sessionUser{Email: u.Email, Role: u.Role,
		Departements: u.Departements, EPCIs: u.EPCIs}}
	if b.User.Departements == nil {
		b.User.Departements = []string{}
	}
	if b.User.EPCIs == nil {
		b.User.EPCIs = []string{}
	}
	return b
}

// login opens a session. A session cookie sent with the request is never
// adopted: its session is deleted and a new id is always issued (no session
// fixation).
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if c, err := r.Cookie(SessionCookie); err == nil {
		if s.auth != nil {
			if err := s.auth.accounts.Logout(r.Context(), c.Value); err != nil {
				return err
			}
		}
		s.clearCookie(w, r)
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return &limitError{status: http.StatusUnsupportedMediaType, msg: "corps JSON attendu (Content-Type: application/json)"}
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Email == "" || in.Password == "" {
		return invalid("adresse électronique et mot de passe requis")
	}
	if s.auth == nil {
		return &httpError{msg: "identifiants incorrects", err: cartonum.ErrUnauthorized}
	}
	token, sess, u, err := s.auth.accounts.Login(r.Context(), in.Email, in.Password, s.clientKey(r))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/",
		MaxAge:   int(sess.ExpiresAt.Sub(sess.CreatedAt) / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r),
	})
	writeJSON(w, http.StatusOK, newSessionBody(sess, &u))
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	a := authFrom(r.Context())
	writeJSON(w, http.StatusOK, newSessionBody(a.session, &a.user))
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return errLoginRequired // requireUser has found it
	}
	if err := s.auth.accounts.Logout(r.Context(), c.Value); err != nil {
		return err
	}
	s.clearCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listUsers answers GET /api/moderation/utilisateurs: the accounts,
// without password hashes (cartonum.User never serialises them).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.auth.accounts.Users(r.Context())
	if err != nil {
		return err
	}
	for i := range us {
		us[i].PasswordHash = ""
	}
	if us == nil {
		us = []cartonum.User{}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, us)
	return nil
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)})
}

// overTLS tells whether the client reached us over TLS: directly, or
// through one of the trusted reverse proxies saying so in
// X-Forwarded-Proto. The header of any other peer is ignored.
func (s *Server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if r.Header.Get("X-Forwarded-Proto") != "https" || s.auth == nil {
		return false
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := peer.Addr().Unmap()
	for _, p := range s.auth.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// authInfo is the session of a request, in its context.
type authInfo struct {
	session cartonum.Session
	user    cartonum.User
}

type authKey struct{}

func authFrom(ctx context.Context) *authInfo {
	a, _ := ctx.Value(authKey{}).(*authInfo)
	return a
}

// userFrom returns the logged-in user of a request's context, nil when
// none (set by requireUser or optionalUser).
func userFrom(ctx context.Context) *cartonum.User {
	if a := authFrom(ctx); a != nil {
		return &a.user
	}
	return nil
}

// authenticate returns the session of the request's cookie.
func (s *Server) authenticate(r *http.Request) (*authInfo, error) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" || s.auth == nil {
		return nil, errLoginRequired
	}
	sess, u, err := s.auth.accounts.Authenticate(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	return &authInfo{session: sess, user: u}, nil
}

// safeMethod tells whether a method changes nothing (no CSRF check).
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// requireUser lets through the requests of a logged-in user, whom it puts
// in the context: 401 without a valid session; for a state-changing method
// 403 unless X-CSRF-Token is the session's CSRF token.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := s.authenticate(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if !safeMethod(r.Method) {
			got := r.Header.Get(CSRFHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.session.CSRF)) != 1 {
				s.renderError(w, r, errCSRF)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, a)))
	})
}

// optionalUser puts the logged-in user, if any, in the context; it never
// refuses a request (an invalid session is an anonymous request).
func (s *Server) optionalUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Cookie")
		a, err := s.authenticate(r)
		if err != nil {
			if !errors.Is(err, cartonum.ErrUnauthorized) && !errors.Is(err, context.Canceled) {
				s.logger.Warn("session lookup failed", "path", r.URL.Path, "err", err, "request_id", RequestID(r.Context()))
			}
			next.ServeHTTP(w, r)
			return
		}
		// The answer depends on who asks: no shared cache may keep it.
		w.Header().Set("Cache-Control", "private, no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), authKey{}, a)))
	})
}

// requireAdmin, after requireUser, lets through administrators only: 403
// for a moderator, 401 without a user.
func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		switch {
		case u == nil:
			s.renderError(w, r, errLoginRequired)
		case u.Role != cartonum.RoleAdmin:
			s.renderError(w, r, errAdminOnly)
		default:
			next.ServeHTTP(w, r)
		}
	})
}
