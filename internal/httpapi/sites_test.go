package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// paris returns a wall-clock time in Europe/Paris.
func paris(y int, mo time.Month, d, h, m int) time.Time {
	return time.Date(y, mo, d, h, m, 0, 0, openinghours.Paris())
}

func TestHoursAt(t *testing.T) {
	now := paris(2026, time.April, 3, 10, 0) // Good Friday, worked
	cases := []struct {
		name, horaires string
		now            time.Time
		want           string // JSON; empty: no field
	}{
		{"none", "", now, ""},
		{"unreadable", "lundi 9h-12h", now, `{"valide":false,"ouvert":false,"prochain_changement":null,"libelle":"","semaine":[]}`},
		{"open until noon", `Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00 "sur rendez-vous"; PH off`, now,
			`{"valide":true,"ouvert":true,"prochain_changement":"2026-04-03T12:00:00+02:00","libelle":"Ouvert jusqu'à 12:00","semaine":[` +
				`{"jour":"lundi","plages":["09:00-12:00","14:00-18:00"]},{"jour":"mardi","plages":["09:00-12:00","14:00-18:00"]},` +
				`{"jour":"mercredi","plages":["09:00-12:00","14:00-18:00"]},{"jour":"jeudi","plages":["09:00-12:00","14:00-18:00"]},` +
				`{"jour":"vendredi","plages":["09:00-12:00","14:00-18:00"]},{"jour":"samedi","plages":["10:00-12:00"],"commentaires":["sur rendez-vous"]},` +
				`{"jour":"dimanche","plages":[]}]}`},
		{"closed on Easter Monday", "Mo-Fr 09:00-17:00; PH off", paris(2026, time.April, 6, 10, 0),
			`{"valide":true,"ouvert":false,"prochain_changement":"2026-04-07T09:00:00+02:00","libelle":"Fermé — ouvre demain à 09:00","semaine":[` +
				`{"jour":"lundi","plages":["09:00-17:00"]},{"jour":"mardi","plages":["09:00-17:00"]},{"jour":"mercredi","plages":["09:00-17:00"]},` +
				`{"jour":"jeudi","plages":["09:00-17:00"]},{"jour":"vendredi","plages":["09:00-17:00"]},{"jour":"samedi","plages":[]},{"jour":"dimanche","plages":[]}]}`},
		{"read in Paris whatever the clock's zone", "24/7", now.UTC(),
			`{"valide":true,"ouvert":true,"prochain_changement":null,"libelle":"Ouvert 24 h sur 24","semaine":[` +
				`{"jour":"lundi","plages":["00:00-24:00"]},{"jour":"mardi","plages":["00:00-24:00"]},{"jour":"mercredi","plages":["00:00-24:00"]},` +
				`{"jour":"jeudi","plages":["00:00-24:00"]},{"jour":"vendredi","plages":["00:00-24:00"]},{"jour":"samedi","plages":["00:00-24:00"]},{"jour":"dimanche","plages":["00:00-24:00"]}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sch, _ := openinghours.Parse(tc.horaires)
			h := hoursAt(tc.horaires, sch, tc.now)
			if tc.want == "" {
				if h != nil {
					t.Fatalf("hoursAt = %+v, want nil", h)
				}
				return
			}
			b, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("hoursAt =\n%s\nwant\n%s", b, tc.want)
			}
		})
	}
}

// hoursData is the fixture with opening hours of every kind.
func hoursData() index.Data {
	d := fixtureData()
	horaires := []string{
		"", "lundi 9h-12h", "24/7",
		"Mo-Fr 09:00-12:00,14:00-18:00; PH off",
		"Mo-Sa 09:00-18:00; PH 10:00-12:00",
		"Mo-Su 20:00-02:00; PH off",
		"Sa,Su 10:00-19:00",
		"Mo-Fr 08:30-17:30",
		"PH off",
	}
	base := d.Places[0]
	d.Places = nil
	for i, h := range horaires {
		p := base
		p.ID = fmt.Sprintf("lieu-h%d", i)
		p.Nom = fmt.Sprintf("Lieu %d", i)
		p.Horaires = h
		p.Longitude += float64(i) * 0.001
		p.Provenance.SourceIDs = []string{p.ID}
		d.Places = append(d.Places, p)
	}
	return d
}

// openBruteForce lists the places open at t by parsing each one's hours.
func openBruteForce(places []cartonum.Place, at time.Time) []string {
	var ids []string
	for _, p := range places {
		if s, err := openinghours.Parse(p.Horaires); err == nil && s.OpenAt(at.In(openinghours.Paris())) {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// instants are times worth testing: ordinary days, nights, week ends, public
// holidays and daylight saving changes.
var instants = []time.Time{
	paris(2026, time.April, 3, 10, 0),    // Good Friday, worked
	paris(2026, time.April, 6, 10, 0),    // Easter Monday
	paris(2026, time.April, 6, 11, 0),    // Easter Monday, holiday hours
	paris(2026, time.July, 14, 1, 0),     // night into a holiday
	paris(2026, time.July, 15, 1, 0),     // night after a holiday
	paris(2026, time.October, 25, 2, 30), // the fold of winter time
	paris(2027, time.March, 28, 3, 30),   // Easter Sunday, summer time
	paris(2026, time.December, 5, 18, 59),
	paris(2026, time.December, 7, 12, 0).UTC(), // a Monday, given in UTC
}

func TestOpenFilterBruteForce(t *testing.T) {
	d := hoursData()
	places := slices.Clone(d.Places)
	snap := index.New(d)
	for _, at := range instants {
		t.Run(at.Format(time.RFC3339), func(t *testing.T) {
			var got []string
			for _, h := range snap.Search(index.Query{Filter: index.Filter{OpenAt: at}}).Hits {
				got = append(got, h.Place.ID)
			}
			slices.Sort(got)
			want := openBruteForce(places, at)
			if !slices.Equal(got, want) {
				t.Errorf("open at %v: %v, brute force %v", at, got, want)
			}
		})
	}
}

// newHoursServer serves hoursData with a clock stopped at now.
func newHoursServer(t *testing.T, now time.Time) string {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Now = func() time.Time { return now }
	hs := httptest.NewServer(New(liveOf(t, hoursData()), cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestSitesOpenNow(t *testing.T) {
	places := hoursData().Places
	for _, now := range instants {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			url := newHoursServer(t, now)
			resp, body := do(t, "GET", url+"/api/sites?ouvert=maintenant&limit=1000", nil, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var fc struct {
				Features []struct {
					Properties struct {
						ID               string         `json:"id"`
						Horaires         string         `json:"horaires"`
						HorairesCalcules *computedHours `json:"horaires_calcules"`
					} `json:"properties"`
				} `json:"features"`
				Total int `json:"total"`
			}
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fc.Features {
				got = append(got, f.Properties.ID)
				if h := f.Properties.HorairesCalcules; h == nil || !h.Valide || !h.Ouvert || len(h.Semaine) != 7 {
					t.Errorf("%s (%q) listed as open with %+v", f.Properties.ID, f.Properties.Horaires, h)
				}
			}
			slices.Sort(got)
			want := openBruteForce(places, now)
			if !slices.Equal(got, want) || fc.Total != len(want) {
				t.Errorf("ouvert=maintenant: %v (total %d), brute force %v", got, fc.Total, want)
			}

			// The same instant given explicitly, and the export.
			resp, body = do(t, "GET", url+"/api/sites?limit=1000&ouvert="+neturl.QueryEscape(now.Format(time.RFC3339)), nil, nil)
			if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &fc) != nil || fc.Total != len(want) {
				t.Errorf("ouvert=%s: %d, total %d, want %d", now.Format(time.RFC3339), resp.StatusCode, fc.Total, len(want))
			}
			resp, body = do(t, "GET", url+"/api/export/sites.csv?ouvert=maintenant", nil, nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Total-Count") != strconv.Itoa(len(want)) {
				t.Errorf("export: %d, %s lines, want %d: %.200s", resp.StatusCode, resp.Header.Get("X-Total-Count"), len(want), body)
			}
		})
	}
}

func TestSiteHours(t *testing.T) {
	now := paris(2026, time.April, 6, 10, 0) // Easter Monday
	url := newHoursServer(t, now)
	cases := []struct {
		id, want string // want: the computed hours in JSON, empty for none
	}{
		{"lieu-h0", ""},
		{"lieu-h1", `{"valide":false,"ouvert":false,"prochain_changement":null,"libelle":"","semaine":[]}`},
		{"lieu-h3", `"ouvert":false,"prochain_changement":"2026-04-07T09:00:00+02:00","libelle":"Fermé — ouvre demain à 09:00"`},
		{"lieu-h4", `"ouvert":true,"prochain_changement":"2026-04-06T12:00:00+02:00","libelle":"Ouvert jusqu'à 12:00"`},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			for _, path := range []string{"/api/sites/" + tc.id, "/api/sites?limit=1000"} {
				resp, body := do(t, "GET", url+path, nil, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
				}
				var raw map[string]any
				if err := json.Unmarshal(body, &raw); err != nil {
					t.Fatal(err)
				}
				props := raw["properties"]
				if fs, ok := raw["features"].([]any); ok {
					for _, f := range fs {
						if p := f.(map[string]any)["properties"].(map[string]any); p["id"] == tc.id {
							props = p
						}
					}
				}
				h, ok := props.(map[string]any)["horaires_calcules"]
				if tc.want == "" {
					if ok {
						t.Errorf("%s: horaires_calcules = %v for a place without hours", path, h)
					}
					return
				}
				// Back to the struct, for its field order.
				var typed computedHours
				b, _ := json.Marshal(h)
				if err := json.Unmarshal(b, &typed); err != nil {
					t.Fatal(err)
				}
				b, _ = json.Marshal(typed)
				if !strings.Contains(string(b), strings.Trim(tc.want, "{}")) {
					t.Errorf("%s: horaires_calcules = %s, want %s", path, b, tc.want)
				}
			}
		})
	}
}

func TestOpenParamInvalid(t *testing.T) {
	url := newHoursServer(t, paris(2026, time.April, 6, 10, 0))
	for _, v := range []string{"1", "oui", "2026-04-06", "2026-04-06T10:00:00"} {
		resp, body := do(t, "GET", url+"/api/sites?ouvert="+v, nil, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(t, resp, body), "maintenant") {
			t.Errorf("ouvert=%s: %d %s", v, resp.StatusCode, body)
		}
	}
}

func TestTilesOpenAt(t *testing.T) {
	url := newHoursServer(t, paris(2026, time.April, 6, 10, 0))
	tile := maptile.At(orb.Point{2.30, 49.90}, 12)
	path := fmt.Sprintf("%s/tiles/sites/%d/%d/%d.mvt", url, tile.Z, tile.X, tile.Y)
	resp, body := do(t, "GET", path+"?ouvert=maintenant", nil, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(t, resp, body), "instant") {
		t.Errorf("ouvert=maintenant on a tile: %d %s", resp.StatusCode, body)
	}
	// An instant is a fixed filter: at 03:00 on a Monday only 24/7 and the
	// night place are open, fewer than without the filter.
	_, all := do(t, "GET", path, nil, nil)
	resp, night := do(t, "GET", path+"?ouvert="+neturl.QueryEscape("2026-04-07T03:00:00+02:00"), nil, nil)
	if resp.StatusCode != http.StatusOK || len(night) == 0 || len(night) >= len(all) {
		t.Errorf("ouvert=<instant> on a tile: %d, %d bytes, %d without the filter", resp.StatusCode, len(night), len(all))
	}
}

// extraData is the fixture with the extra columns: lieu-1 has a printer
// and wifi, lieu-2 wifi and the Pass numérique, lieu-3 PictoAccess.
func extraData() index.Data {
	d := fixtureData()
	d.Places[0].Equipements = []string{"Imprimante", "Wifi"}
	d.Places[1].Equipements = []string{"Wifi"}
	d.Places[1].Qualifications = []string{"Pass numérique (APTIC)"}
	d.Places[2].Qualifications = []string{"PictoAccess"}
	return d
}

func newExtraServer(t *testing.T) string {
	t.Helper()
	hs := httptest.NewServer(New(liveOf(t, extraData()), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(hs.Close)
	return hs.URL
}

// TestSitesExtraFilters: /api/sites and the export filter on equipment and
// qualifications (any listed value, all parameters), give the extras in
// the summaries, and refuse an unknown value as they refuse one for
// services.
func TestSitesExtraFilters(t *testing.T) {
	url := newExtraServer(t)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"equipements=Wifi", []string{"lieu-1", "lieu-2"}},
		{"equipements=imprimante", []string{"lieu-1"}},
		{"equipements=Imprimante|Tablette", []string{"lieu-1"}},
		{"equipements=Tablette&equipements=Wifi", []string{"lieu-1", "lieu-2"}},
		{"equipements=Tablette", nil},
		{"qualifications=PictoAccess", []string{"lieu-3"}},
		{"qualifications=" + neturl.QueryEscape("pass numerique (aptic)"), []string{"lieu-2"}},
		{"equipements=Wifi&qualifications=" + neturl.QueryEscape("Pass numérique (APTIC)"), []string{"lieu-2"}},
		{"equipements=Wifi&services=" + neturl.QueryEscape("Aide aux démarches administratives"), []string{"lieu-1"}},
		{"", []string{"lieu-1", "lieu-2", "lieu-3"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := do(t, "GET", url+"/api/sites?"+tc.query, nil, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var fc struct {
				Features []struct {
					Properties struct {
						ID             string   `json:"id"`
						Equipements    []string `json:"equipements"`
						Qualifications []string `json:"qualifications"`
					} `json:"properties"`
				} `json:"features"`
				Total int `json:"total"`
			}
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			places := map[string]cartonum.Place{}
			for _, p := range extraData().Places {
				places[p.ID] = p
			}
			var got []string
			for _, f := range fc.Features {
				p := f.Properties
				got = append(got, p.ID)
				if !slices.Equal(p.Equipements, nonNil(places[p.ID].Equipements)) || !slices.Equal(p.Qualifications, nonNil(places[p.ID].Qualifications)) {
					t.Errorf("%s: summary extras %q %q", p.ID, p.Equipements, p.Qualifications)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || fc.Total != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", got, fc.Total, tc.want)
			}
			resp, body = do(t, "GET", url+"/api/export/sites.csv?"+tc.query, nil, nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Total-Count") != strconv.Itoa(len(tc.want)) ||
				strings.Count(string(body), "\n") != len(tc.want)+1 {
				t.Errorf("export: %d, %s places, want %d: %.300s", resp.StatusCode, resp.Header.Get("X-Total-Count"), len(tc.want), body)
			}
		})
	}
	for _, tc := range []struct{ query, param string }{
		{"equipements=Fablab", "equipements"},
		{"qualifications=Label+inconnu", "qualifications"},
		{"services=Fablab", "services"},
	} {
		for _, path := range []string{"/api/sites", "/api/export/sites.csv", "/tiles/sites.json", "/tiles/sites/12/2074/1398.mvt"} {
			resp, body := do(t, "GET", url+path+"?"+tc.query, nil, nil)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s?%s: %d, want 400", path, tc.query, resp.StatusCode)
				continue
			}
			if msg := errorMessage(t, resp, body); !strings.Contains(msg, "inconnue pour "+tc.param+" ; valeurs possibles : ") {
				t.Errorf("%s?%s: message %q", path, tc.query, msg)
			}
		}
	}
}

// TestExportExtraColumns: the CSV export has the extra columns after the
// standard's, filled with the place's values.
func TestExportExtraColumns(t *testing.T) {
	url := newExtraServer(t)
	resp, body := do(t, "GET", url+"/api/export/sites.csv?equipements=Imprimante", nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], ",prise_rdv,equipements,qualifications") ||
		!strings.HasPrefix(lines[1], "lieu-1,") || !strings.HasSuffix(lines[1], ",Imprimante|Wifi,") {
		t.Errorf("export:\n%s", body)
	}
}

// TestTilesExtraFilters: the site tiles and their TileJSON take the
// filters on the extra columns; each filter gives its own tile.
func TestTilesExtraFilters(t *testing.T) {
	url := newExtraServer(t)
	tile := maptile.At(orb.Point{2.30, 49.90}, 10)
	path := fmt.Sprintf("%s/tiles/sites/%d/%d/%d.mvt", url, tile.Z, tile.X, tile.Y)
	etag := func(query string) (string, int) {
		t.Helper()
		resp, body := do(t, "GET", path+query, nil, nil)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s: %d %s", query, resp.StatusCode, body)
		}
		return resp.Header.Get("ETag"), len(body)
	}
	all, allSize := etag("")
	wifi, wifiSize := etag("?equipements=Wifi")
	picto, pictoSize := etag("?qualifications=PictoAccess")
	if all == wifi || all == picto || wifi == picto {
		t.Errorf("ETags: all %s, wifi %s, picto %s: a filter on the extra columns is ignored or shared", all, wifi, picto)
	}
	if wifiSize >= allSize || pictoSize >= allSize {
		t.Errorf("tiles of %d and %d bytes, unfiltered %d", wifiSize, pictoSize, allSize)
	}
	resp, body := do(t, "GET", url+"/tiles/sites.json?equipements=Wifi&qualifications=PictoAccess", nil, nil)
	var tj struct {
		Tiles []string `json:"tiles"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tj) != nil || len(tj.Tiles) != 1 ||
		!strings.Contains(tj.Tiles[0], "equipements=Wifi") || !strings.Contains(tj.Tiles[0], "qualifications=PictoAccess") {
		t.Errorf("TileJSON: %d %s", resp.StatusCode, body)
	}
}

// TestConfigExtraVocabularies: /api/config serves the vocabularies of the
// extra columns with their French names, beside the standard's.
func TestConfigExtraVocabularies(t *testing.T) {
	url := newExtraServer(t)
	resp, body := do(t, "GET", url+"/api/config", nil, nil)
	var c struct {
		Vocabularies map[string][]string `json:"vocabularies"`
		Labels       map[string]string   `json:"vocabulary_labels"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &c) != nil {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	for _, v := range []*cartonum.Vocabulary{cartonum.Equipements, cartonum.Qualifications, cartonum.Services} {
		if !slices.Equal(c.Vocabularies[v.Field], v.Values) {
			t.Errorf("%s: %q, want %q", v.Field, c.Vocabularies[v.Field], v.Values)
		}
	}
	for field := range c.Vocabularies {
		if c.Labels[field] == "" {
			t.Errorf("vocabulary %s has no French name", field)
		}
	}
	if c.Labels["equipements"] != "Équipements" || c.Labels["qualifications"] != "Qualifications" {
		t.Errorf("labels %q", c.Labels)
	}
}
