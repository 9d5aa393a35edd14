// Package accounts manages the moderators' and administrators' accounts
// and their sessions: passwords hashed with argon2id (PHC strings), logins
// throttled per e-mail and per client, session tokens of which the store
// keeps only a SHA-256 digest, and a CSRF token per session.
//
// A login answers the same error, after about the same time, whether the
// e-mail is unknown, the account disabled or the password wrong: an unknown
// e-mail is verified against a dummy hash.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Password length bounds, in characters (the upper one bounds the work of
// hashing what a client sends).
const (
	MinPassword = 12
	MaxPassword = 1024
)

// Throttle bounds failed logins: over PerEmail failures for one e-mail, or
// PerClient failures from one client, within Window, logins are refused
// (even with the right password) until the window has passed.
type Throttle struct {
	PerEmail  int
	PerClient int
	Window    time.Duration
}

// DefaultThrottle is 5 failures per e-mail or 20 per client in 15 minutes.
var DefaultThrottle = Throttle{PerEmail: 5, PerClient: 20, Window: 15 * time.Minute}

// DefaultSessionTTL is the lifetime of a session.
const DefaultSessionTTL = 12 * time.Hour

// Service manages accounts and sessions over a store. Its zero fields take
// the defaults; use New.
type Service struct {
	Store cartonum.ContributionStore
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SessionTTL is the lifetime of a session from its login.
	SessionTTL time.Duration
	Throttle   Throttle
	// Params are the argon2id parameters of new hashes.
	Params Params

	dummyOnce sync.Once
	dummy     string // a hash under Params, verified for unknown e-mails
}

// New returns a service over store with the default settings.
func New(store cartonum.ContributionStore) *Service {
	return &Service{Store: store, SessionTTL: DefaultSessionTTL, Throttle: DefaultThrottle, Params: DefaultParams}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) params() Params {
	if s.Params == (Params{}) {
		return DefaultParams
	}
	return s.Params
}

func (s *Service) ttl() time.Duration {
	if s.SessionTTL <= 0 {
		return DefaultSessionTTL
	}
	return s.SessionTTL
}

func (s *Service) throttle() Throttle {
	t := s.Throttle
	if t.PerEmail <= 0 {
		t.PerEmail = DefaultThrottle.PerEmail
	}
	if t.PerClient <= 0 {
		t.PerClient = DefaultThrottle.PerClient
	}
	if t.Window <= 0 {
		t.Window = DefaultThrottle.Window
	}
	return t
}

// authError is an error with a message for users wrapping one of the
// domain's sentinel errors (401, 403).
type authError struct {
	msg string
	err error
}

func (e *authError) Error() string { return e.msg }
func (e *authError) Unwrap() error { return e.err }

// ErrBadCredentials is the error of every failed login: unknown e-mail,
// disabled account or wrong password. It wraps cartonum.ErrUnauthorized.
var ErrBadCredentials error = &authError{msg: "identifiants incorrects", err: cartonum.ErrUnauthorized}

// ErrNoSession is the error of a missing, unknown or expired session
// token, or of a disabled account's. It wraps cartonum.ErrUnauthorized.
var ErrNoSession error = &authError{msg: "connexion requise : session absente ou expirée", err: cartonum.ErrUnauthorized}

// ThrottledError is the error of a login refused because of too many
// failures; it wraps cartonum.ErrTooMany.
type ThrottledError struct {
	Retry time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("trop de tentatives de connexion : réessayez dans %d minutes", int((e.Retry+time.Minute-1)/time.Minute))
}

func (e *ThrottledError) Unwrap() error { return cartonum.ErrTooMany }

// RetryAfter is the time to wait before trying again (HTTP Retry-After).
func (e *ThrottledError) RetryAfter() time.Duration { return e.Retry }

// NewUser is an account to create.
type NewUser struct {
	Email        string
	Role         cartonum.Role
	Departements []string
	EPCIs        []string
	Password     string
}

func invalid(format string, args ...any) error {
	return cartonum.Errorf(cartonum.KindInvalid, format, args...)
}

// NormalizeEmail returns the e-mail address in its stored form (trimmed,
// lower case), or an error of kind KindInvalid.
func NormalizeEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", invalid("adresse électronique %q invalide", email)
	}
	return e, nil
}

// AddUser checks and creates an account. A moderator needs at least one
// département or EPCI; an administrator reaches everything (territories
// are then refused, to avoid misunderstandings). Errors are of kind
// KindInvalid, or KindConflict when the e-mail exists.
func (s *Service) AddUser(ctx context.Context, nu NewUser) (cartonum.User, error) {
	email, err := NormalizeEmail(nu.Email)
	if err != nil {
		return cartonum.User{}, err
	}
	u := cartonum.User{Email: email, Role: nu.Role, CreatedAt: s.now().UTC()}
	for _, d := range nu.Departements {
		d = strings.ToUpper(strings.TrimSpace(d))
		if !cartonum.ValidDepartementCode(d) {
			return cartonum.User{}, invalid("code de département %q invalide (par exemple 80, 2A, 971)", d)
		}
		u.Departements = append(u.Departements, d)
	}
	for _, e := range nu.EPCIs {
		e = strings.TrimSpace(e)
		if !cartonum.ValidSIREN(e) {
			return cartonum.User{}, invalid("SIREN d'EPCI %q invalide (9 chiffres)", e)
		}
		u.EPCIs = append(u.EPCIs, e)
	}
	slices.Sort(u.Departements)
	u.Departements = slices.Compact(u.Departements)
	slices.Sort(u.EPCIs)
	u.EPCIs = slices.Compact(u.EPCIs)
	switch nu.Role {
	case cartonum.RoleModerator:
		if len(u.Departements) == 0 && len(u.EPCIs) == 0 {
			return cartonum.User{}, invalid("un modérateur doit avoir au moins un département ou un EPCI")
		}
	case cartonum.RoleAdmin:
		if len(u.Departements) > 0 || len(u.EPCIs) > 0 {
			return cartonum.User{}, invalid("un administrateur atteint tous les territoires : pas de département ni d'EPCI")
		}
	default:
		return cartonum.User{}, invalid("rôle %q invalide (moderateur ou administrateur)", nu.Role)
	}
	if n := utf8.RuneCountInString(nu.Password); n < MinPassword {
		return cartonum.User{}, invalid("mot de passe trop court : %d caractères au moins", MinPassword)
	} else if len(nu.Password) > MaxPassword {
		return cartonum.User{}, invalid("mot de passe trop long : %d octets au plus", MaxPassword)
	}
	if u.PasswordHash, err = HashPassword(nu.Password, s.params()); err != nil {
		return cartonum.User{}, err
	}
	return s.Store.AddUser(ctx, u)
}

// Users lists the accounts, without their password hashes.
func (s *Service) Users(ctx context.Context) ([]cartonum.User, error) {
	us, err := s.Store.Users(ctx)
	for i := range us {
		us[i].PasswordHash = ""
	}
	return us, err
}

// Disable disables an account: its sessions stop working at once (the
// store's SessionByHash returns only enabled users' sessions).
func (s *Service) Disable(ctx context.Context, email string) error {
	e, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	return s.Store.DisableUser(ctx, e)
}

// throttleKeys are the keys of the failure counters of a login: digests,
// so that the store keeps neither the e-mails tried nor the clients.
func throttleKeys(email, client string) (byEmail, byClient string) {
	h := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:16])
	}
	return "email:" + h(email), "client:" + h(client)
}

// Login checks email and password and opens a session: it returns the
// session token (for the cookie; the store keeps its digest only), the
// session and the user. Failures are ErrBadCredentials, whatever failed;
// over the throttle's limits a *ThrottledError, even for the right
// password. client identifies who asks (e.g. a keyed hash of the IP).
func (s *Service) Login(ctx context.Context, email, password, client string) (string, cartonum.Session, cartonum.User, error) {
	now := s.now()
	th := s.throttle()
	norm := strings.ToLower(strings.TrimSpace(email))
	byEmail, byClient := throttleKeys(norm, client)
	since := now.Add(-th.Window)
	for _, k := range []struct {
		key   string
		limit int
	}{{byEmail, th.PerEmail}, {byClient, th.PerClient}} {
		n, err := s.Store.LoginFailures(ctx, k.key, since)
		if err != nil {
			return "", cartonum.Session{}, cartonum.User{}, err
		}
		if n >= k.limit {
			return "", cartonum.Session{}, cartonum.User{}, &ThrottledError{Retry: th.Window}
		}
	}
	u, err := s.check(ctx, norm, password)
	if err != nil {
		if errors.Is(err, ErrBadCredentials) {
			for _, k := range []string{byEmail, byClient} {
				if ferr := s.Store.AddLoginFailure(ctx, k, now); ferr != nil {
					return "", cartonum.Session{}, cartonum.User{}, ferr
				}
			}
		}
		return "", cartonum.Session{}, cartonum.User{}, err
	}
	if err := s.Store.ClearLoginFailures(ctx, byEmail); err != nil {
		return "", cartonum.Session{}, cartonum.User{}, err
	}
	token, err := randomToken()
	if err != nil {
		return "", cartonum.Session{}, cartonum.User{}, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", cartonum.Session{}, cartonum.User{}, err
	}
	sess := cartonum.Session{TokenHash: TokenHash(token), User: u.ID, CSRF: csrf,
		CreatedAt: now.UTC(), ExpiresAt: now.Add(s.ttl()).UTC()}
	if err := s.Store.AddSession(ctx, sess); err != nil {
		return "", cartonum.Session{}, cartonum.User{}, err
	}
	u.PasswordHash = ""
	return token, sess, u, nil
}

// check returns the enabled user of email if password is theirs, else
// ErrBadCredentials after a verification of about the same cost.
func (s *Service) check(ctx context.Context, email, password string) (cartonum.User, error) {
	if len(password) > MaxPassword {
		password = password[:MaxPassword] // the same work as any other; it cannot match
		s.verifyDummy(password)
		return cartonum.User{}, ErrBadCredentials
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if cartonum.KindOf(err) == cartonum.KindNotFound {
		s.verifyDummy(password)
		return cartonum.User{}, ErrBadCredentials
	}
	if err != nil {
		return cartonum.User{}, err
	}
	ok, err := VerifyPassword(password, u.PasswordHash)
	if err != nil {
		return cartonum.User{}, fmt.Errorf("compte %d : %w", u.ID, err)
	}
	if !ok || u.Disabled {
		return cartonum.User{}, ErrBadCredentials
	}
	return u, nil
}

// verifyDummy spends the time of a verification for an unknown e-mail.
func (s *Service) verifyDummy(password string) {
	s.dummyOnce.Do(func() {
		s.dummy, _ = HashPassword("mot de passe factice", s.params())
	})
	_, _ = VerifyPassword(password, s.dummy)
}

// Authenticate returns the session and the user of a session token, or
// ErrNoSession.
func (s *Service) Authenticate(ctx context.Context, token string) (cartonum.Session, cartonum.User, error) {
	if !wellFormed(token) {
		return cartonum.Session{}, cartonum.User{}, ErrNoSession
	}
	now := s.now()
	sess, u, err := s.Store.SessionByHash(ctx, TokenHash(token), now)
	if cartonum.KindOf(err) == cartonum.KindNotFound {
		return cartonum.Session{}, cartonum.User{}, ErrNoSession
	}
	if err != nil {
		return cartonum.Session{}, cartonum.User{}, err
	}
	if u.Disabled || !now.Before(sess.ExpiresAt) {
		return cartonum.Session{}, cartonum.User{}, ErrNoSession
	}
	u.PasswordHash = ""
	return sess, u, nil
}

// Logout deletes the session of token, if any.
func (s *Service) Logout(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	err := s.Store.DeleteSession(ctx, TokenHash(token))
	if cartonum.KindOf(err) == cartonum.KindNotFound {
		return nil
	}
	return err
}

// tokenBytes is the entropy of session and CSRF tokens.
const tokenBytes = 32

// randomToken returns 32 random bytes in unpadded base64url.
func randomToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("jeton aléatoire : %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormed tells whether token could be one of randomToken's.
func wellFormed(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == tokenBytes
}

// TokenHash is the digest of a session token the store keeps: SHA-256 in
// hex.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
