package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/sqlite"
)

func postScenarioJSON(t *testing.T, ts *testServer, header map[string]string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	return do(t, "POST", ts.URL+"/api/scenarios", h, body)
}

// unsized hides the length of a body, so that it is sent chunked.
type unsized struct{ io.Reader }

func jsonList(n int, item string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// TestScenarioLimits: over a size limit a write is a 413 with a French
// message and stores nothing; at the limit it is accepted.
func TestScenarioLimits(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Writes.MaxBodyBytes = 2 << 20 // so that each field limit is reached before the body's
	ts := newTestServer(t, cfg, sqlite.ScenarioLimits{})
	small := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	l := cfg.Writes
	added := func(n int, name string, services int) string {
		svc := jsonList(services, `"Aide aux démarches administratives"`)
		return jsonList(n, fmt.Sprintf(`{"lon":2.3,"lat":49.9,"name":%q,"services":%s}`, name, svc))
	}
	cases := []struct {
		name    string
		ts      *testServer
		body    string
		chunked bool
		status  int
		message string
	}{
		{"1 MB title (the issue's attack)", ts, `{"store":true,"title":"` + strings.Repeat("x", 1<<20) + `"}`, false, 413, "titre trop long"},
		{"title one character too long", ts, `{"store":true,"title":"` + strings.Repeat("é", l.MaxTitle+1) + `"}`, false, 413, "titre trop long"},
		{"title at the limit", ts, `{"store":true,"title":"` + strings.Repeat("é", l.MaxTitle) + `"}`, false, 201, ""},
		{"control character in the title", ts, `{"store":true,"title":"a\u0000b"}`, false, 400, "caractères de contrôle"},
		{"too many added places", ts, `{"store":true,"add":` + added(l.MaxAdded+1, "x", 1) + `}`, false, 413, "trop de lieux ajoutés"},
		{"added places at the limit", ts, `{"store":true,"add":` + added(l.MaxAdded, "x", 1) + `}`, false, 201, ""},
		{"added place name too long", ts, `{"store":true,"add":` + added(1, strings.Repeat("n", l.MaxName+1), 1) + `}`, false, 413, "nom trop long"},
		{"too many services on an added place", ts, `{"store":true,"add":` + added(1, "x", 10) + `}`, false, 413, "services"},
		{"too many services in the parameters", ts, `{"store":true,"params":{"services":` + jsonList(10, `"Aide aux démarches administratives"`) + `}}`, false, 413, "params.services"},
		{"too many removed places", ts, `{"store":true,"remove":` + jsonList(l.MaxRemoved+1, `"lieu-1"`) + `}`, false, 413, "trop de lieux retirés"},
		{"removed place id too long", ts, `{"store":true,"remove":["` + strings.Repeat("i", 201) + `"]}`, false, 413, "identifiant trop long"},
		{"body over the limit, length announced", small, `{"store":true,"title":"` + strings.Repeat("x", 300<<10) + `"}`, false, 413, "corps de requête trop volumineux"},
		{"body over the limit, chunked", small, `{"store":true,"title":"` + strings.Repeat("x", 300<<10) + `"}`, true, 413, "corps de requête trop volumineux"},
		{"data after the object", ts, `{"store":true}{"store":true}`, false, 400, "corps JSON invalide"},
		{"unknown field", ts, `{"store":true,"owner":"x"}`, false, 400, "corps JSON invalide"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.ts.scenarioCount(t)
			var body io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				body = unsized{body}
			}
			resp, b := postScenarioJSON(t, tc.ts, nil, body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			after := tc.ts.scenarioCount(t)
			if tc.status == 201 {
				if after != before+1 {
					t.Errorf("%d scenarios stored, want %d", after, before+1)
				}
				return
			}
			if after != before {
				t.Errorf("refused, but %d scenarios stored, %d before", after, before)
			}
			if msg := errorMessage(t, resp, b); !strings.Contains(msg, tc.message) {
				t.Errorf("message %q lacks %q", msg, tc.message)
			}
		})
	}
}

// TestScenarioQuota: what anonymous clients may store is capped per client
// and in total; over a cap the answer is 429 and nothing is stored.
func TestScenarioQuota(t *testing.T) {
	type post struct {
		client string // X-Forwarded-For, read behind the trusted loopback proxy
		status int
	}
	// one is the size of the scenario posted, in bytes.
	probe := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	const body = `{"store":true,"title":"essai","remove":["lieu-1"]}`
	postScenarioJSON(t, probe, nil, strings.NewReader(body))
	_, one, err := probe.store.ScenarioCount(context.Background())
	if err != nil || one == 0 {
		t.Fatal(one, err)
	}
	cases := []struct {
		name    string
		limits  sqlite.ScenarioLimits
		posts   []post
		message string
	}{
		{"per client", sqlite.ScenarioLimits{PerClient: 2, PerClientWindow: 24 * time.Hour},
			[]post{{"203.0.113.1", 201}, {"203.0.113.1", 201}, {"203.0.113.1", 429}, {"203.0.113.2", 201}, {"203.0.113.1", 429}},
			"déjà enregistré 2 scénarios en 24 h"},
		{"IPv6 clients by /64", sqlite.ScenarioLimits{PerClient: 1, PerClientWindow: time.Minute},
			[]post{{"2001:db8::1", 201}, {"2001:db8::2", 429}, {"2001:db8:0:1::1", 201}},
			"déjà enregistré 1 scénarios en 1 min"},
		{"in number", sqlite.ScenarioLimits{MaxCount: 3},
			[]post{{"203.0.113.1", 201}, {"203.0.113.2", 201}, {"203.0.113.3", 201}, {"203.0.113.4", 429}},
			"capacité d'enregistrement des scénarios atteinte"},
		{"in bytes", sqlite.ScenarioLimits{MaxBytes: one * 3 / 2},
			[]post{{"203.0.113.1", 201}, {"203.0.113.2", 429}},
			"capacité d'enregistrement des scénarios atteinte"},
		{"larger than all the space", sqlite.ScenarioLimits{MaxBytes: one / 2},
			[]post{{"203.0.113.1", 429}},
			"scénario trop volumineux"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.TrustedProxies = []string{"127.0.0.1/32", "::1/128"}
			ts := newTestServer(t, cfg, tc.limits)
			for i, p := range tc.posts {
				before := ts.scenarioCount(t)
				resp, b := postScenarioJSON(t, ts, map[string]string{"X-Forwarded-For": p.client},
					strings.NewReader(body))
				if resp.StatusCode != p.status {
					t.Fatalf("post %d from %s: %d, want %d: %.300s", i+1, p.client, resp.StatusCode, p.status, b)
				}
				after := ts.scenarioCount(t)
				if p.status == 201 && after != before+1 || p.status != 201 && after != before {
					t.Fatalf("post %d: %d scenarios, %d before", i+1, after, before)
				}
				if p.status == 429 {
					if msg := errorMessage(t, resp, b); !strings.Contains(msg, tc.message) {
						t.Errorf("message %q lacks %q", msg, tc.message)
					}
				}
			}
		})
	}
}

// TestWriteRateLimit: each client may make RatePerMinute write requests a
// minute; the next is a 429 with a French message and Retry-After, and
// writes nothing. Behind no trusted proxy, X-Forwarded-For is ignored.
func TestWriteRateLimit(t *testing.T) {
	type post struct {
		client string
		status int
	}
	cases := []struct {
		name    string
		proxies []string
		posts   []post
	}{
		{"by client behind a trusted proxy", []string{"127.0.0.1/32", "::1/128"},
			[]post{{"203.0.113.1", 201}, {"203.0.113.1", 201}, {"203.0.113.1", 429}, {"203.0.113.2", 201}}},
		{"forwarded address not trusted", nil,
			[]post{{"203.0.113.1", 201}, {"203.0.113.2", 201}, {"203.0.113.3", 429}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Writes.RatePerMinute = 2
			cfg.TrustedProxies = tc.proxies
			ts := newTestServer(t, cfg, sqlite.ScenarioLimits{})
			for i, p := range tc.posts {
				before := ts.scenarioCount(t)
				resp, b := postScenarioJSON(t, ts, map[string]string{"X-Forwarded-For": p.client},
					strings.NewReader(`{"store":true}`))
				if resp.StatusCode != p.status {
					t.Fatalf("post %d from %s: %d, want %d: %.300s", i+1, p.client, resp.StatusCode, p.status, b)
				}
				if p.status != 429 {
					continue
				}
				if n := ts.scenarioCount(t); n != before {
					t.Errorf("rate-limited, but %d scenarios stored, %d before", n, before)
				}
				if msg := errorMessage(t, resp, b); !strings.Contains(msg, "trop de requêtes d'écriture") {
					t.Errorf("message %q", msg)
				}
				if resp.Header.Get("Retry-After") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("headers %v", resp.Header)
				}
			}
			// Reads are not limited.
			for range 5 {
				if resp, _ := do(t, "GET", ts.URL+"/api/config", nil, nil); resp.StatusCode != 200 {
					t.Fatalf("read after the write limit: %d", resp.StatusCode)
				}
			}
		})
	}
}

// TestWriteRoutesLimited: every write route of the router refuses a body
// over the limit, whatever new write route is added.
func TestWriteRoutesLimited(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Writes.MaxBodyBytes = 1 << 10
	ts := newTestServer(t, cfg, sqlite.ScenarioLimits{})
	for _, rt := range routes(t, ts.Server) {
		if rt[0] == http.MethodGet || sessionOnly(rt[1]) {
			continue // behind a session: 401 first (TestModerationBodyLimited)
		}
		t.Run(rt[0]+" "+rt[1], func(t *testing.T) {
			resp, b := do(t, rt[0], ts.URL+rt[1], map[string]string{"Content-Type": "application/json"},
				strings.NewReader(strings.Repeat(" ", 2<<10)+`{}`)) // valid JSON, only too long
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d %.200s", resp.StatusCode, b)
			}
			if resp.Header.Get("X-RateLimit-Limit") == "" {
				t.Error("no rate limit on a write route")
			}
		})
	}
}

// TestScenarioRoundTrip: a stored scenario reads back with its title.
func TestScenarioRoundTrip(t *testing.T) {
	ts := newTestServer(t, DefaultConfig(), sqlite.ScenarioLimits{})
	resp, b := postScenarioJSON(t, ts, nil, strings.NewReader(`{"store":true,"title":"  Fermeture  ","remove":["lieu-1"]}`))
	if resp.StatusCode != 201 {
		t.Fatalf("%d %.300s", resp.StatusCode, b)
	}
	resp, b = do(t, "GET", ts.URL+resp.Header.Get("Location"), nil, nil)
	var sc ScenarioSummary
	if resp.StatusCode != 200 || json.Unmarshal(b, &sc) != nil || sc.Title != "Fermeture" || sc.ID == 0 {
		t.Fatalf("%d %.300s", resp.StatusCode, b)
	}
	for path, status := range map[string]int{"/api/scenarios/999": 404, "/api/scenarios/x": 400, "/api/scenarios/1?x=1": 400} {
		if resp, _ := do(t, "GET", ts.URL+path, nil, nil); resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, status)
		}
	}
}
