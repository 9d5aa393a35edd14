package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/accounts"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

const (
	contribPassword    = "mot de passe de test assez long"
	contributorEmail   = "habitante.discrete@example.fr"
	contribModerator80 = "moderateur80@example.fr"
	contribModerator59 = "moderateur59@example.fr"
)

// contribServer is the real router with the contribution service and
// accounts over a real SQLite store holding the fixture region.
type contribServer struct {
	URL  string
	svc  *contributing.Service
	db   *sqlite.DB
	live *generation.Live
	// public collects every answer of a public route, to check that no
	// contributor's e-mail ever leaks.
	public [][]byte
}

func newContribServer(t *testing.T) *contribServer {
	t.Helper()
	ctx := context.Background()
	db, d := fixtureDB(t)
	if _, err := db.Apply(ctx, cartonum.Batch{Region: "32", Communes: d.Communes, EPCIs: d.EPCIs,
		Departements: d.Departements, Upserts: d.Places}); err != nil {
		t.Fatal(err)
	}
	cs := &contribServer{db: db}
	cs.live = liveOf(t, cs.load(t))
	cs.svc = &contributing.Service{Store: db, Contributions: db, Territory: cs.live.Current,
		Normalize: standard.Options{Region: "32"}, SourceName: "Région Hauts-de-France", PerHour: 100,
		OnChange: func() {
			g, err := generation.Build(ctx, index.New(cs.load(t)), generation.DefaultConfig())
			if err != nil {
				t.Error(err)
				return
			}
			cs.live.Swap(g)
		}}
	acc := accounts.New(db)
	acc.Params = accounts.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	for _, nu := range []accounts.NewUser{
		{Email: contribModerator80, Role: cartonum.RoleModerator, Departements: []string{"80"}, Password: contribPassword},
		{Email: contribModerator59, Role: cartonum.RoleModerator, Departements: []string{"59"}, Password: contribPassword},
	} {
		if _, err := acc.AddUser(ctx, nu); err != nil {
			t.Fatal(err)
		}
	}
	s := New(cs.live, DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))).
		WithAccounts(acc).WithContributions(cs.svc)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	cs.URL = hs.URL
	return cs
}

func (cs *contribServer) load(t *testing.T) index.Data {
	d, err := cs.db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return index.Data{Version: d.Version, Communes: d.Communes, EPCIs: d.EPCIs, Departements: d.Departements, Places: d.Places}
}

// contribAuth is a logged-in moderator: cookie and CSRF token.
type contribAuth struct{ cookie, csrf string }

// send sends a JSON request (body nil: none) as auth (nil: anonymous);
// csrf false leaves out the CSRF header. Public answers are collected.
func (cs *contribServer) send(t *testing.T, method, path string, body any, auth *contribAuth, csrf bool) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, cs.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != nil {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: auth.cookie})
		if csrf {
			req.Header.Set(CSRFHeader, auth.csrf)
		}
	}
	resp, b := roundTrip(t, http.DefaultClient, req)
	if auth == nil {
		cs.public = append(cs.public, b)
	}
	return resp, b
}

func (cs *contribServer) loginAs(t *testing.T, email string) *contribAuth {
	t.Helper()
	resp, b := cs.send(t, "POST", "/api/session", map[string]string{"email": email, "password": contribPassword}, nil, false)
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d %s", resp.StatusCode, b)
	}
	var out struct {
		CSRF string `json:"csrf"`
	}
	json.Unmarshal(b, &out)
	for _, c := range resp.Cookies() {
		if c.Name == SessionCookie {
			return &contribAuth{cookie: c.Value, csrf: out.CSRF}
		}
	}
	t.Fatal("no session cookie")
	return nil
}

func (cs *contribServer) formToken(t *testing.T) string {
	t.Helper()
	resp, b := cs.send(t, "GET", "/api/propositions/formulaire", nil, nil, false)
	var f struct {
		Jeton  string         `json:"jeton"`
		Limits map[string]int `json:"limites"`
		Motifs []struct{ Code, Libelle string }
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &f) != nil || f.Jeton == "" || f.Limits["nom"] != 200 || len(f.Motifs) != 5 {
		t.Fatalf("form: %d %s", resp.StatusCode, b)
	}
	return f.Jeton
}

// amiensAjout is the body of an ajout in Amiens whose name is a script.
func (cs *contribServer) amiensAjout(t *testing.T) map[string]any {
	return map[string]any{
		"type": "ajout", "jeton": cs.formToken(t), "courriel": contributorEmail, "commentaire": "<b>nouveau</b>",
		"champs": map[string]any{
			"nom": `<script>alert("x")</script> Atelier`, "adresse": "3 rue des Jacobins", "commune": "Amiens",
			"code_postal": "80000", "code_insee": "80021", "latitude": 49.9, "longitude": 2.3,
			"services": []string{"Aide aux démarches administratives"}, "telephone": "03 22 00 00 00",
		},
	}
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

func TestProposalAcceptedOverHTTP(t *testing.T) {
	cs := newContribServer(t)
	body := cs.amiensAjout(t)

	resp, b := cs.send(t, "POST", "/api/propositions/verification", body, nil, false)
	check := decode[struct {
		Lieu        map[string]any `json:"lieu"`
		Reparations []struct{ Champ, Message string }
		Erreurs     []struct{ Champ, Message string }
	}](t, b)
	if resp.StatusCode != 200 || check.Lieu == nil || len(check.Erreurs) != 0 || check.Lieu["telephone"] != "+33322000000" ||
		check.Lieu["code_departement"] != "80" {
		t.Fatalf("verification: %d %s", resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte("<script>")) || !bytes.Contains(b, []byte(`\u003cscript\u003e`)) {
		t.Errorf("the name is not escaped in JSON: %s", b)
	}
	if n, _ := cs.db.Proposals(context.Background(), cartonum.ProposalFilter{All: true}); len(n) != 0 {
		t.Fatal("the verification stored a proposal")
	}

	resp, b = cs.send(t, "POST", "/api/propositions", body, nil, false)
	created := decode[struct {
		ID    int64  `json:"id"`
		Suivi string `json:"suivi"`
	}](t, b)
	if resp.StatusCode != 201 || created.ID == 0 || !strings.HasPrefix(created.Suivi, "/propositions/") {
		t.Fatalf("proposal: %d %s", resp.StatusCode, b)
	}
	track := "/api" + created.Suivi
	resp, b = cs.send(t, "GET", track, nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"statut":"en_attente"`) {
		t.Fatalf("tracking: %d %s", resp.StatusCode, b)
	}

	// Anonymous moderation: 401.
	if resp, b := cs.send(t, "GET", "/api/moderation/propositions", nil, nil, false); resp.StatusCode != 401 {
		t.Errorf("anonymous queue: %d %s", resp.StatusCode, b)
	}
	mod := cs.loginAs(t, contribModerator80)
	resp, b = cs.send(t, "GET", "/api/moderation/propositions", nil, mod, false)
	queue := decode[struct {
		Propositions []map[string]any `json:"propositions"`
	}](t, b)
	if resp.StatusCode != 200 || len(queue.Propositions) != 1 || queue.Propositions[0]["courriel"] != contributorEmail ||
		queue.Propositions[0]["commune"] != "Amiens" {
		t.Fatalf("queue: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", fmt.Sprintf("/api/moderation/propositions/%d", created.ID), nil, mod, false)
	detail := decode[struct {
		Proposition map[string]any   `json:"proposition"`
		Actuel      map[string]any   `json:"actuel"`
		Propose     map[string]any   `json:"propose"`
		Differences []map[string]any `json:"differences"`
	}](t, b)
	if resp.StatusCode != 200 || detail.Actuel != nil || detail.Propose == nil || len(detail.Differences) == 0 {
		t.Fatalf("detail: %d %s", resp.StatusCode, b)
	}
	if bytes.Contains(b, []byte("<script>")) || bytes.Contains(b, []byte("<b>")) {
		t.Errorf("markup not escaped in the moderation answer: %s", b)
	}

	accept := fmt.Sprintf("/api/moderation/propositions/%d/accepter", created.ID)
	if resp, b := cs.send(t, "POST", accept, nil, mod, false); resp.StatusCode != 403 {
		t.Fatalf("accept without CSRF token: %d %s", resp.StatusCode, b)
	}
	other := cs.loginAs(t, contribModerator59)
	if resp, b := cs.send(t, "POST", accept, nil, other, true); resp.StatusCode != 403 {
		t.Fatalf("accept by a moderator of 59: %d %s", resp.StatusCode, b)
	}
	if resp, b := cs.send(t, "GET", "/api/moderation/propositions?departement=80", nil, other, false); resp.StatusCode != 403 {
		t.Errorf("queue of 80 for a moderator of 59: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "POST", accept, nil, mod, true)
	decided := decode[struct {
		Lieu    string `json:"lieu"`
		Version int64  `json:"version"`
	}](t, b)
	if resp.StatusCode != 200 || !strings.HasPrefix(decided.Lieu, "cartonum-") || decided.Version == 0 {
		t.Fatalf("accept: %d %s", resp.StatusCode, b)
	}
	if resp, b := cs.send(t, "POST", accept, nil, mod, true); resp.StatusCode != 409 {
		t.Errorf("accept twice: %d %s", resp.StatusCode, b)
	}

	// Live at once (OnChange swapped the generation), in the export with
	// the deployer's source name.
	resp, b = cs.send(t, "GET", "/api/sites/"+decided.Lieu, nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `\u003cscript\u003ealert(\"x\")\u003c/script\u003e Atelier`) {
		t.Fatalf("new place: %d %s", resp.StatusCode, b)
	}
	_, b = cs.send(t, "GET", "/api/export/sites.csv", nil, nil, false)
	if !strings.Contains(string(b), decided.Lieu) || !strings.Contains(string(b), "Région Hauts-de-France") {
		t.Errorf("export lacks the accepted place and its source: %s", b)
	}
	resp, b = cs.send(t, "GET", track, nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"statut":"acceptee"`) || !strings.Contains(string(b), decided.Lieu) {
		t.Fatalf("tracking after: %d %s", resp.StatusCode, b)
	}

	// History: public without the moderator and the records; full for a
	// moderator of the place.
	hist := "/api/sites/" + decided.Lieu + "/historique"
	resp, b = cs.send(t, "GET", hist, nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"action":"creation"`) ||
		strings.Contains(string(b), "moderateur") || strings.Contains(string(b), `"apres"`) {
		t.Fatalf("public history: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", hist, nil, other, false)
	if resp.StatusCode != 200 || strings.Contains(string(b), "moderateur80") {
		t.Errorf("history for a moderator of 59: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", hist, nil, mod, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), contribModerator80) || !strings.Contains(string(b), `"apres"`) {
		t.Errorf("moderator's history: %d %s", resp.StatusCode, b)
	}

	for _, b := range cs.public {
		if bytes.Contains(bytes.ToLower(b), []byte("habitante.discrete")) {
			t.Fatalf("the contributor's e-mail is in a public answer: %s", b)
		}
	}
}

func TestProposalRefusedOverHTTP(t *testing.T) {
	cs := newContribServer(t)

	body := cs.amiensAjout(t)
	body["champs"].(map[string]any)["couleur"] = "bleu"
	body["champs"].(map[string]any)["nom"] = strings.Repeat("n", 201)
	resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false)
	e := decode[struct {
		Error  string
		Status int
		Champs []struct{ Champ, Message string }
	}](t, b)
	if resp.StatusCode != 400 || e.Status != 400 || len(e.Champs) != 2 || e.Champs[0].Champ != "couleur" || e.Champs[1].Champ != "nom" {
		t.Fatalf("invalid proposal: %d %s", resp.StatusCode, b)
	}

	// The verification answers 200 with the same problems, storing nothing.
	resp, b = cs.send(t, "POST", "/api/propositions/verification", body, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"erreurs":[{"champ":"couleur"`) || !strings.Contains(string(b), `"lieu":null`) {
		t.Errorf("verification of an invalid proposal: %d %s", resp.StatusCode, b)
	}

	body = cs.amiensAjout(t)
	body["site_internet"] = "https://spam.example"
	if resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false); resp.StatusCode != 400 || !strings.Contains(string(b), "proposition refusée") {
		t.Errorf("honeypot: %d %s", resp.StatusCode, b)
	}
	body = cs.amiensAjout(t)
	body["champs"].(map[string]any)["presentation_detail"] = strings.Repeat("x", 300<<10)
	if resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false); resp.StatusCode != 413 {
		t.Errorf("huge body: %d %s", resp.StatusCode, b)
	}
	body = map[string]any{"type": "signalement", "lieu": "lieu-1", "jeton": cs.formToken(t)}
	if resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false); resp.StatusCode != 400 || !strings.Contains(string(b), `"champ":"motif"`) {
		t.Errorf("report without motive: %d %s", resp.StatusCode, b)
	}
	body["lieu"] = "inconnu"
	body["motif"] = "ferme"
	if resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false); resp.StatusCode != 404 {
		t.Errorf("report on an unknown place: %d %s", resp.StatusCode, b)
	}
	if resp, _ := cs.send(t, "GET", "/api/propositions/inconnu", nil, nil, false); resp.StatusCode != 404 {
		t.Errorf("unknown tracking token: %d", resp.StatusCode)
	}

	// A report, refused with a reason.
	body["lieu"] = "lieu-2"
	resp, b = cs.send(t, "POST", "/api/propositions", body, nil, false)
	created := decode[struct {
		ID    int64
		Suivi string
	}](t, b)
	if resp.StatusCode != 201 {
		t.Fatalf("report: %d %s", resp.StatusCode, b)
	}
	mod := cs.loginAs(t, contribModerator80)
	reject := fmt.Sprintf("/api/moderation/propositions/%d/refuser", created.ID)
	if resp, b := cs.send(t, "POST", reject, map[string]string{"motif": ""}, mod, true); resp.StatusCode != 400 {
		t.Errorf("refusal without reason: %d %s", resp.StatusCode, b)
	}
	if resp, b := cs.send(t, "POST", reject, map[string]string{"motif": "le lieu est ouvert"}, mod, true); resp.StatusCode != 200 {
		t.Fatalf("refusal: %d %s", resp.StatusCode, b)
	}
	if resp, b := cs.send(t, "POST", reject, map[string]string{"motif": "encore"}, mod, true); resp.StatusCode != 409 {
		t.Errorf("refusal twice: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", "/api/"+strings.TrimPrefix(created.Suivi, "/"), nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"statut":"refusee"`) || !strings.Contains(string(b), "le lieu est ouvert") {
		t.Errorf("tracking: %d %s", resp.StatusCode, b)
	}

	// Per-client limit: 429 with Retry-After.
	cs.svc.PerHour = 1
	resp, b = cs.send(t, "POST", "/api/propositions", cs.amiensAjout(t), nil, false)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("over the hourly limit: %d %s", resp.StatusCode, b)
	}
}

func TestCloseConfirmRestoreOverHTTP(t *testing.T) {
	cs := newContribServer(t)
	body := map[string]any{"type": "signalement", "lieu": "lieu-3", "motif": "ferme", "jeton": cs.formToken(t)}
	resp, b := cs.send(t, "POST", "/api/propositions", body, nil, false)
	created := decode[struct{ ID int64 }](t, b)
	if resp.StatusCode != 201 {
		t.Fatalf("report: %d %s", resp.StatusCode, b)
	}
	mod := cs.loginAs(t, contribModerator80)
	if resp, b := cs.send(t, "POST", fmt.Sprintf("/api/moderation/propositions/%d/accepter", created.ID), nil, mod, true); resp.StatusCode != 200 {
		t.Fatalf("accept: %d %s", resp.StatusCode, b)
	}
	if resp, _ := cs.send(t, "GET", "/api/sites/lieu-3", nil, nil, false); resp.StatusCode != 404 {
		t.Errorf("closed place still served: %d", resp.StatusCode)
	}
	resp, b = cs.send(t, "GET", "/api/sites/lieu-3/historique", nil, nil, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"action":"fermeture"`) {
		t.Errorf("history of a closed place: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", "/api/moderation/sites/fermes", nil, mod, false)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "lieu-3") {
		t.Errorf("closed places: %d %s", resp.StatusCode, b)
	}
	other := cs.loginAs(t, contribModerator59)
	if resp, _ := cs.send(t, "POST", "/api/moderation/sites/lieu-3/restaurer", nil, other, true); resp.StatusCode != 403 {
		t.Errorf("restore by a moderator of 59: %d", resp.StatusCode)
	}
	if resp, b := cs.send(t, "POST", "/api/moderation/sites/lieu-3/restaurer", nil, mod, true); resp.StatusCode != 200 {
		t.Fatalf("restore: %d %s", resp.StatusCode, b)
	}
	if resp, _ := cs.send(t, "GET", "/api/sites/lieu-3", nil, nil, false); resp.StatusCode != 200 {
		t.Errorf("restored place not served: %d", resp.StatusCode)
	}
	if resp, b := cs.send(t, "POST", "/api/moderation/sites/lieu-1/confirmer", nil, mod, true); resp.StatusCode != 200 || strings.Contains(string(b), "2024-01-01") {
		t.Fatalf("confirm: %d %s", resp.StatusCode, b)
	}
	resp, b = cs.send(t, "GET", "/api/sites/lieu-1", nil, nil, false)
	if resp.StatusCode != 200 || strings.Contains(string(b), `"date_maj":"2024-01-01"`) {
		t.Errorf("confirmed place: %d %s", resp.StatusCode, b)
	}
}

// TestModerationBodyLimited: the moderation writes, behind a session,
// refuse a body over the limit.
func TestModerationBodyLimited(t *testing.T) {
	cs := newContribServer(t)
	mod := cs.loginAs(t, contribModerator80)
	huge := map[string]any{"champs": map[string]any{"presentation_detail": strings.Repeat("x", 300<<10)}, "motif": strings.Repeat("x", 300<<10)}
	for _, p := range []string{"/api/moderation/propositions/1/accepter", "/api/moderation/propositions/1/refuser",
		"/api/moderation/sites/lieu-1/confirmer", "/api/moderation/sites/lieu-1/restaurer"} {
		if resp, b := cs.send(t, "POST", p, huge, mod, true); resp.StatusCode != 413 {
			t.Errorf("%s: %d %.200s", p, resp.StatusCode, b)
		}
	}
}
