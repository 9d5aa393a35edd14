package accounts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// fastParams keep the tests quick; the format and the code paths are the
// same as with DefaultParams.
var fastParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordPHC(t *testing.T) {
	h, err := HashPassword("correct horse battery", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: not the expected PHC prefix", h)
	}
	parts := strings.Split(h, "$")
	if len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Fatalf("hash %q: salt or key of unexpected length", h)
	}
	ok, err := VerifyPassword("correct horse battery", h)
	if err != nil || !ok {
		t.Fatalf("verify right password = %v, %v", ok, err)
	}
	ok, err = VerifyPassword("correct horse batterx", h)
	if err != nil || ok {
		t.Fatalf("verify wrong password = %v, %v", ok, err)
	}
	h2, _ := HashPassword("correct horse battery", DefaultParams)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

// A hash keeps its parameters: it verifies after Params changed.
func TestVerifyReadsParamsFromHash(t *testing.T) {
	h, err := HashPassword("un mot de passe long", fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "$m=64,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := VerifyPassword("un mot de passe long", h); err != nil || !ok {
		t.Fatalf("verify = %v, %v", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, _ := HashPassword("un mot de passe long", fastParams)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":        "",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuuJ0mZ4cXh4Q7uQ0Z6o2r1Qm3ZCkqK1y",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Replace(good, "m=64", "m=99999999", 1),
		"zero time":    strings.Replace(good, "t=1", "t=0", 1),
		"bad salt":     strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"short key":    strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"extra fields": good + "$x",
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := VerifyPassword("un mot de passe long", h)
			if err == nil || ok {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want an error", h, ok, err)
			}
		})
	}
}

// memStore is an in-memory ContributionStore of users, sessions and login
// failures (the other methods are not called here).
type memStore struct {
	cartonum.ContributionStore
	mu       sync.Mutex
	users    []cartonum.User
	sessions map[string]cartonum.Session
	failures map[string][]time.Time
}

func newMemStore() *memStore {
	return &memStore{sessions: map[string]cartonum.Session{}, failures: map[string][]time.Time{}}
}

func (m *memStore) AddUser(_ context.Context, u cartonum.User) (cartonum.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.users {
		if x.Email == u.Email {
			return cartonum.User{}, cartonum.Errorf(cartonum.KindConflict, "le compte %s existe déjà", u.Email)
		}
	}
	u.ID = int64(len(m.users) + 1)
	m.users = append(m.users, u)
	return u, nil
}

func (m *memStore) UserByEmail(_ context.Context, email string) (cartonum.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.users {
		if x.Email == email {
			return x, nil
		}
	}
	return cartonum.User{}, cartonum.Errorf(cartonum.KindNotFound, "aucun compte %s", email)
}

func (m *memStore) Users(context.Context) ([]cartonum.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]cartonum.User(nil), m.users...), nil
}

func (m *memStore) DisableUser(_ context.Context, email string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.users {
		if m.users[i].Email == email {
			m.users[i].Disabled = true
			return nil
		}
	}
	return cartonum.Errorf(cartonum.KindNotFound, "aucun compte %s", email)
}

func (m *memStore) AddSession(_ context.Context, s cartonum.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions[s.TokenHash] = s
	return nil
}

func (m *memStore) SessionByHash(_ context.Context, hash string, now time.Time) (cartonum.Session, cartonum.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[hash]
	if !ok || !now.Before(s.ExpiresAt) || m.users[s.User-1].Disabled {
		return cartonum.Session{}, cartonum.User{}, cartonum.Errorf(cartonum.KindNotFound, "aucune session")
	}
	return s, m.users[s.User-1], nil
}

func (m *memStore) DeleteSession(_ context.Context, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, hash)
	return nil
}

func (m *memStore) LoginFailures(_ context.Context, key string, since time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, at := range m.failures[key] {
		if !at.Before(since) {
			n++
		}
	}
	return n, nil
}

func (m *memStore) AddLoginFailure(_ context.Context, key string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures[key] = append(m.failures[key], at)
	return nil
}

func (m *memStore) ClearLoginFailures(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.failures, key)
	return nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newService(t *testing.T) (*Service, *memStore, *clock) {
	t.Helper()
	st := newMemStore()
	c := &clock{t: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
	s := New(st)
	s.Now = c.Now
	s.Params = fastParams
	return s, st, c
}

const pw = "un mot de passe solide"

func TestAddUserValidation(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		nu   NewUser
		want string // part of the error, "" for success
	}{
		{"moderator of a département", NewUser{Email: "Modo80@Example.fr ", Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: pw}, ""},
		{"moderator of an EPCI", NewUser{Email: "epci@example.fr", Role: cartonum.RoleModerator, EPCIs: []string{"200070993"}, Password: pw}, ""},
		{"administrator", NewUser{Email: "admin@example.fr", Role: cartonum.RoleAdmin, Password: pw}, ""},
		{"corsica", NewUser{Email: "corse@example.fr", Role: cartonum.RoleModerator, Departements: []string{"2a"}, Password: pw}, ""},
		{"bad e-mail", NewUser{Email: "pas une adresse", Role: cartonum.RoleAdmin, Password: pw}, "adresse électronique"},
		{"e-mail with name", NewUser{Email: "Jean <jean@example.fr>", Role: cartonum.RoleAdmin, Password: pw}, "adresse électronique"},
		{"bad role", NewUser{Email: "x@example.fr", Role: "root", Password: pw}, "rôle"},
		{"moderator without territory", NewUser{Email: "x@example.fr", Role: cartonum.RoleModerator, Password: pw}, "au moins un département"},
		{"bad département", NewUser{Email: "x@example.fr", Role: cartonum.RoleModerator, Departements: []string{"800"}, Password: pw}, "département"},
		{"bad SIREN", NewUser{Email: "x@example.fr", Role: cartonum.RoleModerator, EPCIs: []string{"12345"}, Password: pw}, "SIREN"},
		{"short password", NewUser{Email: "x@example.fr", Role: cartonum.RoleAdmin, Password: "court123456"}, "trop court"},
		{"administrator with territory", NewUser{Email: "x@example.fr", Role: cartonum.RoleAdmin, Departements: []string{"80"}, Password: pw}, "administrateur"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, st, _ := newService(t)
			u, err := s.AddUser(ctx, tc.nu)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				stored, _ := st.UserByEmail(ctx, u.Email)
				if u.Email != strings.ToLower(strings.TrimSpace(tc.nu.Email)) || !strings.HasPrefix(stored.PasswordHash, "$argon2id$") {
					t.Fatalf("stored %+v", stored)
				}
				if strings.Contains(stored.PasswordHash, pw) {
					t.Fatal("the password is stored in clear")
				}
				return
			}
			if err == nil || cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want KindInvalid containing %q", err, tc.want)
			}
			if len(st.users) != 0 {
				t.Fatal("an invalid user was stored")
			}
		})
	}
}

func TestLoginAuthenticateLogout(t *testing.T) {
	ctx := context.Background()
	s, st, c := newService(t)
	s.SessionTTL = time.Hour
	if _, err := s.AddUser(ctx, NewUser{Email: "m@example.fr", Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	token, sess, u, err := s.Login(ctx, "M@example.fr", pw, "client")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "m@example.fr" || u.PasswordHash != "" {
		t.Fatalf("user %+v", u)
	}
	if !wellFormed(token) || sess.TokenHash != TokenHash(token) || len(sess.CSRF) != 43 {
		t.Fatalf("token %q, session %+v", token, sess)
	}
	if _, ok := st.sessions[token]; ok {
		t.Fatal("the store keeps the token itself")
	}
	if got := sess.ExpiresAt.Sub(sess.CreatedAt); got != time.Hour {
		t.Fatalf("session lifetime %v", got)
	}
	token2, sess2, _, err := s.Login(ctx, "m@example.fr", pw, "client")
	if err != nil || token2 == token || sess2.CSRF == sess.CSRF {
		t.Fatalf("second login: %v; a new token and CSRF are expected", err)
	}

	got, gu, err := s.Authenticate(ctx, token)
	if err != nil || got.CSRF != sess.CSRF || gu.ID != u.ID || gu.PasswordHash != "" {
		t.Fatalf("Authenticate = %+v, %+v, %v", got, gu, err)
	}
	for _, bad := range []string{"", "x", token + "A", strings.Repeat("A", 43)} {
		if _, _, err := s.Authenticate(ctx, bad); !errors.Is(err, cartonum.ErrUnauthorized) {
			t.Fatalf("Authenticate(%q) = %v", bad, err)
		}
	}
	if err := s.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, token); !errors.Is(err, cartonum.ErrUnauthorized) {
		t.Fatalf("after logout: %v", err)
	}
	c.Add(time.Hour)
	if _, _, err := s.Authenticate(ctx, token2); !errors.Is(err, cartonum.ErrUnauthorized) {
		t.Fatalf("expired session: %v", err)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	for _, nu := range []NewUser{
		{Email: "m@example.fr", Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: pw},
		{Email: "off@example.fr", Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: pw},
	} {
		if _, err := s.AddUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Disable(ctx, "off@example.fr"); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]string{
		"wrong password":   {"m@example.fr", pw + "x"},
		"unknown e-mail":   {"nobody@example.fr", pw},
		"disabled account": {"off@example.fr", pw},
		"huge password":    {"m@example.fr", strings.Repeat("x", 5000)},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, _, err := s.Login(ctx, c[0], c[1], "client-"+name)
			if err != ErrBadCredentials || !errors.Is(err, cartonum.ErrUnauthorized) || err.Error() != "identifiants incorrects" {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	s, _, c := newService(t)
	if _, err := s.AddUser(ctx, NewUser{Email: "m@example.fr", Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, _, _, err := s.Login(ctx, "m@example.fr", "mauvais mot de passe", "a"); err != ErrBadCredentials {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// The right password from another client: the e-mail is throttled.
	_, _, _, err := s.Login(ctx, "m@example.fr", pw, "b")
	var te *ThrottledError
	if !errors.As(err, &te) || !errors.Is(err, cartonum.ErrTooMany) || te.RetryAfter() <= 0 {
		t.Fatalf("sixth login: %v, want a ThrottledError", err)
	}
	if !strings.Contains(err.Error(), "réessayez dans 15 minutes") {
		t.Fatalf("message %q", err)
	}
	c.Add(15*time.Minute + time.Second)
	if _, _, _, err := s.Login(ctx, "m@example.fr", pw, "b"); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	// 20 failures from one client over many e-mails throttle the client.
	for i := 0; i < 20; i++ {
		_, _, _, err := s.Login(ctx, "x"+string(rune('a'+i))+"@example.fr", "mauvais mot de passe", "c")
		if err != ErrBadCredentials {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	if _, _, _, err := s.Login(ctx, "m@example.fr", pw, "c"); !errors.Is(err, cartonum.ErrTooMany) {
		t.Fatalf("client over its limit: %v", err)
	}
	if _, _, _, err := s.Login(ctx, "m@example.fr", pw, "d"); err != nil {
		t.Fatalf("another client: %v", err)
	}
}

// A success forgets the e-mail's failures: four failures, a success, four
// failures again do not throttle.
func TestLoginSuccessClearsFailures(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	if _, err := s.AddUser(ctx, NewUser{Email: "m@example.fr", Role: cartonum.RoleAdmin, Password: pw}); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ {
		for i := 0; i < 4; i++ {
			if _, _, _, err := s.Login(ctx, "m@example.fr", "mauvais mot de passe", "a"); err != ErrBadCredentials {
				t.Fatal(err)
			}
		}
		if _, _, _, err := s.Login(ctx, "m@example.fr", pw, "a"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

func TestDisableEndsSessions(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	if _, err := s.AddUser(ctx, NewUser{Email: "m@example.fr", Role: cartonum.RoleAdmin, Password: pw}); err != nil {
		t.Fatal(err)
	}
	token, _, _, err := s.Login(ctx, "m@example.fr", pw, "a")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Disable(ctx, "M@example.fr"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, token); !errors.Is(err, cartonum.ErrUnauthorized) {
		t.Fatalf("disabled user's session: %v", err)
	}
	us, err := s.Users(ctx)
	if err != nil || len(us) != 1 || !us[0].Disabled || us[0].PasswordHash != "" {
		t.Fatalf("Users = %+v, %v", us, err)
	}
}

// TestUnknownEmailTakesAVerification: with the real parameters, a login
// with an unknown e-mail costs about what a wrong password costs (the
// dummy verification), so that timing does not reveal accounts. The bound
// is loose (a half) to stay reliable on a busy machine.
func TestUnknownEmailTakesAVerification(t *testing.T) {
	ctx := context.Background()
	s, _, _ := newService(t)
	s.Params = DefaultParams
	s.Throttle = Throttle{PerEmail: 100, PerClient: 100, Window: time.Minute}
	if _, err := s.AddUser(ctx, NewUser{Email: "m@example.fr", Role: cartonum.RoleAdmin, Password: pw}); err != nil {
		t.Fatal(err)
	}
	fastest := func(email string) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := time.Now()
			if _, _, _, err := s.Login(ctx, email, "mauvais mot de passe", "c"); err != ErrBadCredentials {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	fastest("inconnu@example.fr") // computes the dummy hash once
	known, unknown := fastest("m@example.fr"), fastest("inconnu@example.fr")
	if unknown < known/2 {
		t.Fatalf("unknown e-mail %v, wrong password %v: an unknown e-mail is answered faster", unknown, known)
	}
}
