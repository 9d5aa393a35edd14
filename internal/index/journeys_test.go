package index

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func TestOSA(t *testing.T) {
	for _, c := range []struct {
		a, b string
		tol  int
		want int
	}{
		{"abbevile", "abbeville", 2, 1},
		{"amien", "amiens", 1, 1},
		{"beauvias", "beauvais", 1, 1}, // transposition
		{"abc", "abc", 1, 0},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // capped at tol+1
		{"abcdef", "ab", 2, 3},
	} {
		if got := osa(c.a, c.b, c.tol); got != c.want {
			t.Errorf("osa(%q, %q, %d) = %d, want %d", c.a, c.b, c.tol, got, c.want)
		}
	}
}

// TestSearchCommunesTypos runs the search box on the region's communes.
func TestSearchCommunesTypos(t *testing.T) {
	s := realSnapshot(t)
	for _, c := range []struct{ q, want string }{
		{"abbevile", "Abbeville"},
		{"amien", "Amiens"},
		{"beauvai", "Beauvais"},
		{"beauvias", "Beauvais"},
		{"abbeville", "Abbeville"},
		{"st quentin", "Saint-Quentin"},
		{"grandvilier", "Grandvilliers"},
		{"compiegne", "Compiègne"},
	} {
		got := s.SearchCommunes(c.q, 8)
		if len(got) == 0 || got[0].Commune.Nom != c.want {
			var names []string
			for _, m := range got {
				names = append(names, m.Commune.Nom)
			}
			t.Errorf("SearchCommunes(%q) = %v, want %s first", c.q, names, c.want)
		}
	}
	// Exact and prefix before fuzzy: "laon" is Laon, not a typo of another.
	if got := s.SearchCommunes("laon", 3); len(got) == 0 || got[0].Commune.Nom != "Laon" || got[0].Fuzzy {
		t.Errorf("laon: %+v", got)
	}
}

func TestSearchPlaces(t *testing.T) {
	s := testSnapshot()
	got := s.SearchPlaces("mediatheque", 5)
	if len(got) != 1 || got[0].Place.ID != "c" {
		t.Fatalf("SearchPlaces(mediatheque) = %+v", got)
	}
	if got := s.SearchPlaces("zzz", 5); len(got) != 0 {
		t.Fatalf("zzz: %+v", got)
	}
}

// TestNearestBeyondRadius: nothing within the radius gives the k nearest
// matching places, flagged by being in Result.Nearest, filters respected.
func TestNearestBeyondRadius(t *testing.T) {
	s := testSnapshot()
	c := orb.Point{3.05, 50.3} // ~28 km north of the places
	res := s.Search(Query{Near: &c, Radius: 10000, Nearest: 2, Limit: 10})
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Fatalf("hits within 10 km: %+v", res)
	}
	if len(res.Nearest) != 2 || res.Nearest[0].Place.ID != "c" || res.Nearest[1].Place.ID != "a" {
		t.Fatalf("nearest = %+v", res.Nearest)
	}
	if res.Nearest[0].Distance < 10000 || res.Nearest[0].Distance > res.Nearest[1].Distance {
		t.Fatalf("distances %v %v", res.Nearest[0].Distance, res.Nearest[1].Distance)
	}
	// Filters apply: only the places offering the service.
	q := Query{Near: &c, Radius: 10000, Nearest: 3, Limit: 10}
	q.Services = []string{"Aide aux démarches administratives"}
	res = s.Search(q)
	var ids []string
	for _, h := range res.Nearest {
		ids = append(ids, h.Place.ID)
	}
	if fmt.Sprint(ids) != "[c b]" {
		t.Fatalf("filtered nearest = %v", ids)
	}
	// Not asked, or something within the radius: no Nearest.
	if res := s.Search(Query{Near: &c, Radius: 10000, Limit: 10}); res.Nearest != nil {
		t.Fatal("Nearest without asking")
	}
	if res := s.Search(Query{Near: &c, Radius: 40000, Nearest: 3, Limit: 10}); res.Total == 0 || res.Nearest != nil {
		t.Fatalf("Nearest while places within the radius: %+v", res)
	}
	// Nothing at all within reach: empty, not an endless search.
	far := orb.Point{-60, 10}
	if res := s.Search(Query{Near: &far, Radius: 1000, Nearest: 3}); len(res.Nearest) != 0 {
		t.Fatal("nearest beyond reach")
	}
}

// TestApproximateSortedAfterExact: a place placed at its commune's anchor
// does not head the list at a few metres; exact places nearer than its
// commune's radius come first.
func TestApproximateSortedAfterExact(t *testing.T) {
	commune := cartonum.Commune{Code: "80001", Nom: "Ville", Geometry: square(2.0, 50.0, 0.1)} // ~7 × 11 km
	anchorPt := anchor(commune.Geometry)
	places := []cartonum.Place{
		{ID: "approx", Nom: "Mairie", CodeInsee: "80001", Longitude: anchorPt[0], Latitude: anchorPt[1],
			Provenance: cartonum.Provenance{Precision: cartonum.PrecisionCommune}},
		{ID: "exact", Nom: "EPN", CodeInsee: "80001", Longitude: anchorPt[0] + 0.02, Latitude: anchorPt[1],
			Provenance: cartonum.Provenance{Precision: cartonum.PrecisionExact}},
		{ID: "far", Nom: "Loin", CodeInsee: "80001", Longitude: anchorPt[0] + 0.2, Latitude: anchorPt[1],
			Provenance: cartonum.Provenance{Precision: cartonum.PrecisionExact}},
	}
	s := New(Data{Communes: []cartonum.Commune{commune}, Places: places})
	r := s.communeRadius["80001"]
	if r < 4500 || r > 5500 { // sqrt(7.2 km × 11.1 km / π) ≈ 5 km
		t.Fatalf("commune radius %v", r)
	}
	c := orb.Point{anchorPt[0] + 0.0001, anchorPt[1]}
	res := s.Search(Query{Near: &c, Radius: 30000})
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.Place.ID)
	}
	if fmt.Sprint(ids) != "[exact approx far]" {
		t.Fatalf("order %v", ids)
	}
	if !res.Hits[1].Approx || res.Hits[0].Approx || math.IsNaN(res.Hits[1].Distance) || res.Hits[1].Distance > 20 {
		t.Fatalf("approx hit %+v", res.Hits[1])
	}
}
