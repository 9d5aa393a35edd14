package httpapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

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
