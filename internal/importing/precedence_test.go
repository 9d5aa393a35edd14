package importing

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestModeratorCorrectionSurvivesImports: a moderator corrects the phone
// of a place; re-importing the same file keeps it and changes nothing; a
// newer record with another phone keeps it too but queues the source's
// value as a proposal, once however often the file is imported; an older
// record's phone is ignored.
func TestModeratorCorrectionSurvivesImports(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	const (
		id        = "syn-caen-1"
		corrected = "+33231999999"
	)
	places := func(file string) Request {
		return Request{Region: "28", Places: []string{"testdata/lieux-28-precedence-" + file + ".csv"}}
	}
	req := places("v1")
	req.Communes = []string{"testdata/communes-28.geojson"}
	if _, err := svc.Import(ctx, req); err != nil {
		t.Fatal(err)
	}
	p, err := db.Place(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Telephone != "+33231000001" {
		t.Fatalf("imported phone %q", p.Telephone)
	}

	// The moderator's batch: the place with its new phone, and the
	// override that records the correction.
	p.Telephone = corrected
	if _, err := db.Apply(ctx, cartonum.Batch{
		Actor:   cartonum.Actor{Kind: cartonum.ActorModeration, User: 1, Email: "moderateur14@example.fr"},
		Upserts: []cartonum.Place{p},
		Overrides: []cartonum.Override{{Place: id, Field: "telephone", Value: json.RawMessage(`"` + corrected + `"`),
			At: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)}},
	}); err != nil {
		t.Fatal(err)
	}

	proposals := func() []cartonum.Proposal {
		t.Helper()
		ps, err := db.Proposals(ctx, cartonum.ProposalFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	history := func() int {
		t.Helper()
		h, err := db.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	for _, step := range []struct {
		name      string
		file      string
		moves     bool // the data version moves
		kept      int
		proposals int
		dateMaj   string
	}{
		{"same file again", "v1", false, 1, 0, "2025-01-15"},
		{"newer record", "newer", true, 1, 1, "2025-09-01"},
		{"newer record again", "newer", false, 1, 1, "2025-09-01"},
		{"older record", "older", true, 1, 1, "2025-03-01"},
	} {
		t.Run(step.name, func(t *testing.T) {
			version, err := db.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			entries := history()
			res, err := svc.Import(ctx, places(step.file))
			if err != nil {
				t.Fatal(err)
			}
			after, err := db.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if moved := after != version; moved != step.moves {
				t.Errorf("version %d -> %d, want moved %v", version, after, step.moves)
			}
			if got := history() - entries; got != map[bool]int{false: 0, true: 1}[step.moves] {
				t.Errorf("%d history entries written", got)
			}
			if res.KeptCorrections != step.kept {
				t.Errorf("KeptCorrections = %d, want %d", res.KeptCorrections, step.kept)
			}
			p, err := db.Place(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Telephone != corrected || p.DateMaj != step.dateMaj {
				t.Errorf("place: phone %q date %q, want %q %q", p.Telephone, p.DateMaj, corrected, step.dateMaj)
			}
			ps := proposals()
			if len(ps) != step.proposals {
				t.Fatalf("%d proposals, want %d", len(ps), step.proposals)
			}
			if len(ps) == 0 {
				return
			}
			q := ps[0]
			if q.Origin != "source" || q.SourceName != "synthetique" || q.Type != cartonum.ProposalEdit || q.Place != id ||
				q.Status != cartonum.StatusPending || q.Departement != "14" || q.EPCI != "200065597" || q.CodeInsee != "14118" ||
				q.Key == "" || q.Lat != p.Latitude {
				t.Errorf("proposal: %+v", q)
			}
			if len(q.Fields) != 1 || string(q.Fields["telephone"]) != `"+33231000002"` {
				t.Errorf("proposed fields %s", q.Fields)
			}
		})
	}
}

// TestPrecedenceFields: values are compared as the proposals write them,
// lists and coordinates included.
func TestPrecedenceFields(t *testing.T) {
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	base := cartonum.Place{ID: "p", CodeInsee: "80021", DateMaj: "2025-09-01", Latitude: 49.9, Longitude: 2.3,
		Services: []string{"A"}, Telephone: "+33300000000"}
	for _, tc := range []struct {
		name      string
		override  cartonum.Override
		check     func(p *cartonum.Place) bool
		kept      int
		proposals int
	}{
		{"equal list", cartonum.Override{Field: "services", Value: json.RawMessage(`["A"]`)},
			func(p *cartonum.Place) bool { return len(p.Services) == 1 }, 0, 0},
		{"other list, newer source", cartonum.Override{Field: "services", Value: json.RawMessage(`["B","C"]`)},
			func(p *cartonum.Place) bool { return len(p.Services) == 2 && p.Services[1] == "C" }, 1, 1},
		{"emptied list", cartonum.Override{Field: "services", Value: json.RawMessage(`[]`)},
			func(p *cartonum.Place) bool { return len(p.Services) == 0 }, 1, 1},
		{"coordinate as a string", cartonum.Override{Field: "latitude", Value: json.RawMessage(`"49.95"`)},
			func(p *cartonum.Place) bool { return p.Latitude == 49.95 }, 1, 1},
		{"equal coordinate as a number", cartonum.Override{Field: "latitude", Value: json.RawMessage(`49.9`)},
			func(p *cartonum.Place) bool { return p.Latitude == 49.9 }, 0, 0},
		{"newer date_maj wins", cartonum.Override{Field: "date_maj", Value: json.RawMessage(`"2025-06-01"`)},
			func(p *cartonum.Place) bool { return p.DateMaj == "2025-09-01" }, 0, 0},
		{"unknown field ignored", cartonum.Override{Field: "provenance", Value: json.RawMessage(`{}`)},
			func(p *cartonum.Place) bool { return true }, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.override
			o.Place, o.At = "p", at
			pr := newPrecedence([]cartonum.Override{o}, nil, "lieux.csv", at)
			p := base
			p.Services = append([]string(nil), base.Services...)
			if err := pr.apply(&p); err != nil {
				t.Fatal(err)
			}
			if !tc.check(&p) || pr.kept != tc.kept || len(pr.proposals) != tc.proposals {
				t.Errorf("place %+v, kept %d, proposals %+v", p, pr.kept, pr.proposals)
			}
			for _, q := range pr.proposals {
				if q.SourceName != "lieux.csv" || q.Departement != "80" {
					t.Errorf("proposal %+v", q)
				}
			}
		})
	}
}

// TestImportUpdatesClosedPlace: a record of a place closed by moderation
// updates it; it stays closed and does not come back as a new place.
func TestImportUpdatesClosedPlace(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	req := Request{Region: "28", Communes: []string{"testdata/communes-28.geojson"}, Places: []string{"testdata/lieux-28-precedence-v1.csv"}}
	if _, err := svc.Import(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, cartonum.Batch{Actor: cartonum.Actor{Kind: cartonum.ActorModeration}, Closes: []string{"syn-caen-1"}}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Import(ctx, Request{Region: "28", Places: []string{"testdata/lieux-28-precedence-newer.csv"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Places.Created != 0 {
		t.Errorf("%d places created", res.Report.Places.Created)
	}
	d, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Places) != 0 {
		t.Errorf("open places %d, want 0", len(d.Places))
	}
	p, err := db.ClosedPlace(ctx, "syn-caen-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Telephone != "+33231000002" {
		t.Errorf("closed place phone %q, want the newer record's", p.Telephone)
	}
}
