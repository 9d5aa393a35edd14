package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// testProposal returns a pending contribution on place, located in the
// given département and EPCI.
func testProposal(token, place, dep, epci string, at time.Time) cartonum.Proposal {
	return cartonum.Proposal{
		Type:  cartonum.ProposalEdit,
		Place: place,
		Fields: map[string]json.RawMessage{
			"telephone": json.RawMessage(`"+33322000000"`),
			"services":  json.RawMessage(`["Aide aux démarches administratives"]`),
		},
		Comment:     "Le numéro a changé <script>alert(1)</script>",
		Email:       "habitant@example.fr",
		Token:       token,
		Client:      "client-" + dep,
		CodeInsee:   dep + "001",
		EPCI:        epci,
		Departement: dep,
		Lon:         2.3,
		Lat:         49.9,
		Status:      cartonum.StatusPending,
		CreatedAt:   at,
	}
}

func mustAddProposal(t *testing.T, db *DB, p cartonum.Proposal) cartonum.Proposal {
	t.Helper()
	got, err := db.AddProposal(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestProposalRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 30, 0, 5, time.FixedZone("CET", 3600))
	in := testProposal("jeton-secret", "lieu-1", "80", "248000000", at)
	in.Motive = cartonum.MotiveContact
	added := mustAddProposal(t, db, in)
	if added.ID == 0 {
		t.Fatal("no id")
	}
	want := in
	want.ID = added.ID
	want.CreatedAt = at.UTC()
	for name, get := range map[string]func() (cartonum.Proposal, error){
		"by id":    func() (cartonum.Proposal, error) { return db.Proposal(ctx, added.ID) },
		"by token": func() (cartonum.Proposal, error) { return db.ProposalByToken(ctx, "jeton-secret") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", name, got, want)
		}
		if got.Email != "habitant@example.fr" || got.Token != "jeton-secret" {
			t.Errorf("%s: e-mail %q, token %q", name, got.Email, got.Token)
		}
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"unknown id", func() error { _, err := db.Proposal(ctx, 999); return err }()},
		{"unknown token", func() error { _, err := db.ProposalByToken(ctx, "autre"); return err }()},
		{"empty token", func() error { _, err := db.ProposalByToken(ctx, ""); return err }()},
	} {
		if cartonum.KindOf(tc.err) != cartonum.KindNotFound {
			t.Errorf("%s: %v, want KindNotFound", tc.name, tc.err)
		}
	}
	// A second proposal with the same token is refused; two without a
	// token (those of imports) are fine.
	if _, err := db.AddProposal(ctx, testProposal("jeton-secret", "lieu-2", "80", "", at)); cartonum.KindOf(err) != cartonum.KindConflict {
		t.Errorf("same token: %v, want KindConflict", err)
	}
	for range 2 {
		mustAddProposal(t, db, testProposal("", "lieu-2", "80", "", at))
	}
}

func TestProposalKeyDedup(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	p := testProposal("", "lieu-1", "80", "", time.Now())
	p.Origin, p.SourceName, p.Key = "source", "Hub", "clé-1"
	first := mustAddProposal(t, db, p)
	again := p
	again.Comment = "autre"
	second := mustAddProposal(t, db, again)
	if second.ID != first.ID || second.Comment != p.Comment {
		t.Errorf("same key added again: %d %q, want the stored %d", second.ID, second.Comment, first.ID)
	}
	// Through a batch, the same key is skipped and another one added.
	other := p
	other.Key = "clé-2"
	mustApply(t, db, Batch{Proposals: []cartonum.Proposal{p, other}})
	mustApply(t, db, Batch{Proposals: []cartonum.Proposal{p, other}})
	all, err := db.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 {
		t.Errorf("%d proposals, want 2", len(all))
	}
}

func TestProposalsFilter(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	somme := mustAddProposal(t, db, testProposal("a", "p1", "80", "248000001", t0))
	nord := mustAddProposal(t, db, testProposal("b", "p2", "59", "245900002", t0.Add(time.Hour)))
	report := testProposal("c", "p3", "80", "248000003", t0.Add(2*time.Hour))
	report.Type, report.Motive = cartonum.ProposalReport, cartonum.MotiveClosed
	report = mustAddProposal(t, db, report)
	// A half-second later sorts after a whole second: stored times have
	// one width.
	add := testProposal("d", "", "80", "248000001", t0.Add(2*time.Hour+500*time.Millisecond))
	add.Type = cartonum.ProposalAdd
	add = mustAddProposal(t, db, add)
	mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration},
		Decision: &cartonum.Decision{Proposal: nord.ID, Status: cartonum.StatusRejected, Reason: "doublon"}})

	ids := func(ps []cartonum.Proposal) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    cartonum.ProposalFilter
		want []int64
	}{
		{"all, newest first", cartonum.ProposalFilter{All: true}, []int64{add.ID, report.ID, nord.ID, somme.ID}},
		{"no territory", cartonum.ProposalFilter{}, nil},
		{"département 80", cartonum.ProposalFilter{Departements: []string{"80"}}, []int64{add.ID, report.ID, somme.ID}},
		{"EPCI", cartonum.ProposalFilter{EPCIs: []string{"248000001"}}, []int64{add.ID, somme.ID}},
		{"département or EPCI", cartonum.ProposalFilter{Departements: []string{"59"}, EPCIs: []string{"248000003"}}, []int64{report.ID, nord.ID}},
		{"pending", cartonum.ProposalFilter{All: true, Status: cartonum.StatusPending}, []int64{add.ID, report.ID, somme.ID}},
		{"rejected", cartonum.ProposalFilter{All: true, Status: cartonum.StatusRejected}, []int64{nord.ID}},
		{"type", cartonum.ProposalFilter{All: true, Type: cartonum.ProposalReport}, []int64{report.ID}},
		{"before", cartonum.ProposalFilter{All: true, Before: t0.Add(90 * time.Minute)}, []int64{nord.ID, somme.ID}},
		{"place", cartonum.ProposalFilter{All: true, Place: "p1"}, []int64{somme.ID}},
		{"limit", cartonum.ProposalFilter{All: true, Limit: 2}, []int64{add.ID, report.ID}},
		{"empty codes reach nothing", cartonum.ProposalFilter{Departements: []string{""}, EPCIs: []string{""}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Proposals(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("got %v, want %v", ids(got), tc.want)
			}
		})
	}
	rejected, err := db.Proposal(ctx, nord.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rejected.Status != cartonum.StatusRejected || rejected.Reason != "doublon" || rejected.DecidedAt.IsZero() {
		t.Errorf("rejected proposal: %+v", rejected)
	}

	n, err := db.RecentProposals(ctx, "client-80", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("RecentProposals = %d, want 2", n)
	}
}

// TestDecisionRace has two moderators accept the same proposal at once:
// one wins, the other gets a conflict wrapping ErrDecided, and the change
// is applied once.
func TestDecisionRace(t *testing.T) {
	for round := range 5 {
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("lieu")}})
			p := mustAddProposal(t, db, testProposal("t", "lieu", "32", "", time.Now()))
			version := mustVersion(t, db)

			var (
				wg        sync.WaitGroup
				errs      [2]error
				start     = make(chan struct{})
				successes atomic.Int32
			)
			for i := range 2 {
				wg.Go(func() {
					place := testPlace("lieu")
					place.Telephone = fmt.Sprintf("+3332200000%d", i)
					<-start
					_, errs[i] = db.Apply(ctx, Batch{
						Actor:     cartonum.Actor{Kind: cartonum.ActorModeration, User: int64(i + 1), Email: fmt.Sprintf("m%d@example.fr", i)},
						Upserts:   []cartonum.Place{place},
						Overrides: []cartonum.Override{{Place: "lieu", Field: "telephone", Value: json.RawMessage(fmt.Sprintf("%q", place.Telephone))}},
						Decision:  &cartonum.Decision{Proposal: p.ID, Status: cartonum.StatusAccepted, By: int64(i + 1), Result: "lieu"},
					})
					if errs[i] == nil {
						successes.Add(1)
					}
				})
			}
			close(start)
			wg.Wait()
			if successes.Load() != 1 {
				t.Fatalf("%d successes (%v), want 1", successes.Load(), errs)
			}
			winner := 0
			if errs[0] != nil {
				winner = 1
			}
			loser := errs[1-winner]
			if !errors.Is(loser, cartonum.ErrDecided) || cartonum.KindOf(loser) != cartonum.KindConflict {
				t.Errorf("loser: %v, want a conflict wrapping ErrDecided", loser)
			}
			got, err := db.Proposal(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != cartonum.StatusAccepted || got.DecidedBy != int64(winner+1) || got.Result != "lieu" {
				t.Errorf("proposal after the race: %+v", got)
			}
			place, err := db.Place(ctx, "lieu")
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("+3332200000%d", winner); place.Telephone != want {
				t.Errorf("telephone %q, want the winner's %q", place.Telephone, want)
			}
			h, err := db.History(ctx, "lieu")
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 2 || h[1].Action != cartonum.ActionEdit || h[1].Actor.Proposal != p.ID || h[1].Actor.User != int64(winner+1) {
				t.Errorf("history: %+v", h)
			}
			if v := mustVersion(t, db); v != version+1 {
				t.Errorf("version %d, want %d", v, version+1)
			}
			d, err := db.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Overrides) != 1 || d.Overrides[0].Batch != h[1].Batch {
				t.Errorf("overrides %+v, want one of batch %d", d.Overrides, h[1].Batch)
			}
		})
	}
}

// TestDecisionWritesNothing: a decision on an unknown or decided proposal
// fails and leaves the database as it was.
func TestDecisionWritesNothing(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("lieu")}})
	p := mustAddProposal(t, db, testProposal("t", "lieu", "32", "", time.Now()))
	mustApply(t, db, Batch{Decision: &cartonum.Decision{Proposal: p.ID, Status: cartonum.StatusRejected}})
	before := dump(t, db)
	changed := testPlace("lieu")
	changed.Nom = "Autre nom"
	for _, tc := range []struct {
		name string
		id   int64
		kind cartonum.ErrorKind
	}{{"decided", p.ID, cartonum.KindConflict}, {"unknown", 999, cartonum.KindNotFound}} {
		_, err := db.Apply(ctx, Batch{
			Upserts:   []cartonum.Place{changed},
			Closes:    []string{"lieu"},
			Proposals: []cartonum.Proposal{testProposal("u", "lieu", "32", "", time.Now())},
			Decision:  &cartonum.Decision{Proposal: tc.id, Status: cartonum.StatusAccepted},
		})
		if cartonum.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
		if after := dump(t, db); after != before {
			t.Errorf("%s: the failed decision wrote something", tc.name)
		}
	}
}

func actions(h []cartonum.Change) []string {
	var out []string
	for _, c := range h {
		out = append(out, c.Action)
	}
	return out
}

func TestHistory(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a := testPlace("a")
	create := mustApply(t, db, Batch{Region: "32", Files: []string{"/données/lieux.csv"}, Upserts: []cartonum.Place{a, testPlace("b")}})
	v := mustVersion(t, db)

	// The same import again: no history, no new version.
	mustApply(t, db, Batch{Region: "32", Files: []string{"/données/lieux.csv"}, Upserts: []cartonum.Place{a, testPlace("b")}})
	if got := mustVersion(t, db); got != v {
		t.Errorf("identical import moved the version %d -> %d", v, got)
	}

	edited := a
	edited.Telephone = "+33100000000"
	edited.Services = []string{"Aide aux démarches administratives"}
	edited.Provenance.Sources = []string{"Cartonum"}
	edit := mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration, User: 7, Email: "m@example.fr", Proposal: 3},
		Upserts: []cartonum.Place{edited}})
	provenanceOnly := edited
	provenanceOnly.Provenance.Repairs = nil
	mustApply(t, db, Batch{Upserts: []cartonum.Place{provenanceOnly}})
	closeID := mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration, User: 7}, Closes: []string{"a"}})
	mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration, User: 7}, Reopens: []string{"a"}})
	mustApply(t, db, Batch{Deletes: []string{"a"}})

	h, err := db.History(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{cartonum.ActionCreate, cartonum.ActionEdit, cartonum.ActionEdit, cartonum.ActionClose, cartonum.ActionReopen, cartonum.ActionDelete}
	if !slices.Equal(actions(h), want) {
		t.Fatalf("actions %v, want %v", actions(h), want)
	}
	if h[0].Batch != create || h[0].Actor.Kind != cartonum.ActorImport || !slices.Equal(h[0].Sources, []string{"lieux.csv"}) ||
		h[0].Before != nil || h[0].After == nil || !slices.Contains(h[0].Fields, "nom") {
		t.Errorf("creation: %+v", h[0])
	}
	if h[1].Batch != edit || !slices.Equal(h[1].Fields, []string{"telephone", "services"}) ||
		h[1].Actor != (cartonum.Actor{Kind: cartonum.ActorModeration, User: 7, Email: "m@example.fr", Proposal: 3}) ||
		h[1].ModeratorEmail != "m@example.fr" || h[1].Sources != nil {
		t.Errorf("modification: %+v", h[1])
	}
	var before, after cartonum.Place
	if err := json.Unmarshal(h[1].Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(h[1].After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Telephone != a.Telephone || after.Telephone != edited.Telephone || after.Provenance.BatchID != edit {
		t.Errorf("before %q after %q (batch %d)", before.Telephone, after.Telephone, after.Provenance.BatchID)
	}
	if !slices.Equal(h[2].Fields, []string{"provenance"}) {
		t.Errorf("provenance-only change: fields %v", h[2].Fields)
	}
	if h[3].Batch != closeID || len(h[3].Fields) != 0 || h[3].Before == nil || h[5].After != nil || h[5].Before == nil {
		t.Errorf("close %+v / delete %+v", h[3], h[5])
	}
	for i := 1; i < len(h); i++ {
		if h[i].At.Before(h[i-1].At) {
			t.Errorf("entry %d at %v before entry %d at %v", i, h[i].At, i-1, h[i-1].At)
		}
	}
	if hb, err := db.History(ctx, "b"); err != nil || len(hb) != 1 {
		t.Errorf("history of b: %v, %v", hb, err)
	}
	if hz, err := db.History(ctx, "zzz"); err != nil || len(hz) != 0 {
		t.Errorf("history of an unknown place: %v, %v", hz, err)
	}
	// Moderation batches are not imports of files.
	imports, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 4 {
		t.Errorf("%d imports listed, want the 4 of kind import", len(imports))
	}
}

func TestClosedPlaces(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("a"), testPlace("b")}})
	v := mustVersion(t, db)
	mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration}, Closes: []string{"a"}})
	if got := mustVersion(t, db); got != v+1 {
		t.Errorf("closing: version %d, want %d", got, v+1)
	}
	ids := func() []string {
		d, err := db.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range d.Places {
			out = append(out, p.ID)
		}
		return out
	}
	if got := ids(); !slices.Equal(got, []string{"b"}) {
		t.Errorf("Load after closing a: %v", got)
	}
	if _, err := db.Place(ctx, "a"); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("Place(a) closed: %v", err)
	}
	if places, _ := db.Places(ctx); len(places) != 1 {
		t.Errorf("Places: %d, want 1", len(places))
	}
	closed, err := db.ClosedPlaces(ctx)
	if err != nil || len(closed) != 1 || closed[0].ID != "a" {
		t.Errorf("ClosedPlaces: %v, %v", closed, err)
	}
	if _, err := db.ClosedPlace(ctx, "b"); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("ClosedPlace(b): %v", err)
	}

	// Closing a closed place, reopening an open one, unknown ids: not found.
	for _, b := range []Batch{{Closes: []string{"a"}}, {Reopens: []string{"b"}}, {Closes: []string{"zzz"}}, {Reopens: []string{"zzz"}}} {
		if _, err := db.Apply(ctx, b); cartonum.KindOf(err) != cartonum.KindNotFound {
			t.Errorf("%+v: %v, want KindNotFound", b, err)
		}
	}

	// An import of the closed place updates it; it stays closed.
	changed := testPlace("a")
	changed.Horaires = "Mo 10:00-12:00"
	mustApply(t, db, Batch{Upserts: []cartonum.Place{changed}})
	p, err := db.ClosedPlace(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if p.Horaires != changed.Horaires {
		t.Errorf("closed place not updated: %q", p.Horaires)
	}
	if got := ids(); !slices.Equal(got, []string{"b"}) {
		t.Errorf("Load after importing closed a: %v", got)
	}

	mustApply(t, db, Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration}, Reopens: []string{"a"}})
	if got := ids(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Load after reopening a: %v", got)
	}
	if p, err := db.Place(ctx, "a"); err != nil || p.Horaires != changed.Horaires {
		t.Errorf("reopened place: %+v, %v", p, err)
	}
	h, _ := db.History(ctx, "a")
	want := []string{cartonum.ActionCreate, cartonum.ActionClose, cartonum.ActionEdit, cartonum.ActionReopen}
	if !slices.Equal(actions(h), want) {
		t.Errorf("history %v, want %v", actions(h), want)
	}
}

func TestUsers(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, cartonum.User{Email: "Moderateur80@Example.fr", Role: cartonum.RoleModerator,
		Departements: []string{"80"}, EPCIs: []string{"248000531"}, PasswordHash: "$argon2id$..."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddUser(ctx, cartonum.User{Email: "moderateur80@example.FR", Role: cartonum.RoleAdmin, PasswordHash: "x"}); cartonum.KindOf(err) != cartonum.KindConflict {
		t.Errorf("same e-mail in another case: %v, want KindConflict", err)
	}
	if _, err := db.AddUser(ctx, cartonum.User{Email: "x@example.fr", Role: "chef", PasswordHash: "x"}); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("unknown role: %v, want KindInvalid", err)
	}
	admin, err := db.AddUser(ctx, cartonum.User{Email: "admin@example.fr", Role: cartonum.RoleAdmin, PasswordHash: "y"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.UserByEmail(ctx, "MODERATEUR80@example.fr")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, u) {
		t.Errorf("UserByEmail:\n got %#v\nwant %#v", got, u)
	}
	if got, err := db.UserByID(ctx, admin.ID); err != nil || got.Email != "admin@example.fr" || got.Role != cartonum.RoleAdmin {
		t.Errorf("UserByID: %+v, %v", got, err)
	}
	if _, err := db.UserByID(ctx, 999); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("UserByID(999): %v", err)
	}
	all, err := db.Users(ctx)
	if err != nil || len(all) != 2 || all[0].Email != "admin@example.fr" {
		t.Errorf("Users: %v, %v", all, err)
	}

	now := time.Now()
	if err := db.AddSession(ctx, cartonum.Session{TokenHash: "h1", User: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.DisableUser(ctx, "moderateur80@EXAMPLE.fr"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.UserByID(ctx, u.ID); !got.Disabled {
		t.Error("user not disabled")
	}
	if _, _, err := db.SessionByHash(ctx, "h1", now); !errors.Is(err, cartonum.ErrUnauthorized) {
		t.Errorf("session of a disabled user: %v", err)
	}
	if err := db.DisableUser(ctx, "nobody@example.fr"); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("DisableUser(unknown): %v", err)
	}
}

func TestSessions(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	u, err := db.AddUser(ctx, cartonum.User{Email: "m@example.fr", Role: cartonum.RoleModerator, Departements: []string{"80"}, PasswordHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	s := cartonum.Session{TokenHash: "hash", User: u.ID, CSRF: "csrf", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	if err := db.AddSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := db.AddSession(ctx, cartonum.Session{TokenHash: "x", User: 999, ExpiresAt: t0.Add(time.Hour)}); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("session of an unknown user: %v", err)
	}
	got, user, err := db.SessionByHash(ctx, "hash", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) || user.ID != u.ID || !slices.Equal(user.Departements, []string{"80"}) {
		t.Errorf("SessionByHash: %+v %+v", got, user)
	}
	for _, tc := range []struct {
		name string
		hash string
		at   time.Time
	}{
		{"expired", "hash", t0.Add(12 * time.Hour)},
		{"unknown", "other", t0},
	} {
		_, _, err := db.SessionByHash(ctx, tc.hash, tc.at)
		if !errors.Is(err, cartonum.ErrUnauthorized) || cartonum.KindOf(err) != cartonum.KindNotFound {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if err := db.DeleteSession(ctx, "hash"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionByHash(ctx, "hash", t0); !errors.Is(err, cartonum.ErrUnauthorized) {
		t.Errorf("deleted session: %v", err)
	}
	// Adding a session deletes the expired ones.
	if err := db.AddSession(ctx, cartonum.Session{TokenHash: "old", User: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddSession(ctx, cartonum.Session{TokenHash: "new", User: u.ID, CreatedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d sessions stored (%v), want 1", n, err)
	}
}

func TestLoginFailures(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	for i := range 5 {
		if err := db.AddLoginFailure(ctx, "m@example.fr", t0.Add(time.Duration(i)*5*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddLoginFailure(ctx, "ip:10.0.0.1", t0); err != nil {
		t.Fatal(err)
	}
	count := func(key string, since time.Time) int {
		n, err := db.LoginFailures(ctx, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// At t0+20min, the 15-minute window holds the failures at 5+, 10, 15, 20.
	if n := count("m@example.fr", t0.Add(20*time.Minute-15*time.Minute)); n != 4 {
		t.Errorf("failures in the window: %d, want 4", n)
	}
	if n := count("m@example.fr", t0); n != 5 {
		t.Errorf("all failures: %d, want 5", n)
	}
	if err := db.ClearLoginFailures(ctx, "m@example.fr"); err != nil {
		t.Fatal(err)
	}
	if n := count("m@example.fr", t0); n != 0 {
		t.Errorf("after clearing: %d", n)
	}
	if n := count("ip:10.0.0.1", t0); n != 1 {
		t.Errorf("other key: %d, want 1", n)
	}
	// A day later the old failures are forgotten.
	if err := db.AddLoginFailure(ctx, "other", t0.Add(25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := count("ip:10.0.0.1", time.Time{}); n != 0 {
		t.Errorf("failures older than a day kept: %d", n)
	}
}

// TestBackupDuringWrites copies the database while proposals are added:
// the copy opens as a valid database holding a prefix of them.
func TestBackupDuringWrites(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Communes: genCommunes(50, 2000), Upserts: genPlaces(300, 1)})
	for i := range 20 {
		mustAddProposal(t, db, testProposal(fmt.Sprintf("avant-%d", i), "lieu-000001", "10", "", time.Now()))
	}
	var (
		stop  atomic.Bool
		added atomic.Int64
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			if _, err := db.AddProposal(ctx, testProposal(fmt.Sprintf("pendant-%d", i), "lieu-000001", "10", "", time.Now())); err != nil {
				t.Error(err)
				return
			}
			added.Add(1)
		}
	})
	path := filepath.Join(t.TempDir(), "copie.db")
	for added.Load() < 5 {
		time.Sleep(time.Millisecond)
	}
	err := db.Backup(ctx, path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}

	cp, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var check string
	if err := cp.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	copied, err := cp.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	live, err := db.Proposals(ctx, cartonum.ProposalFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(copied) < 20 || len(copied) > len(live) {
		t.Fatalf("copy has %d proposals, live %d", len(copied), len(live))
	}
	// The copy holds the oldest proposals, exactly as stored.
	byID := map[int64]cartonum.Proposal{}
	for _, p := range live {
		byID[p.ID] = p
	}
	for _, p := range copied {
		if !reflect.DeepEqual(p, byID[p.ID]) {
			t.Errorf("proposal %d differs in the copy", p.ID)
		}
	}
	d, err := cp.Load(ctx)
	if err != nil || len(d.Places) != 300 || len(d.Communes) != 50 {
		t.Errorf("copy's dataset: %d places, %d communes, %v", len(d.Places), len(d.Communes), err)
	}
	t.Logf("copy holds %d of %d proposals", len(copied), len(live))

	if err := db.Backup(ctx, path); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("backup over an existing file: %v, want KindInvalid", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Errorf("existing copy damaged: %v", err)
	}
}
