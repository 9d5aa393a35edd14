package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// Test accounts: a moderator of the Somme, one of the Nord, an
// administrator and a disabled moderator.
const (
	modoEmail  = "moderateur80@example.fr"
	modo59     = "moderateur59@example.fr"
	adminEmail = "admin@example.fr"
	password   = "un mot de passe très solide"
)

// syncBuffer collects the server's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testClock is the accounts' clock, moved by the tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authServer is the real router with accounts over a real SQLite store,
// on a loopback server (TLS when asked).
type authServer struct {
	*Server
	URL      string
	accounts *accounts.Service
	clock    *testClock
	logs     *syncBuffer
	client   *http.Client
}

type authOptions struct {
	tls            bool
	trustedProxies []string
}

func newAuthServer(t *testing.T, opt authOptions) *authServer {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cartonum.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
	svc := accounts.New(db)
	svc.Now = clock.Now
	// Cheap hashes for the tests; the PHC format and code paths are those
	// of the defaults.
	svc.Params = accounts.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	for _, nu := range []accounts.NewUser{
		{Email: modoEmail, Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: password},
		{Email: modo59, Role: cartonum.RoleModerator, Departements: []string{"59"}, Password: password},
		{Email: adminEmail, Role: cartonum.RoleAdmin, Password: password},
	} {
		if _, err := svc.AddUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	logs := &syncBuffer{}
	cfg := DefaultConfig()
	cfg.TrustedProxies = opt.trustedProxies
	s := New(liveOf(t, fixtureData()), cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))).
		WithAccounts(svc)
	var hs *httptest.Server
	if opt.tls {
		hs = httptest.NewTLSServer(s)
	} else {
		hs = httptest.NewServer(s)
	}
	t.Cleanup(hs.Close)
	client := hs.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &authServer{Server: s, URL: hs.URL, accounts: svc, clock: clock, logs: logs, client: client}
}

// call sends a request with the given cookie (session token, "" for none)
// and headers, and returns the answer and its body.
func (as *authServer) call(t *testing.T, method, path, cookie string, header map[string]string, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, as.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: cookie})
	}
	return roundTrip(t, as.client, req)
}

// session is a logged-in client: its cookie and CSRF token.
type session struct {
	token, csrf string
	setCookie   string // the raw Set-Cookie of the login
}

func loginBody(email, pw string) string {
	b, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	return string(b)
}

// sessionCookieOf returns the raw Set-Cookie header of the session cookie
// and its value.
func sessionCookieOf(t *testing.T, resp *http.Response) (raw, value string) {
	t.Helper()
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, SessionCookie+"=") {
			raw = h
		}
	}
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			value = c.Value
		}
	}
	return raw, value
}

func (as *authServer) login(t *testing.T, email string) session {
	t.Helper()
	resp, b := as.call(t, "POST", "/api/session", "", nil, loginBody(email, password))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", email, resp.StatusCode, b)
	}
	var body struct {
		CSRF string `json:"csrf"`
	}
	if err := json.Unmarshal(b, &body); err != nil || body.CSRF == "" {
		t.Fatalf("login answer %s", b)
	}
	raw, v := sessionCookieOf(t, resp)
	if v == "" {
		t.Fatalf("login %s: no session cookie", email)
	}
	return session{token: v, csrf: body.CSRF, setCookie: raw}
}

func TestLoginAnswer(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	resp, b := as.call(t, "POST", "/api/session", "", nil, loginBody(" Moderateur80@Example.fr", password))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var got struct {
		CSRF string `json:"csrf"`
		User struct {
			Email        string   `json:"email"`
			Role         string   `json:"role"`
			Departements []string `json:"departements"`
			EPCI         []string `json:"epci"`
		} `json:"utilisateur"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.User.Email != modoEmail || got.User.Role != "moderateur" || len(got.User.Departements) != 1 ||
		got.User.Departements[0] != "80" || got.User.EPCI == nil || len(got.CSRF) < 40 {
		t.Fatalf("answer %s", b)
	}
	if bytes.Contains(b, []byte("argon2")) || bytes.Contains(b, []byte(password)) {
		t.Fatalf("the answer leaks a secret: %s", b)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	_, token := sessionCookieOf(t, resp)

	// GET /api/session: the same body, the same CSRF.
	resp, b2 := as.call(t, "GET", "/api/session", token, nil, "")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(b, b2) {
		t.Fatalf("GET /api/session: %d %s, want %s", resp.StatusCode, b2, b)
	}
	resp, _ = as.call(t, "GET", "/api/session", "", nil, "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /api/session without a cookie: %d", resp.StatusCode)
	}
}

// Wrong credentials: 401 "identifiants incorrects", whatever was wrong.
func TestLoginFailures(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	for _, tc := range []struct {
		name, body, contentType string
		status                  int
		msg                     string
	}{
		{"wrong password", loginBody(modoEmail, password+"!"), "", 401, "identifiants incorrects"},
		{"unknown e-mail", loginBody("inconnu@example.fr", password), "", 401, "identifiants incorrects"},
		{"empty password", loginBody(modoEmail, ""), "", 400, ""},
		{"unknown field", `{"email":"a@example.fr","password":"x","role":"administrateur"}`, "", 400, ""},
		{"form post", "email=" + modoEmail + "&password=x", "application/x-www-form-urlencoded", 415, ""},
		{"text/plain JSON", loginBody(modoEmail, password), "text/plain", 415, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h map[string]string
			if tc.contentType != "" {
				h = map[string]string{"Content-Type": tc.contentType}
			}
			resp, b := as.call(t, "POST", "/api/session", "", h, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.status)
			}
			if msg := errorMessage(t, resp, b); tc.msg != "" && msg != tc.msg {
				t.Fatalf("message %q, want %q", msg, tc.msg)
			}
			if _, v := sessionCookieOf(t, resp); v != "" {
				t.Fatal("a failed login set a session cookie")
			}
		})
	}
}

// TestSessionCookieFlags: HttpOnly, SameSite=Lax, Path=/, Max-Age = the
// session lifetime; Secure over TLS only, or behind a trusted proxy saying
// https.
func TestSessionCookieFlags(t *testing.T) {
	check := func(t *testing.T, raw string, secure bool) {
		t.Helper()
		attrs := map[string]bool{}
		for _, a := range strings.Split(raw, ";")[1:] {
			attrs[strings.TrimSpace(a)] = true
		}
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"} {
			if !attrs[want] {
				t.Errorf("Set-Cookie %q lacks %s", raw, want)
			}
		}
		if attrs["Secure"] != secure {
			t.Errorf("Set-Cookie %q: Secure %v, want %v", raw, attrs["Secure"], secure)
		}
		if attrs["Domain"] || strings.Contains(raw, "Domain=") {
			t.Errorf("Set-Cookie %q names a domain", raw)
		}
	}
	t.Run("plain HTTP", func(t *testing.T) {
		as := newAuthServer(t, authOptions{})
		check(t, as.login(t, modoEmail).setCookie, false)
	})
	t.Run("TLS", func(t *testing.T) {
		as := newAuthServer(t, authOptions{tls: true})
		if !strings.HasPrefix(as.URL, "https://") {
			t.Fatal(as.URL)
		}
		s := as.login(t, modoEmail)
		check(t, s.setCookie, true)
		// Logout clears the cookie with the same attributes.
		resp, _ := as.call(t, "DELETE", "/api/session", s.token, map[string]string{CSRFHeader: s.csrf}, "")
		raw, _ := sessionCookieOf(t, resp)
		if !strings.Contains(raw, "Max-Age=0") || !strings.Contains(raw, "Secure") || !strings.Contains(raw, "HttpOnly") {
			t.Errorf("logout Set-Cookie %q", raw)
		}
	})
	t.Run("X-Forwarded-Proto from an untrusted peer", func(t *testing.T) {
		as := newAuthServer(t, authOptions{trustedProxies: []string{"10.0.0.0/8"}})
		resp, b := as.call(t, "POST", "/api/session", "", map[string]string{"X-Forwarded-Proto": "https"}, loginBody(modoEmail, password))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		raw, _ := sessionCookieOf(t, resp)
		check(t, raw, false)
	})
	t.Run("X-Forwarded-Proto from a trusted proxy", func(t *testing.T) {
		as := newAuthServer(t, authOptions{trustedProxies: []string{"127.0.0.1/32", "::1/128"}})
		resp, b := as.call(t, "POST", "/api/session", "", map[string]string{"X-Forwarded-Proto": "https"}, loginBody(modoEmail, password))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		raw, _ := sessionCookieOf(t, resp)
		check(t, raw, true)
		resp, _ = as.call(t, "POST", "/api/session", "", map[string]string{"X-Forwarded-Proto": "http"}, loginBody(modoEmail, password))
		raw, _ = sessionCookieOf(t, resp)
		check(t, raw, false)
	})
}

// TestSessionFixation: a session cookie sent with a login is never
// adopted; the login issues a new id and deletes the old session.
func TestSessionFixation(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	for _, tc := range []struct {
		name   string
		cookie func(t *testing.T) string
	}{
		// An attacker's own valid session planted in the victim's browser.
		{"valid session of another account", func(t *testing.T) string { return as.login(t, modo59).token }},
		// A session id chosen by the attacker.
		{"chosen id", func(*testing.T) string { return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			planted := tc.cookie(t)
			resp, b := as.call(t, "POST", "/api/session", planted, nil, loginBody(modoEmail, password))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			_, issued := sessionCookieOf(t, resp)
			if issued == "" || issued == planted {
				t.Fatalf("session id %q after a login with %q: not a new one", issued, planted)
			}
			if resp, _ := as.call(t, "GET", "/api/session", planted, nil, ""); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("the planted session still works: %d", resp.StatusCode)
			}
			resp, b = as.call(t, "GET", "/api/session", issued, nil, "")
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), modoEmail) {
				t.Fatalf("the new session: %d %s", resp.StatusCode, b)
			}
		})
	}
	// A failed login with a planted cookie deletes it too.
	planted := as.login(t, modo59).token
	resp, _ := as.call(t, "POST", "/api/session", planted, nil, loginBody(modoEmail, "mauvais mot de passe"))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("failed login: %d", resp.StatusCode)
	}
	if resp, _ := as.call(t, "GET", "/api/session", planted, nil, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the planted session survives a failed login: %d", resp.StatusCode)
	}
}

func TestLogout(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	s := as.login(t, modoEmail)
	other := as.login(t, modoEmail) // another browser of the same user
	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
	}{
		{"without CSRF token", nil, http.StatusForbidden},
		{"wrong CSRF token", map[string]string{CSRFHeader: other.csrf}, http.StatusForbidden},
		{"with the session's CSRF token", map[string]string{CSRFHeader: s.csrf}, http.StatusNoContent},
		{"again", map[string]string{CSRFHeader: s.csrf}, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := as.call(t, "DELETE", "/api/session", s.token, tc.header, "")
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.status)
			}
		})
	}
	if resp, _ := as.call(t, "GET", "/api/session", s.token, nil, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET after logout: %d", resp.StatusCode)
	}
	if resp, _ := as.call(t, "GET", "/api/session", other.token, nil, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("the other session after logout: %d", resp.StatusCode)
	}
}

func TestExpiredSession(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	s := as.login(t, modoEmail)
	as.clock.Add(12*time.Hour - time.Second)
	if resp, _ := as.call(t, "GET", "/api/session", s.token, nil, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("before expiry: %d", resp.StatusCode)
	}
	as.clock.Add(time.Second)
	resp, b := as.call(t, "GET", "/api/session", s.token, nil, "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired session: %d %s", resp.StatusCode, b)
	}
	errorMessage(t, resp, b)
}

func TestDisabledUser(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	s := as.login(t, modoEmail)
	if err := as.accounts.Disable(context.Background(), modoEmail); err != nil {
		t.Fatal(err)
	}
	if resp, _ := as.call(t, "GET", "/api/session", s.token, nil, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session of a disabled user: %d", resp.StatusCode)
	}
	resp, b := as.call(t, "POST", "/api/session", "", nil, loginBody(modoEmail, password))
	if resp.StatusCode != http.StatusUnauthorized || errorMessage(t, resp, b) != "identifiants incorrects" {
		t.Fatalf("login of a disabled user: %d %s", resp.StatusCode, b)
	}
}

func TestLoginThrottled(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	for i := 0; i < 5; i++ {
		resp, b := as.call(t, "POST", "/api/session", "", nil, loginBody(modoEmail, "mauvais mot de passe"))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, resp.StatusCode, b)
		}
	}
	// Even the right password is refused now.
	resp, b := as.call(t, "POST", "/api/session", "", nil, loginBody(modoEmail, password))
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth login: %d %s", resp.StatusCode, b)
	}
	errorMessage(t, resp, b)
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 60 || ra > 900 {
		t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	if _, v := sessionCookieOf(t, resp); v != "" {
		t.Fatal("a throttled login set a cookie")
	}
	// Another account from the same client is not throttled yet.
	as.login(t, adminEmail)
	as.clock.Add(15*time.Minute + time.Second)
	as.login(t, modoEmail)
}

// TestPasswordNeverLogged: the server's log lines of logins, successful,
// failed, throttled or malformed, never hold the password.
func TestPasswordNeverLogged(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	secret := "Sésame-ouvre-toi-2026"
	if _, err := as.accounts.AddUser(context.Background(), accounts.NewUser{Email: "secret@example.fr",
		Role: cartonum.RoleAdmin, Password: secret}); err != nil {
		t.Fatal(err)
	}
	as.call(t, "POST", "/api/session", "", nil, loginBody("secret@example.fr", secret))
	for i := 0; i < 6; i++ {
		as.call(t, "POST", "/api/session", "", nil, loginBody("secret@example.fr", secret+"x"))
	}
	as.call(t, "POST", "/api/session", "", nil, `{"email":"secret@example.fr","password":"`+secret+`"`)
	as.call(t, "POST", "/api/session", "", nil, loginBody("inconnu@example.fr", secret))
	as.call(t, "POST", "/api/session", "", map[string]string{"Content-Type": "text/plain"}, secret)
	logs := as.logs.String()
	if !strings.Contains(logs, "/api/session") {
		t.Fatalf("no log line of the logins: %q", logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, secret) {
			t.Errorf("the password is in a log line: %s", line)
		}
	}
}

// pathOf fills the parameters of a chi route pattern.
var routeParam = regexp.MustCompile(`\{[^}]*\}`)

func pathOf(pattern string) string { return routeParam.ReplaceAllString(pattern, "1") }

// adminOnly tells which routes only administrators may call: the
// management of accounts.
func adminOnly(pattern string) bool {
	return strings.HasPrefix(pattern, "/api/moderation/utilisateurs")
}

// TestEveryModerationRouteBehindSession walks the router: every route
// under /api/moderation/, and DELETE /api/session, answers 401 to an
// anonymous client, 403 to a logged-in one without the CSRF token on a
// state-changing method, and 403 to a moderator on the administrators'
// routes. Routes added later are covered as soon as they are mounted.
func TestEveryModerationRouteBehindSession(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	modo := as.login(t, modoEmail)
	admin := as.login(t, adminEmail)
	guarded, admins := 0, 0
	for _, rt := range routes(t, as.Server) {
		method, pattern := rt[0], rt[1]
		if !strings.HasPrefix(pattern, "/api/moderation/") && !(method == http.MethodDelete && pattern == "/api/session") {
			continue
		}
		guarded++
		path := pathOf(pattern)
		body := ""
		if !safeMethod(method) {
			body = "{}"
		}
		t.Run(method+" "+pattern, func(t *testing.T) {
			resp, b := as.call(t, method, path, "", nil, body)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous: %d %.200s, want 401", resp.StatusCode, b)
			} else {
				errorMessage(t, resp, b)
			}
			resp, b = as.call(t, method, path, "not-a-session", nil, body)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("unknown session: %d %.200s, want 401", resp.StatusCode, b)
			}
			if !safeMethod(method) {
				for _, s := range []session{modo, admin} {
					resp, b = as.call(t, method, path, s.token, nil, body)
					if resp.StatusCode != http.StatusForbidden || errorMessage(t, resp, b) != errCSRF.msg {
						t.Errorf("without CSRF token: %d %.200s, want 403 (CSRF)", resp.StatusCode, b)
					}
					resp, b = as.call(t, method, path, s.token, map[string]string{CSRFHeader: s.csrf + "x"}, body)
					if resp.StatusCode != http.StatusForbidden || errorMessage(t, resp, b) != errCSRF.msg {
						t.Errorf("wrong CSRF token: %d %.200s, want 403 (CSRF)", resp.StatusCode, b)
					}
				}
			}
			h := map[string]string{CSRFHeader: modo.csrf}
			resp, b = as.call(t, method, path, modo.token, h, body)
			if adminOnly(pattern) {
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("moderator on an administrators' route: %d %.200s, want 403", resp.StatusCode, b)
				}
			} else if resp.StatusCode == http.StatusUnauthorized {
				t.Errorf("moderator with session and CSRF token: 401 %.200s", b)
			}
			resp, b = as.call(t, method, path, admin.token, map[string]string{CSRFHeader: admin.csrf}, body)
			if resp.StatusCode == http.StatusUnauthorized || (resp.StatusCode == http.StatusForbidden && errorMessage(t, resp, b) == errAdminOnly.msg) {
				t.Errorf("administrator: %d %.200s", resp.StatusCode, b)
			}
		})
		if adminOnly(pattern) {
			admins++
		}
	}
	if guarded < 2 || admins == 0 {
		t.Fatalf("walked %d guarded routes, %d administrators' routes: the walk found too few", guarded, admins)
	}
}

func TestListUsers(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	admin := as.login(t, adminEmail)
	resp, b := as.call(t, "GET", "/api/moderation/utilisateurs", admin.token, nil, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var users []map[string]any
	if err := json.Unmarshal(b, &users); err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 {
		t.Fatalf("%d users: %s", len(users), b)
	}
	for _, u := range users {
		if u["email"] == nil || u["role"] == nil {
			t.Errorf("user %v", u)
		}
	}
	if bytes.Contains(b, []byte("argon2")) || bytes.Contains(bytes.ToLower(b), []byte("hash")) {
		t.Fatalf("the list shows password hashes: %s", b)
	}
}

// TestNoCrossOriginSession: the CORS policy never lets another site use a
// session: no credentials, no DELETE, no X-CSRF-Token header.
func TestNoCrossOriginSession(t *testing.T) {
	as := newAuthServer(t, authOptions{})
	origin := "https://malveillant.example"
	for _, tc := range []struct{ method, path, headers string }{
		{"DELETE", "/api/session", ""},
		{"POST", "/api/moderation/propositions/1/accepter", "x-csrf-token"},
		{"POST", "/api/session", "x-csrf-token"},
	} {
		resp, _ := as.call(t, "OPTIONS", tc.path, "", map[string]string{"Origin": origin,
			"Access-Control-Request-Method": tc.method, "Access-Control-Request-Headers": tc.headers}, "")
		if resp.Header.Get("Access-Control-Allow-Credentials") != "" ||
			strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "DELETE") ||
			strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "x-csrf-token") {
			t.Errorf("preflight %s %s %s allowed: %v", tc.method, tc.path, tc.headers, resp.Header)
		}
	}
	// A logged-in answer never allows credentials either.
	s := as.login(t, modoEmail)
	resp, _ := as.call(t, "GET", "/api/session", s.token, map[string]string{"Origin": origin}, "")
	if resp.Header.Get("Access-Control-Allow-Credentials") == "true" {
		t.Fatal("credentials allowed cross-origin")
	}
}
