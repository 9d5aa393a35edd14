package standard

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// outcome is the expected fate of one row of testdata/messy.csv.
type outcome struct {
	status   string
	place    string // the place's id; a trailing "-" matches a derived id
	lat, lon float64
	at       string // instead of lat/lon: at the anchor of this commune code
	code     string // code_insee of the place
	precise  bool   // precision exact (false: commune)
	outside  bool
	repairs  []string // fields with a repair or warning on this row
	reject   string   // rejected field
	check    func(t *testing.T, p *cartonum.Place)
}

// TestMessyFixture imports a file holding every class of fault the import
// handles and checks the fate of each row, the positions to a few metres,
// and that importing it again changes nothing.
func TestMessyFixture(t *testing.T) {
	f, err := os.Open("testdata/messy.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := Read("messy.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	terr := newFakeTerritory()
	opts := Options{Region: "32", Margin: DefaultMargin}
	res, err := Import(nil, []*Source{src}, terr, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, res.Report, []*Source{src})

	want := map[int]outcome{
		2: {status: StatusImported, place: "m-clean", lat: 50.63, lon: 3.05, code: "59350", precise: true},
		3: {status: StatusImported, place: "m-comma", lat: 50.64, lon: 3.06, code: "59350", precise: true, repairs: []string{"latitude", "pivot"}},
		4: {status: StatusImported, place: "m-swap", lat: 50.62, lon: 3.08, code: "59350", precise: true, repairs: []string{"latitude"}},
		5: {status: StatusImported, place: "m-lambert", lat: 50.63, lon: 3.05, code: "59350", precise: true, repairs: []string{"latitude"}},
		6: {status: StatusImported, place: "m-nocoord", at: "62491", code: "62491", repairs: []string{"latitude"}},
		7: {status: StatusImported, place: "m-byname", at: "59512", code: "59512", repairs: []string{"latitude", "code_insee"}},
		8: {status: StatusImported, place: "m-cp4", lat: 50.63, lon: 2.77, code: "62491", precise: true, repairs: []string{"code_postal"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.CodePostal != "62840" {
					t.Errorf("code_postal %q: a 4-digit 5900 in a Pas-de-Calais commune must become the commune's 62840, never 05900", p.CodePostal)
				}
			}},
		9: {status: StatusImported, place: "m-cpother", lat: 50.61, lon: 3.04, code: "59350", precise: true, repairs: []string{"code_postal"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.CodePostal != "62000" {
					t.Errorf("code_postal %q, want the declared 62000 kept with a warning", p.CodePostal)
				}
			}},
		10: {status: StatusImported, place: "m-phone", lat: 50.635, lon: 3.065, code: "59350", precise: true, repairs: []string{"telephone", "courriels", "site_web", "services"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Telephone != "+33320000002" || len(p.Courriels) != 0 || len(p.SiteWeb) != 0 ||
					!slices.Equal(p.Services, []string{"Aide aux démarches administratives"}) {
					t.Errorf("contacts and services: %q %q %q %q", p.Telephone, p.Courriels, p.SiteWeb, p.Services)
				}
			}},
		11: {status: StatusImported, place: "m-hours", lat: 50.69, lon: 3.18, code: "59512", precise: true, repairs: []string{"pivot", "horaires", "presentation_resume", "date_maj"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Pivot != unknownPivot || !p.Provenance.HorairesInvalid || p.DateMaj != "2024-03-01" ||
					len([]rune(p.PresentationResume)) > maxResume || !strings.HasSuffix(p.PresentationDetail, "et voilà.") {
					t.Errorf("pivot %q, hours invalid %v, date %q, resume %d runes, detail %q", p.Pivot, p.Provenance.HorairesInvalid, p.DateMaj, len([]rune(p.PresentationResume)), p.PresentationDetail)
				}
			}},
		12: {status: StatusRejected, reject: "id"},
		13: {status: StatusRejected, reject: "nom"},
		14: {status: StatusRejected, reject: "adresse"},
		15: {status: StatusRejected, reject: "date_maj"},
		16: {status: StatusRejected, reject: "latitude"},
		17: {status: StatusImported, place: "m-margin", lat: 50.70, lon: 3.28, precise: true, outside: true, repairs: []string{"latitude", "code_postal"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.CodePostal != "7730" {
					t.Errorf("code_postal %q: a postcode of a place outside the region is kept as given", p.CodePostal)
				}
			}},
		18: {status: StatusConflict, place: "m-clean-", lat: 50.62, lon: 2.78, code: "62491", precise: true, repairs: []string{"id"}},
		19: {status: StatusMerged, place: "m-clean"},
		20: {status: StatusMerged, place: "m-clean"},
		21: {status: StatusImported, place: "m-codebad", lat: 50.69, lon: 3.17, code: "59512", precise: true, repairs: []string{"code_insee"}},
		22: {status: StatusImported, place: "m-codebad2", at: "59512", code: "59512", repairs: []string{"code_insee", "latitude"}},
		23: {status: StatusImported, place: "m-far", at: "62491", code: "62491", repairs: []string{"latitude"},
			check: wantMessage("latitude", "à 16,9 km de la commune déclarée 62491")},
		24: {status: StatusImported, place: "m-justout", lat: 50.62, lon: 2.82, code: "62491", precise: true, repairs: []string{"latitude"},
			check: wantMessage("latitude", "à 0,7 km hors du contour de la commune déclarée 62491")},
		25: {status: StatusImported, place: "m-swapfar", at: "62491", code: "62491", repairs: []string{"latitude"},
			check: wantMessage("latitude", "à 16,9 km de la commune déclarée 62491")},
		26: {status: StatusRejected, reject: "latitude"},
		27: {status: StatusImported, place: "m-badcode", lat: 50.635, lon: 3.06, code: "59350", precise: true, repairs: []string{"code_insee"}},
		28: {status: StatusRejected},
		29: {status: StatusImported, place: "m-zero", at: "62491", code: "62491", repairs: []string{"latitude"}},
		// A homonym commune of another département, and a code contradicted
		// by name, postcode and point: never pulled into the region.
		30: {status: StatusRejected, reject: "latitude"},
		31: {status: StatusRejected, reject: "latitude"},
	}
	rows := res.Report.Files[0].Rows
	if len(rows) != len(want) {
		t.Fatalf("%d rows reported, want %d", len(rows), len(want))
	}
	places := map[string]*cartonum.Place{}
	for i := range res.Upserts {
		places[res.Upserts[i].ID] = &res.Upserts[i]
	}
	for _, row := range rows {
		w, ok := want[row.Line]
		if !ok {
			t.Errorf("line %d not expected", row.Line)
			continue
		}
		if row.Status != w.status {
			t.Errorf("line %d: status %s, want %s (%+v)", row.Line, row.Status, w.status, row)
			continue
		}
		if w.status == StatusRejected {
			if w.reject != "" && (row.Rejection == nil || row.Rejection.Field != w.reject) {
				t.Errorf("line %d: rejection %+v, want on %q", row.Line, row.Rejection, w.reject)
			}
			continue
		}
		if strings.HasSuffix(w.place, "-") {
			if !strings.HasPrefix(row.PlaceID, w.place) || len(row.PlaceID) != len(w.place)+8 {
				t.Errorf("line %d: place %q, want a derived id %s…", row.Line, row.PlaceID, w.place)
			}
		} else if row.PlaceID != w.place {
			t.Errorf("line %d: place %q, want %q", row.Line, row.PlaceID, w.place)
		}
		for _, field := range w.repairs {
			found := false
			for _, r := range row.Repairs {
				found = found || r.Field == field
			}
			if !found {
				t.Errorf("line %d: no repair on %s; repairs %+v", row.Line, field, row.Repairs)
			}
		}
		if w.status == StatusMerged {
			continue
		}
		p := places[row.PlaceID]
		if p == nil {
			t.Errorf("line %d: place %q not in the upserts", row.Line, row.PlaceID)
			continue
		}
		lat, lon := w.lat, w.lon
		if w.at != "" {
			a, _ := terr.Anchor(w.at)
			lon, lat = a[0], a[1]
		}
		if d := Distance(p.Latitude, p.Longitude, lat, lon); d > 3 {
			t.Errorf("line %d: place at (%v, %v), %.0f m from (%v, %v)", row.Line, p.Latitude, p.Longitude, d, lat, lon)
		}
		if p.CodeInsee != w.code {
			t.Errorf("line %d: code_insee %q, want %q", row.Line, p.CodeInsee, w.code)
		}
		if precise := p.Provenance.Precision == cartonum.PrecisionExact; precise != w.precise {
			t.Errorf("line %d: precision %s", row.Line, p.Provenance.Precision)
		}
		if p.Provenance.OutsideRegion != w.outside {
			t.Errorf("line %d: outside_region %v", row.Line, p.Provenance.OutsideRegion)
		}
		if w.check != nil {
			w.check(t, p)
		}
	}
	c := res.Report.Totals
	if c.RowsRead != 30 || c.Imported != 18 || c.Merged != 2 || c.Conflicts != 1 || c.Rejected != 9 {
		t.Errorf("totals %+v", c)
	}
	if len(res.Report.Conflicts) != 1 || res.Report.Conflicts[0].Line != 18 || res.Report.Conflicts[0].PlaceID != "m-clean" {
		t.Errorf("conflicts %+v", res.Report.Conflicts)
	}
	if m := places["m-clean"]; m == nil || m.DateMaj != "2024-06-01" || !slices.Contains(m.Provenance.SourceIDs, "m-copy") {
		t.Errorf("m-clean after its copy and its update: %+v", m)
	}

	t.Run("import again changes nothing", func(t *testing.T) {
		again, err := Import(clonePlaces(t, res.Upserts), []*Source{src}, terr, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Upserts) != 0 || again.Report.Places.Total != len(res.Upserts) {
			t.Errorf("second import: %d upserts, places %+v", len(again.Upserts), again.Report.Places)
		}
		if again.Report.Totals != res.Report.Totals {
			t.Errorf("second import totals %+v, first %+v", again.Report.Totals, res.Report.Totals)
		}
	})
}

// wantMessage checks that a place has a repair on field containing text.
func wantMessage(field, text string) func(t *testing.T, p *cartonum.Place) {
	return func(t *testing.T, p *cartonum.Place) {
		t.Helper()
		for _, r := range p.Provenance.Repairs {
			if r.Field == field && strings.Contains(r.Message, text) {
				return
			}
		}
		t.Errorf("no %s repair with %q: %+v", field, text, p.Provenance.Repairs)
	}
}
