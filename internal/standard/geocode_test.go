package standard

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// geocoderFunc adapts a function to Geocoder.
type geocoderFunc func(GeocodeQuery) (GeocodeResult, error)

func (f geocoderFunc) Geocode(q GeocodeQuery) (GeocodeResult, error) { return f(q) }

func TestNormalizeGeocode(t *testing.T) {
	terr := newFakeTerritory()
	centre, _ := terr.Anchor("59350")
	good := GeocodeResult{Found: true, Point: orb.Point{3.07, 50.64}, Score: 0.87, CityCode: "59350", Kind: "housenumber", Label: "32 Rue Édouard Delesalle 59000 Lille"}
	for _, tc := range []struct {
		name     string
		fields   map[string]string
		answer   GeocodeResult
		err      error
		asked    bool
		geocoded bool
		message  string
	}{
		{name: "no coordinates", fields: with(lilleFields(), "latitude", "", "longitude", ""), answer: good, asked: true, geocoded: true, message: "géocodé, score 0,87"},
		{name: "at the commune's centre", fields: with(lilleFields(), "latitude", "50.635", "longitude", "3.05"), answer: good, asked: true, geocoded: true, message: "placé au centre de sa commune"},
		{name: "exact point is not geocoded", fields: lilleFields(), answer: good},
		{name: "score just below the threshold", fields: with(lilleFields(), "latitude", "", "longitude", ""),
			answer: GeocodeResult{Found: true, Point: good.Point, Score: DefaultGeocodeMinScore - 0.01, Kind: "housenumber"}, asked: true, message: "inférieur au seuil"},
		{name: "score at the threshold", fields: with(lilleFields(), "latitude", "", "longitude", ""),
			answer: GeocodeResult{Found: true, Point: good.Point, Score: DefaultGeocodeMinScore, Kind: "street"}, asked: true, geocoded: true, message: "géocodé"},
		{name: "municipality only", fields: with(lilleFields(), "latitude", "", "longitude", ""),
			answer: GeocodeResult{Found: true, Point: good.Point, Score: 0.95, Kind: "municipality"}, asked: true, message: "seule la commune"},
		{name: "outside the declared commune", fields: with(lilleFields(), "latitude", "", "longitude", ""),
			answer: GeocodeResult{Found: true, Point: orb.Point{3.17, 50.69}, Score: 0.95, Kind: "housenumber"}, asked: true, message: "hors de la commune déclarée"},
		{name: "no result", fields: with(lilleFields(), "latitude", "", "longitude", ""), asked: true, message: "sans résultat"},
		{name: "geocoder error", fields: with(lilleFields(), "latitude", "", "longitude", ""), err: errors.New("down"), asked: true, message: "géocodage impossible"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asked := false
			g := geocoderFunc(func(q GeocodeQuery) (GeocodeResult, error) {
				asked = true
				if q.CityCode != "59350" || q.Address != "32 rue Édouard Delesalle" || q.Postcode != "59000" {
					t.Errorf("query %+v", q)
				}
				return tc.answer, tc.err
			})
			p, rej := Normalize(Record{Line: 2, Fields: tc.fields}, terr, Options{Region: "32", Geocoder: g})
			if rej != nil {
				t.Fatal(rej)
			}
			if asked != tc.asked {
				t.Errorf("geocoder asked: %v, want %v", asked, tc.asked)
			}
			geocoded := p.Provenance.Precision == cartonum.PrecisionExact && p.Latitude == 50.64 && p.Longitude == 3.07
			if tc.geocoded != geocoded {
				t.Errorf("geocoded %v, want %v: %+v", geocoded, tc.geocoded, p)
			}
			if !tc.geocoded && tc.asked && (p.Latitude != centre[1] && p.Provenance.Precision != cartonum.PrecisionCommune) {
				t.Errorf("position changed by a refused answer: %v, %v", p.Latitude, p.Longitude)
			}
			if tc.message != "" {
				found := false
				for _, r := range p.Provenance.Repairs {
					found = found || strings.Contains(r.Message, tc.message)
				}
				if !found {
					t.Errorf("no repair with %q: %+v", tc.message, p.Provenance.Repairs)
				}
			}
		})
	}
}
