package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestRequestID: every answer carries X-Request-Id, the incoming one when
// it is sane and a fresh one otherwise; error bodies carry the same id.
func TestRequestID(t *testing.T) {
	logs := &syncBuffer{}
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.NewJSONHandler(logs, nil)))
	hs := httptest.NewServer(s)
	defer hs.Close()
	cases := []struct {
		name, incoming string
		keep           bool
	}{
		{"none", "", false},
		{"sane", "req-42_a.b:c", true},
		{"uuid", "0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{"64 characters", strings.Repeat("a", 64), true},
		{"65 characters", strings.Repeat("a", 65), false},
		{"space", "a b", false},
		{"quote", `a"b`, false},
		{"newline escape", `a\nb`, false},
		{"non-ASCII", "réq", false},
		{"log forging", "x level=ERROR msg=forged", false},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.incoming != "" {
				h[RequestIDHeader] = tc.incoming
			}
			for _, path := range []string{"/api/sites/nope", "/api/sites/lieu-1"} {
				resp, b := do(t, "GET", hs.URL+path, h, nil)
				id := resp.Header.Get(RequestIDHeader)
				switch {
				case tc.keep && id != tc.incoming:
					t.Fatalf("%s: id %q, want the incoming %q", path, id, tc.incoming)
				case !tc.keep && !generatedID.MatchString(id):
					t.Fatalf("%s: id %q is not a generated one (incoming %q)", path, id, tc.incoming)
				}
				if !tc.keep {
					if seen[id] {
						t.Fatalf("id %q given twice", id)
					}
					seen[id] = true
				}
				if resp.StatusCode == 404 {
					var e struct {
						RequestID string `json:"request_id"`
					}
					errorMessage(t, resp, b)
					if json.Unmarshal(b, &e) != nil || e.RequestID != id {
						t.Errorf("error body %s lacks request_id %q", b, id)
					}
				}
			}
		})
	}
	// The 405 answer, written outside renderError, carries it too.
	resp, b := do(t, "DELETE", hs.URL+"/api/sites", map[string]string{RequestIDHeader: "trace-405"}, nil)
	if resp.StatusCode != 405 || !strings.Contains(string(b), `"request_id":"trace-405"`) {
		t.Errorf("405: %d %s", resp.StatusCode, b)
	}
	// The log line of a request carries its id; a refused id is never logged.
	do(t, "GET", hs.URL+"/api/sites?limit=1", map[string]string{RequestIDHeader: "trace-log-1"}, nil)
	found := false
	for _, line := range strings.Split(logs.String(), "\n") {
		var l struct {
			Msg       string `json:"msg"`
			Path      string `json:"path"`
			Query     string `json:"query"`
			RequestID string `json:"request_id"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "http" && l.Path == "/api/sites" && l.Query == "limit=1" {
			found = l.RequestID == "trace-log-1"
		}
	}
	if !found {
		t.Errorf("no log line of GET /api/sites?limit=1 with request_id trace-log-1:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "forged") {
		t.Errorf("a refused request id reached the logs:\n%s", logs.String())
	}
}

// TestRequestIDCORS: another site's script may send and read the id.
func TestRequestIDCORS(t *testing.T) {
	s := New(liveOf(t, fixtureData()), DefaultConfig(), slog.New(slog.DiscardHandler))
	hs := httptest.NewServer(s)
	defer hs.Close()
	resp, _ := do(t, "OPTIONS", hs.URL+"/api/sites", map[string]string{"Origin": "https://a.example",
		"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-request-id"}, nil)
	if !strings.EqualFold(resp.Header.Get("Access-Control-Allow-Headers"), RequestIDHeader) {
		t.Errorf("preflight: Access-Control-Allow-Headers %q", resp.Header.Get("Access-Control-Allow-Headers"))
	}
	resp, _ = do(t, "GET", hs.URL+"/api/sites", map[string]string{"Origin": "https://a.example"}, nil)
	if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), RequestIDHeader) {
		t.Errorf("Access-Control-Expose-Headers %q", resp.Header.Get("Access-Control-Expose-Headers"))
	}
}
