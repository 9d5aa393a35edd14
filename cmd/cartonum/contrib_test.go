package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/httpapi"
)

// callJSON sends a JSON request (body nil: none) with optional headers and
// cookies and returns the answer and its body.
func callJSON(t *testing.T, method, u string, body any, header map[string]string, cookies ...*http.Cookie) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// formToken gets a fresh token of the proposal form.
func formToken(t *testing.T, base string) string {
	t.Helper()
	resp, b := callJSON(t, "GET", base+"/api/propositions/formulaire", nil, nil)
	var f struct{ Jeton string }
	if resp.StatusCode != 200 || json.Unmarshal(b, &f) != nil || f.Jeton == "" {
		t.Fatalf("form: %d %s", resp.StatusCode, b)
	}
	return f.Jeton
}

// caenAjout is a new place in Caen, in the synthetic region 28.
func caenAjout(jeton, name string) map[string]any {
	return map[string]any{"type": "ajout", "jeton": jeton, "courriel": "contributeur@example.fr",
		"champs": map[string]any{"nom": name, "adresse": "12 rue Neuve", "commune": "Caen", "code_postal": "14000",
			"code_insee": "14118", "latitude": "49.24", "longitude": "-0.76",
			"services": []string{"Aide aux démarches administratives"}}}
}

// TestContributionLive: a proposed place, accepted by a moderator of its
// département, is served within seconds (the decision triggers the
// reload: the periodic watch is off here), exported with the configured
// source name, and its tracking page says acceptee.
func TestContributionLive(t *testing.T) {
	cfg := syntheticConfig(t)
	doImport(t, cfg)
	cfg.ReloadInterval = 0
	cfg.SourceName = "Région Normandie (contributions)"
	cfg.MinFill = 0
	cfg.ProposalsPerHour = 10
	m := runMain(t, cfg)
	base := "http://" + m.Addr()

	acc := accounts.New(m.db)
	acc.Params = accounts.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	const pw = "un mot de passe de test"
	if _, err := acc.AddUser(context.Background(), accounts.NewUser{Email: "moderateur14@example.fr",
		Role: cartonum.RoleModerator, Departements: []string{"14"}, Password: pw}); err != nil {
		t.Fatal(err)
	}

	resp, b := callJSON(t, "POST", base+"/api/propositions", caenAjout(formToken(t, base), "Tiers-lieu contribué"), nil)
	var created struct {
		ID    int64
		Suivi string
	}
	if resp.StatusCode != 201 || json.Unmarshal(b, &created) != nil {
		t.Fatalf("proposal: %d %s", resp.StatusCode, b)
	}
	resp, b = callJSON(t, "POST", base+"/api/session", map[string]string{"email": "moderateur14@example.fr", "password": pw}, nil)
	var sess struct{ CSRF string }
	if resp.StatusCode != 200 || json.Unmarshal(b, &sess) != nil {
		t.Fatalf("login: %d %s", resp.StatusCode, b)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == httpapi.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	accepted := time.Now()
	resp, b = callJSON(t, "POST", fmt.Sprintf("%s/api/moderation/propositions/%d/accepter", base, created.ID), nil,
		map[string]string{httpapi.CSRFHeader: sess.CSRF}, cookie)
	var dec struct {
		Lieu    string
		Version int64
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &dec) != nil || dec.Lieu == "" {
		t.Fatalf("accept: %d %s", resp.StatusCode, b)
	}

	for {
		page := getSites(t, base, "limit=1000")
		served := false
		for _, f := range page.Features {
			served = served || (f.ID == dec.Lieu && f.Properties.Nom == "Tiers-lieu contribué")
		}
		if served {
			break
		}
		if time.Since(accepted) > 5*time.Second {
			t.Fatalf("the accepted place is not served 5 s after the decision")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("served %v after the decision", time.Since(accepted).Round(time.Millisecond))

	resp, b = callJSON(t, "GET", base+"/api/export/sites.csv", nil, nil)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if resp.StatusCode != 200 || err != nil || len(rows) < 2 {
		t.Fatalf("export: %d %v", resp.StatusCode, err)
	}
	idCol, srcCol := slices.Index(rows[0], "id"), slices.Index(rows[0], "source")
	found := false
	for _, r := range rows[1:] {
		if r[idCol] == dec.Lieu {
			found = true
			if r[srcCol] != cfg.SourceName {
				t.Errorf("export source %q, want %q", r[srcCol], cfg.SourceName)
			}
		}
	}
	if !found {
		t.Errorf("the accepted place is not in the export")
	}
	resp, b = callJSON(t, "GET", base+"/api"+created.Suivi, nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"statut":"acceptee"`) || !strings.Contains(string(b), dec.Lieu) {
		t.Errorf("tracking: %d %s", resp.StatusCode, b)
	}
	if strings.Contains(string(b), "contributeur@example.fr") {
		t.Errorf("the contributor's e-mail on the tracking page: %s", b)
	}
}

// freePort returns a loopback address that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess starts `cartonum serve` on db and waits for /healthz.
func startProcess(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(bin, "serve", "--db", db, "--region", "28", "--addr", addr, "--min-fill", "0",
		"--proposals-per-hour", "100000", "--write-rate", "100000", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, base
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the server did not start within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestProposalsSurviveSIGKILL: every proposal acknowledged with a 201 is
// found after the server was killed (SIGKILL) in the middle of a burst
// and started again.
func TestProposalsSurviveSIGKILL(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "cartonum")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cfg := syntheticConfig(t)
	doImport(t, cfg)

	cmd, base := startProcess(t, bin, cfg.DB)
	jeton := formToken(t, base)
	var (
		mu     sync.Mutex
		acked  []string
		client = &http.Client{Timeout: 5 * time.Second}
		wg     sync.WaitGroup
	)
	killAt := 40
	killed := make(chan struct{})
	var once sync.Once
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				b, _ := json.Marshal(caenAjout(jeton, fmt.Sprintf("Lieu %d-%d", w, i)))
				resp, err := client.Post(base+"/api/propositions", "application/json", bytes.NewReader(b))
				if err != nil {
					return // the server is gone
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					return
				}
				if resp.StatusCode != 201 {
					t.Errorf("proposal: %d %s", resp.StatusCode, body)
					return
				}
				var c struct{ Suivi string }
				if json.Unmarshal(body, &c) != nil || c.Suivi == "" {
					t.Errorf("answer %s", body)
					return
				}
				mu.Lock()
				acked = append(acked, c.Suivi)
				n := len(acked)
				mu.Unlock()
				if n >= killAt {
					once.Do(func() {
						cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		}()
	}
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the burst did not reach its count within 60 s")
	}
	wg.Wait()
	cmd.Wait()
	if t.Failed() {
		return
	}
	mu.Lock()
	tokens := slices.Clone(acked)
	mu.Unlock()
	t.Logf("%d proposals acknowledged before SIGKILL", len(tokens))

	cmd2, base2 := startProcess(t, bin, cfg.DB)
	defer func() {
		cmd2.Process.Signal(syscall.SIGTERM)
		cmd2.Wait()
	}()
	for _, s := range tokens {
		resp, b := callJSON(t, "GET", base2+"/api"+s, nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"statut":"en_attente"`) {
			t.Errorf("acknowledged proposal %s lost after SIGKILL: %d %s", s, resp.StatusCode, b)
		}
	}
}
