package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// vocab are the values drawn for each list field of the filtered places.
var vocab = map[string][]string{
	"publics":        {"Tout public", "Jeunes", "Seniors", "Familles"},
	"prise":          {"Surdité", "Handicaps moteurs", "Handicaps mentaux"},
	"frais":          {"Gratuit", "Payant", "Gratuit sous condition"},
	"accompagnement": {"Seul", "Avec de l'aide", "Dans un atelier", "À ma place"},
	"acces":          {"Se présenter", "Téléphoner", "Envoyer un courriel", "Prendre un RDV en ligne"},
}

// some draws up to two values of a vocabulary, sometimes none.
func some(r *rand.Rand, vs []string) []string {
	var out []string
	for range r.IntN(3) {
		if v := vs[r.IntN(len(vs))]; !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// randomPlaces scatters n places with random list fields over a square of
// side 2·spread degrees of latitude around c, as wide in kilometres as it
// is tall.
func randomPlaces(r *rand.Rand, n int, c orb.Point, spread float64) []cartonum.Place {
	places := make([]cartonum.Place, n)
	_, dLon := nearBox(c, spread*orb.EarthRadius*math.Pi/180)
	for i := range places {
		places[i] = cartonum.Place{
			ID:                      fmt.Sprintf("p%04d", i),
			Nom:                     fmt.Sprintf("Lieu %d", i),
			Longitude:               c[0] + (2*r.Float64()-1)*dLon,
			Latitude:                c[1] + (2*r.Float64()-1)*spread,
			Publics:                 some(r, vocab["publics"]),
			PriseEnCharge:           some(r, vocab["prise"]),
			Frais:                   some(r, vocab["frais"]),
			ModalitesAccompagnement: some(r, vocab["accompagnement"]),
			ModalitesAcces:          some(r, vocab["acces"]),
		}
	}
	return places
}

func hitIDs(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Place.ID)
	}
	return out
}

// TestNearBruteForce compares near searches with a scan of every place by
// great-circle distance, from the equator to high latitudes where a
// degree of longitude is a third of one of latitude: a search box that
// forgot cos(latitude) misses the places east and west of the centre.
func TestNearBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, lat := range []float64{0, 43.3, 50.6, 70, 78.2} {
		c := orb.Point{3.06, lat}
		places := randomPlaces(r, 2000, c, 0.5)
		s := New(Data{Version: 1, Places: places})
		for _, radius := range []float64{5000, 12000, 40000} {
			t.Run(fmt.Sprintf("lat %g radius %g", lat, radius), func(t *testing.T) {
				var want []string
				for _, p := range places {
					if geo.DistanceHaversine(c, orb.Point{p.Longitude, p.Latitude}) <= radius {
						want = append(want, p.ID)
					}
				}
				got := hitIDs(s.Search(Query{Near: &c, Radius: radius}))
				slices.Sort(got)
				if len(want) == 0 {
					t.Fatal("no place in the radius: the test proves nothing")
				}
				if !slices.Equal(got, want) {
					missing, extra := diff(want, got), diff(got, want)
					t.Errorf("%d places found, %d within %g m; missing %v, extra %v", len(got), len(want), radius, missing, extra)
				}
			})
		}
	}
}

// diff returns the elements of a not in b, the first ten of them.
func diff(a, b []string) []string {
	var out []string
	for _, v := range a {
		if !slices.Contains(b, v) && len(out) < 10 {
			out = append(out, v)
		}
	}
	return out
}

// TestFilterBruteForce compares each list filter of Search (publics, prise
// en charge, frais, both modalités) with a scan: a place matches when it
// has at least one of the values asked for.
func TestFilterBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	places := randomPlaces(r, 500, orb.Point{3.06, 50.63}, 0.2)
	s := New(Data{Version: 1, Places: places})
	fields := []struct {
		name  string
		vocab []string
		set   func(*Filter, []string)
		get   func(*cartonum.Place) []string
	}{
		{"publics", vocab["publics"], func(f *Filter, v []string) { f.Publics = v }, func(p *cartonum.Place) []string { return p.Publics }},
		{"prise en charge", vocab["prise"], func(f *Filter, v []string) { f.PriseEnCharge = v }, func(p *cartonum.Place) []string { return p.PriseEnCharge }},
		{"frais", vocab["frais"], func(f *Filter, v []string) { f.Frais = v }, func(p *cartonum.Place) []string { return p.Frais }},
		{"modalités d'accompagnement", vocab["accompagnement"], func(f *Filter, v []string) { f.ModalitesAccompagnement = v }, func(p *cartonum.Place) []string { return p.ModalitesAccompagnement }},
		{"modalités d'accès", vocab["acces"], func(f *Filter, v []string) { f.ModalitesAcces = v }, func(p *cartonum.Place) []string { return p.ModalitesAcces }},
	}
	for _, fd := range fields {
		for _, want := range [][]string{fd.vocab[:1], fd.vocab[1:3], {"valeur inconnue"}} {
			t.Run(fmt.Sprintf("%s %q", fd.name, want), func(t *testing.T) {
				var f Filter
				fd.set(&f, want)
				var scan []string
				for i := range places {
					if slices.ContainsFunc(fd.get(&places[i]), func(v string) bool { return slices.Contains(want, v) }) {
						scan = append(scan, places[i].ID)
					}
				}
				if len(want) == 1 && want[0] != "valeur inconnue" && (len(scan) == 0 || len(scan) == len(places)) {
					t.Fatalf("%d of %d places match: the test proves nothing", len(scan), len(places))
				}
				// With and without near: both paths apply the filter.
				got := hitIDs(s.Search(Query{Filter: f}))
				slices.Sort(got)
				if !slices.Equal(got, scan) {
					t.Errorf("Search found %d places, the scan %d; missing %v, extra %v", len(got), len(scan), diff(scan, got), diff(got, scan))
				}
				c := orb.Point{3.06, 50.63}
				got = hitIDs(s.Search(Query{Filter: f, Near: &c, Radius: 100000}))
				slices.Sort(got)
				if !slices.Equal(got, scan) {
					t.Errorf("near search found %d places, the scan %d; missing %v, extra %v", len(got), len(scan), diff(scan, got), diff(got, scan))
				}
			})
		}
	}
}

// TestNearCapEdge puts a place at the easternmost point of the circle of
// the radius, a hair inside it: at high latitude that point lies east of
// radius/cos(latitude) (the circle bulges beyond it, north of the centre),
// and a search box that stops there misses it.
func TestNearCapEdge(t *testing.T) {
	for _, lat := range []float64{50, 70, 80} {
		for _, radius := range []float64{10000, 40000} {
			t.Run(fmt.Sprintf("lat %g radius %g", lat, radius), func(t *testing.T) {
				c := orb.Point{3.06, lat}
				d, phi := radius/orb.EarthRadius, lat*math.Pi/180
				dLon := math.Asin(math.Sin(d)/math.Cos(phi)) * 180 / math.Pi
				edgeLat := math.Asin(math.Sin(phi)/math.Cos(d)) * 180 / math.Pi
				p := orb.Point{c[0] + dLon*(1-1e-7), edgeLat}
				if dist := geo.DistanceHaversine(c, p); dist > radius {
					t.Fatalf("the place is %.6f m away, outside the radius", dist)
				}
				s := New(Data{Version: 1, Places: []cartonum.Place{{ID: "edge", Longitude: p[0], Latitude: p[1]}}})
				if got := hitIDs(s.Search(Query{Near: &c, Radius: radius})); len(got) != 1 {
					t.Errorf("place %.6f° east of the centre, within %g m, not found", p[0]-c[0], radius)
				}
			})
		}
	}
}
