package contributing_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/contributing"
	"github.com/cartonum/cartonum/internal/importing"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
)

// The synthetic region 28 of cmd/cartonum: nine square communes of
// Calvados (14) and Manche (50), eleven places.
const region28 = "../../cmd/cartonum/testdata/region-28"

type env struct {
	svc     *contributing.Service
	db      *sqlite.DB
	snap    atomic.Pointer[index.Snapshot]
	changes atomic.Int32
	mod14   *cartonum.User // moderator of Calvados
	mod50   *cartonum.User // moderator of Manche
	admin   *cartonum.User
}

func (e *env) reload(t testing.TB) {
	d, err := e.db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.snap.Store(index.New(index.Data{Version: d.Version, Communes: d.Communes, EPCIs: d.EPCIs,
		Departements: d.Departements, Places: d.Places}))
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	imp := importing.Service{Store: db}
	if _, err := imp.Import(ctx, importing.Request{Region: "28",
		Communes: []string{filepath.Join(region28, "communes-28.geojson")},
		Places:   []string{filepath.Join(region28, "lieux-28-v1.csv")}}); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db}
	e.reload(t)
	e.svc = &contributing.Service{Store: db, Contributions: db, Territory: e.snap.Load,
		Normalize: standard.Options{Region: "28"}, SourceName: "Région test", PerHour: 100,
		OnChange: func() { e.changes.Add(1); e.reload(t) }}
	add := func(u cartonum.User) *cartonum.User {
		u.CreatedAt = time.Now()
		u.PasswordHash = "$argon2id$v=19$m=65536,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
		got, err := db.AddUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return &got
	}
	e.mod14 = add(cartonum.User{Email: "moderateur14@example.fr", Role: cartonum.RoleModerator, Departements: []string{"14"}})
	e.mod50 = add(cartonum.User{Email: "moderateur50@example.fr", Role: cartonum.RoleModerator, Departements: []string{"50"}})
	e.admin = add(cartonum.User{Email: "admin@example.fr", Role: cartonum.RoleAdmin})
	return e
}

// champs turns values (strings or string slices) into the JSON of champs.
func champs(kv map[string]any) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range kv {
		b, _ := json.Marshal(v)
		out[k] = b
	}
	return out
}

func (e *env) propose(t *testing.T, req contributing.Request) *contributing.Receipt {
	t.Helper()
	req.FormToken = e.svc.Form().Token
	rec, err := e.svc.Propose(context.Background(), req)
	if err != nil {
		t.Fatalf("propose: %v", err)
	}
	return rec
}

func tokenOf(rec *contributing.Receipt) string {
	return strings.TrimPrefix(rec.Tracking, "/propositions/")
}

// newCaenPlace is an ajout in Caen (14118), inside its square.
func newCaenPlace() map[string]json.RawMessage {
	return champs(map[string]any{
		"nom": "Nouveau lieu <script>alert(1)</script>", "adresse": "12 rue Neuve", "commune": "Caen",
		"code_postal": "14000", "code_insee": "14118", "latitude": "49.24", "longitude": "-0.76",
		"services": []string{"Aide aux démarches administratives"}, "telephone": "02 31 00 00 00",
	})
}

func today() string {
	loc, _ := time.LoadLocation("Europe/Paris")
	return time.Now().In(loc).Format("2006-01-02")
}

func loadPlace(t *testing.T, db *sqlite.DB, id string) (*cartonum.Place, cartonum.Dataset) {
	t.Helper()
	ds, err := db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range ds.Places {
		if ds.Places[i].ID == id {
			return &ds.Places[i], ds
		}
	}
	return nil, ds
}

func TestAddAccepted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalAdd, Fields: newCaenPlace(),
		Comment: "nouveau", Email: "habitant@example.fr", Client: "c1"})
	if !strings.HasPrefix(rec.Tracking, "/propositions/") || len(tokenOf(rec)) < 40 {
		t.Fatalf("tracking %q", rec.Tracking)
	}
	if !slices.ContainsFunc(rec.Repairs, func(f contributing.FieldError) bool { return f.Field == "telephone" }) {
		t.Errorf("repairs %v: want the telephone put in international form", rec.Repairs)
	}
	st, err := e.svc.Track(ctx, tokenOf(rec))
	if err != nil || st.Status != cartonum.StatusPending || st.Name != "Nouveau lieu <script>alert(1)</script>" {
		t.Fatalf("track: %+v %v", st, err)
	}
	d, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Place, "cartonum-") || d.Proposal.Status != cartonum.StatusAccepted || d.Version == 0 {
		t.Fatalf("decided %+v", d)
	}
	if e.changes.Load() != 1 {
		t.Errorf("OnChange called %d times, want 1", e.changes.Load())
	}
	p, _ := loadPlace(t, e.db, d.Place)
	if p == nil {
		t.Fatalf("place %s not in Load", d.Place)
	}
	if p.Source != "Région test" || p.DateMaj != today() || p.Telephone != "+33231000000" ||
		!slices.Contains(p.Provenance.Sources, "Région test") || p.CodeInsee != "14118" {
		t.Errorf("place %+v", p)
	}
	row := standard.Row(p)
	if src := row[slices.Index(standard.Columns, "source")]; src != "Région test" {
		t.Errorf("export source %q", src)
	}
	st, err = e.svc.Track(ctx, tokenOf(rec))
	if err != nil || st.Status != cartonum.StatusAccepted || st.Result != d.Place || st.DecidedAt == nil {
		t.Fatalf("track after: %+v %v", st, err)
	}
	h, err := e.svc.History(ctx, nil, d.Place)
	if err != nil || len(h) != 1 || h[0].Action != cartonum.ActionCreate || h[0].Actor.Kind != cartonum.ActorModeration ||
		h[0].Actor.Proposal != rec.ID || h[0].ModeratorEmail != "" || h[0].After != nil {
		t.Fatalf("public history %+v %v", h, err)
	}
	h, err = e.svc.History(ctx, e.mod14, d.Place)
	if err != nil || len(h) != 1 || h[0].ModeratorEmail != e.mod14.Email {
		t.Fatalf("moderator's history %+v %v", h, err)
	}
}

func TestAcceptOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalAdd, Fields: newCaenPlace(), Client: "c1"})
	// Two moderators at once: one wins, the other gets a conflict.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []*cartonum.User{e.mod14, e.admin} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.Accept(ctx, u, rec.ID, nil)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case cartonum.KindOf(err) != cartonum.KindConflict:
			t.Errorf("loser's error %v: want a conflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("errors %v: want one acceptance", errs)
	}
	ds, _ := e.db.Load(ctx)
	n := 0
	for _, p := range ds.Places {
		if strings.HasPrefix(p.ID, "cartonum-") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d places added, want 1", n)
	}
	_, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil)
	if cartonum.KindOf(err) != cartonum.KindConflict || !errors.Is(err, cartonum.ErrDecided) {
		t.Errorf("accept again: %v", err)
	}
	_, err = e.svc.Reject(ctx, e.mod14, rec.ID, "trop tard")
	if cartonum.KindOf(err) != cartonum.KindConflict {
		t.Errorf("reject after accept: %v", err)
	}
}

func TestScope(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-cherbourg-1",
		Fields: champs(map[string]any{"horaires": "Mo-Fr 09:00-17:00"}), Client: "c1"})
	if _, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("accept out of scope: %v", err)
	}
	if _, err := e.svc.Reject(ctx, e.mod14, rec.ID, "non"); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("reject out of scope: %v", err)
	}
	if _, err := e.svc.Detail(ctx, e.mod14, rec.ID); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("detail out of scope: %v", err)
	}
	if _, err := e.svc.Queue(ctx, e.mod14, contributing.QueueFilter{Departement: "50"}); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("queue of 50 for a moderator of 14: %v", err)
	}
	if _, err := e.svc.Queue(ctx, e.mod14, contributing.QueueFilter{EPCI: "200067205"}); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("queue of an EPCI of 50 for a moderator of 14: %v", err)
	}
	if _, err := e.svc.Confirm(ctx, e.mod14, "syn-cherbourg-1"); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("confirm out of scope: %v", err)
	}
	q14, err := e.svc.Queue(ctx, e.mod14, contributing.QueueFilter{})
	if err != nil || len(q14) != 0 {
		t.Errorf("queue of 14: %+v %v", q14, err)
	}
	q50, err := e.svc.Queue(ctx, e.mod50, contributing.QueueFilter{EPCI: "200067205"})
	if err != nil || len(q50) != 1 || q50[0].ID != rec.ID || q50[0].Commune != "Cherbourg-en-Cotentin" {
		t.Errorf("queue of 50: %+v %v", q50, err)
	}
	all, err := e.svc.Queue(ctx, e.admin, contributing.QueueFilter{})
	if err != nil || len(all) != 1 {
		t.Errorf("admin's queue: %+v %v", all, err)
	}
	if _, err := e.svc.Accept(ctx, e.mod50, rec.ID, nil); err != nil {
		t.Fatal(err)
	}
	// An ajout placed in Manche by a moderator of Calvados's edit.
	add := e.propose(t, contributing.Request{Type: cartonum.ProposalAdd, Fields: newCaenPlace(), Client: "c1"})
	moved := newCaenPlace()
	for k, v := range champs(map[string]any{"commune": "La Hague", "code_postal": "50440", "code_insee": "50041",
		"latitude": "49.14", "longitude": "-0.76"}) {
		moved[k] = v
	}
	if _, err := e.svc.Accept(ctx, e.mod14, add.ID, moved); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("accepting a place moved out of scope: %v", err)
	}
}

func TestEditThenAccept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before, _ := loadPlace(t, e.db, "syn-caen-1")
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-caen-1",
		Fields: champs(map[string]any{"telephone": "0231000001", "horaires": "Mo-Fr 10:00-12:00"}), Client: "c1"})
	det, err := e.svc.Detail(ctx, e.mod14, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if det.Current == nil || det.Proposed == nil || len(det.Differences) != 2 {
		t.Fatalf("detail %+v", det)
	}
	edited := champs(map[string]any{"telephone": "0231000002", "horaires": "Mo-Sa 10:00-12:00"})
	d, err := e.svc.Accept(ctx, e.mod14, rec.ID, edited)
	if err != nil {
		t.Fatal(err)
	}
	p, ds := loadPlace(t, e.db, "syn-caen-1")
	if d.Place != "syn-caen-1" || p.Telephone != "+33231000002" || p.Horaires != "Mo-Sa 10:00-12:00" ||
		p.Source != "Région test" || p.DateMaj != today() || p.Nom != before.Nom ||
		!slices.Equal(p.Provenance.SourceIDs, before.Provenance.SourceIDs) {
		t.Errorf("place %+v", p)
	}
	var fields []string
	for _, o := range ds.Overrides {
		if o.Place == "syn-caen-1" {
			fields = append(fields, o.Field)
		}
	}
	slices.Sort(fields)
	if !slices.Equal(fields, []string{"date_maj", "horaires", "telephone"}) {
		t.Errorf("overrides %v", fields)
	}
	h, err := e.svc.History(ctx, e.mod14, "syn-caen-1")
	if err != nil || len(h) < 2 || h[len(h)-1].Action != cartonum.ActionEdit || h[len(h)-1].Actor.Proposal != rec.ID {
		t.Errorf("history %+v %v", h, err)
	}
	// Importing the (older) source file again keeps the correction.
	e.reimport(t)
	p, _ = loadPlace(t, e.db, "syn-caen-1")
	if p.Telephone != "+33231000002" || p.Horaires != "Mo-Sa 10:00-12:00" || p.DateMaj != today() {
		t.Errorf("after a re-import: %+v", p)
	}
}

// reimport imports the region's places file again.
func (e *env) reimport(t *testing.T) {
	t.Helper()
	imp := importing.Service{Store: e.db}
	if _, err := imp.Import(context.Background(), importing.Request{Region: "28",
		Places: []string{filepath.Join(region28, "lieux-28-v1.csv")}}); err != nil {
		t.Fatal(err)
	}
}

func TestCloseAndRestore(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalReport, Place: "syn-caen-2",
		Motive: cartonum.MotiveClosed, Comment: "fermé depuis juin", Client: "c1"})
	if _, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := loadPlace(t, e.db, "syn-caen-2"); p != nil {
		t.Fatal("closed place still in Load")
	}
	e.reimport(t) // the source still lists it
	if p, _ := loadPlace(t, e.db, "syn-caen-2"); p != nil {
		t.Fatal("a re-import reopened a place closed by moderation")
	}
	closed, err := e.svc.ClosedPlaces(ctx, e.mod14)
	if err != nil || len(closed) != 1 || closed[0].ID != "syn-caen-2" {
		t.Fatalf("closed places %+v %v", closed, err)
	}
	if c, err := e.svc.ClosedPlaces(ctx, e.mod50); err != nil || len(c) != 0 {
		t.Errorf("closed places of 50: %+v %v", c, err)
	}
	h, err := e.svc.History(ctx, nil, "syn-caen-2")
	if err != nil || h[len(h)-1].Action != cartonum.ActionClose {
		t.Fatalf("history %+v %v", h, err)
	}
	// A report about a closed place cannot be sent.
	_, err = e.svc.Propose(ctx, contributing.Request{Type: cartonum.ProposalReport, Place: "syn-caen-2",
		Motive: cartonum.MotiveOther, FormToken: e.svc.Form().Token})
	if cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("report on a closed place: %v", err)
	}
	if _, err := e.svc.Restore(ctx, e.mod50, "syn-caen-2"); !errors.Is(err, cartonum.ErrForbidden) {
		t.Errorf("restore out of scope: %v", err)
	}
	if _, err := e.svc.Restore(ctx, e.mod14, "syn-caen-2"); err != nil {
		t.Fatal(err)
	}
	if p, _ := loadPlace(t, e.db, "syn-caen-2"); p == nil {
		t.Fatal("restored place not in Load")
	}
	h, _ = e.svc.History(ctx, nil, "syn-caen-2")
	if h[len(h)-1].Action != cartonum.ActionReopen {
		t.Errorf("history %+v", h)
	}
	// Another report, acknowledged without change.
	rec = e.propose(t, contributing.Request{Type: cartonum.ProposalReport, Place: "syn-caen-2",
		Motive: cartonum.MotiveHours, Client: "c1"})
	ds0, _ := e.db.Load(ctx)
	if _, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil); err != nil {
		t.Fatal(err)
	}
	ds1, _ := e.db.Load(ctx)
	if ds1.Version != ds0.Version {
		t.Errorf("an acknowledged report moved the data version")
	}
}

func TestConfirm(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.svc.Confirm(ctx, e.mod14, "syn-bayeux")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := loadPlace(t, e.db, "syn-bayeux")
	if p.DateMaj != today() || got.DateMaj != today() || got.Source != "synthetique" {
		t.Errorf("confirmed %+v", got)
	}
	h, err := e.svc.History(ctx, e.mod14, "syn-bayeux")
	if err != nil || h[len(h)-1].Actor.Kind != cartonum.ActorModeration || !slices.Contains(h[len(h)-1].Fields, "date_maj") {
		t.Errorf("history %+v %v", h, err)
	}
	e.reimport(t)
	if got, _ := loadPlace(t, e.db, "syn-bayeux"); got.DateMaj != today() {
		t.Errorf("confirmed date lost by a re-import: %s", got.DateMaj)
	}
	if _, err := e.svc.Confirm(ctx, e.mod14, "inconnu"); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("unknown place: %v", err)
	}
}

func TestReject(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rec := e.propose(t, contributing.Request{Type: cartonum.ProposalAdd, Fields: newCaenPlace(), Client: "c1"})
	if _, err := e.svc.Reject(ctx, e.mod14, rec.ID, "  "); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("reject without reason: %v", err)
	}
	if _, err := e.svc.Reject(ctx, e.mod14, rec.ID, strings.Repeat("x", 1001)); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("reject with a long reason: %v", err)
	}
	ds0, _ := e.db.Load(ctx)
	if _, err := e.svc.Reject(ctx, e.mod14, rec.ID, "lieu en double"); err != nil {
		t.Fatal(err)
	}
	ds1, _ := e.db.Load(ctx)
	if len(ds1.Places) != len(ds0.Places) {
		t.Error("a refusal changed the places")
	}
	st, err := e.svc.Track(ctx, tokenOf(rec))
	if err != nil || st.Status != cartonum.StatusRejected || st.Reason != "lieu en double" {
		t.Errorf("track %+v %v", st, err)
	}
	if _, err := e.svc.Accept(ctx, e.mod14, rec.ID, nil); !errors.Is(err, cartonum.ErrDecided) {
		t.Errorf("accept after refusal: %v", err)
	}
}

func TestProposeRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	good := func() contributing.Request {
		return contributing.Request{Type: cartonum.ProposalAdd, Fields: newCaenPlace(), FormToken: e.svc.Form().Token, Client: "c2"}
	}
	fieldOf := func(err error) string {
		var ie *contributing.InvalidError
		if !errors.As(err, &ie) || len(ie.Fields) == 0 {
			return ""
		}
		return ie.Fields[0].Field
	}
	cases := []struct {
		name  string
		edit  func(r *contributing.Request)
		field string // "" with kind
		kind  cartonum.ErrorKind
	}{
		{"honeypot", func(r *contributing.Request) { r.Honeypot = "http://spam.example" }, "", cartonum.KindInvalid},
		{"no token", func(r *contributing.Request) { r.FormToken = "" }, "jeton", cartonum.KindInvalid},
		{"forged token", func(r *contributing.Request) { r.FormToken = "1." + strings.Repeat("A", 43) }, "jeton", cartonum.KindInvalid},
		{"unknown column", func(r *contributing.Request) { r.Fields["couleur"] = json.RawMessage(`"bleu"`) }, "couleur", cartonum.KindInvalid},
		{"long name", func(r *contributing.Request) { r.Fields["nom"], _ = json.Marshal(strings.Repeat("é", 201)) }, "nom", cartonum.KindInvalid},
		{"object value", func(r *contributing.Request) { r.Fields["nom"] = json.RawMessage(`{"a":1}`) }, "nom", cartonum.KindInvalid},
		{"list for a single field", func(r *contributing.Request) { r.Fields["nom"] = json.RawMessage(`["a","b"]`) }, "nom", cartonum.KindInvalid},
		{"too many values", func(r *contributing.Request) {
			r.Fields["autres_formations_labels"], _ = json.Marshal(slices.Repeat([]string{"x"}, 51))
		}, "autres_formations_labels", cartonum.KindInvalid},
		{"control character", func(r *contributing.Request) { r.Fields["adresse"] = json.RawMessage(`"1 rue\u0000"`) }, "adresse", cartonum.KindInvalid},
		{"no name", func(r *contributing.Request) { delete(r.Fields, "nom") }, "nom", cartonum.KindInvalid},
		{"outside the region", func(r *contributing.Request) {
			for k, v := range champs(map[string]any{"latitude": "48.85", "longitude": "2.35", "code_insee": "75056", "code_postal": "75001", "commune": "Paris"}) {
				r.Fields[k] = v
			}
		}, "", cartonum.KindInvalid},
		{"bad e-mail", func(r *contributing.Request) { r.Email = "pas un courriel" }, "courriel", cartonum.KindInvalid},
		{"long comment", func(r *contributing.Request) { r.Comment = strings.Repeat("a", 2001) }, "commentaire", cartonum.KindInvalid},
		{"report without motive", func(r *contributing.Request) { r.Type, r.Place, r.Fields = cartonum.ProposalReport, "syn-ifs", nil }, "motif", cartonum.KindInvalid},
		{"report with unknown motive", func(r *contributing.Request) {
			r.Type, r.Place, r.Fields, r.Motive = cartonum.ProposalReport, "syn-ifs", nil, "bof"
		}, "motif", cartonum.KindInvalid},
		{"unknown type", func(r *contributing.Request) { r.Type = "suppression" }, "type", cartonum.KindInvalid},
		{"unknown place", func(r *contributing.Request) { r.Type, r.Place = cartonum.ProposalEdit, "inconnu" }, "", cartonum.KindNotFound},
		{"too many fields", func(r *contributing.Request) {
			for i := range 70 {
				r.Fields[strings.Repeat("x", i+1)] = json.RawMessage(`""`)
			}
		}, "champs", cartonum.KindInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := good()
			c.edit(&r)
			_, err := e.svc.Propose(ctx, r)
			if err == nil || cartonum.KindOf(err) != c.kind {
				t.Fatalf("error %v, want kind %d", err, c.kind)
			}
			if c.field != "" && fieldOf(err) != c.field {
				t.Errorf("error %v: want a problem on %s", err, c.field)
			}
		})
	}
	got, err := e.db.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if err != nil || len(got) != 0 {
		t.Fatalf("refused proposals stored: %d %v", len(got), err)
	}

	t.Run("too soon", func(t *testing.T) {
		e.svc.MinFill = time.Hour
		defer func() { e.svc.MinFill = 0 }()
		if _, err := e.svc.Propose(ctx, good()); cartonum.KindOf(err) != cartonum.KindInvalid || fieldOf(err) != "jeton" {
			t.Errorf("sent at once: %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		e.svc.Now = func() time.Time { return time.Now().Add(-25 * time.Hour) }
		r := good()
		e.svc.Now = nil
		if _, err := e.svc.Propose(ctx, r); fieldOf(err) != "jeton" {
			t.Errorf("token of yesterday: %v", err)
		}
	})
	t.Run("per client", func(t *testing.T) {
		e.svc.PerHour = 2
		defer func() { e.svc.PerHour = 100 }()
		for i := range 3 {
			_, err := e.svc.Propose(ctx, good())
			if i < 2 && err != nil {
				t.Fatal(err)
			}
			if i == 2 && !errors.Is(err, cartonum.ErrTooMany) {
				t.Fatalf("third proposal: %v", err)
			}
		}
	})
}

func TestCheck(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.svc.Check(ctx, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-caen-1",
		Fields: champs(map[string]any{"code_postal": "14200", "site_web": []string{"exemple.fr"}})})
	if err != nil {
		t.Fatal(err)
	}
	if c.Place == nil || len(c.Errors) != 0 || c.Place.Nom != "Médiathèque synthétique de Caen" || c.Place.SiteWeb[0] != "https://exemple.fr" {
		t.Fatalf("checked %+v", c)
	}
	var fields []string
	for _, r := range c.Repairs {
		fields = append(fields, r.Field)
	}
	if !slices.Contains(fields, "site_web") {
		t.Errorf("repairs %+v: want the https:// added", c.Repairs)
	}
	// The extra columns go through the vocabularies like the standard's.
	c, err = e.svc.Check(ctx, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-caen-1",
		Fields: champs(map[string]any{"equipements": []string{"wifi", "Imprimante"}, "qualifications": []string{"PictoAccess"}})})
	if err != nil || c.Place == nil || !slices.Equal(c.Place.Equipements, []string{"Imprimante", "Wifi"}) ||
		!slices.Equal(c.Place.Qualifications, []string{"PictoAccess"}) {
		t.Errorf("extra columns: %+v %v", c, err)
	}
	// A modification may be a comment only, not nothing at all.
	c, err = e.svc.Check(ctx, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-caen-1", Comment: "horaires d'été"})
	if err != nil || len(c.Errors) != 0 {
		t.Errorf("comment only: %+v %v", c, err)
	}
	c, err = e.svc.Check(ctx, contributing.Request{Type: cartonum.ProposalEdit, Place: "syn-caen-1"})
	if err != nil || len(c.Errors) != 1 || c.Errors[0].Field != "champs" {
		t.Errorf("empty modification: %+v %v", c, err)
	}
	ds0, _ := e.db.Load(ctx)
	props, _ := e.db.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if len(props) != 0 || ds0.Version == 0 {
		t.Errorf("a check stored something")
	}
	f := e.svc.Form()
	if f.Limits["nom"] != 200 || len(f.Motives) != 5 || len(f.Vocabularies["services"]) == 0 || len(f.Vocabularies["equipements"]) == 0 {
		t.Errorf("form %+v", f)
	}
}
