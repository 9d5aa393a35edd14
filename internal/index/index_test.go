package index

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func square(x0, y0, size float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}}}
}

// testSnapshot: three communes side by side around (3°E, 50°N), a
// C-shaped one whose centroid lies outside it, and places.
func testSnapshot() *Snapshot {
	cShape := orb.MultiPolygon{{{{3.3, 50}, {3.4, 50}, {3.4, 50.02}, {3.32, 50.02}, {3.32, 50.08}, {3.4, 50.08}, {3.4, 50.1}, {3.3, 50.1}, {3.3, 50}}}}
	communes := []cartonum.Commune{
		{Code: "59001", Nom: "Saint-Amand", CodeDepartement: "59", CodeEpci: "200000001", CodesPostaux: []string{"59230"}, Population: 16000, Geometry: square(3.0, 50.0, 0.1)},
		{Code: "59002", Nom: "Amandinois", CodeDepartement: "59", CodeEpci: "200000001", CodesPostaux: []string{"59231"}, Population: 900, Geometry: square(3.1, 50.0, 0.1)},
		{Code: "62001", Nom: "Sainte-Marie", CodeDepartement: "62", CodeEpci: "200000002", CodesPostaux: []string{"62100", "62101"}, Population: 3000, Geometry: square(3.2, 50.0, 0.1)},
		{Code: "62002", Nom: "Crochet", CodeDepartement: "62", CodeEpci: "200000002", CodesPostaux: []string{"62200"}, Population: 100, Geometry: cShape},
	}
	place := func(id, nom string, lon, lat float64, code string, services ...string) cartonum.Place {
		return cartonum.Place{ID: id, Nom: nom, Commune: "X", Longitude: lon, Latitude: lat, CodeInsee: code, Services: services,
			Provenance: cartonum.Provenance{SourceIDs: []string{id, id + "-bis"}}}
	}
	places := []cartonum.Place{
		place("c", "Médiathèque Centrale", 3.05, 50.05, "59001", "Aide aux démarches administratives"),
		place("a", "CCAS", 3.06, 50.05, "59001"),
		place("b", "Espace numérique", 3.15, 50.05, "59002", "Aide aux démarches administratives"),
		place("d", "France Services", 3.25, 50.05, "62001"),
	}
	return New(Data{Version: 7, Communes: communes, Places: places})
}

func TestCommuneAt(t *testing.T) {
	s := testSnapshot()
	cases := []struct {
		name string
		p    orb.Point
		want string
	}{
		{"inside the first", orb.Point{3.05, 50.05}, "59001"},
		{"inside the third", orb.Point{3.25, 50.09}, "62001"},
		{"in the bounding box but the notch of the C", orb.Point{3.36, 50.05}, ""},
		{"in the C", orb.Point{3.31, 50.05}, "62002"},
		{"outside everything", orb.Point{2.5, 49}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := s.CommuneAt(tc.p)
			got := ""
			if ok {
				got = c.Code
			}
			if got != tc.want {
				t.Errorf("CommuneAt(%v) = %q, want %q", tc.p, got, tc.want)
			}
		})
	}
}

func TestAnchorInside(t *testing.T) {
	s := testSnapshot()
	for _, c := range s.Communes() {
		p, ok := s.Anchor(c.Code)
		if !ok || !planar.MultiPolygonContains(c.Geometry, p) {
			t.Errorf("anchor %v of %s is not inside it", p, c.Code)
		}
	}
}

func TestSearch(t *testing.T) {
	s := testSnapshot()
	near := orb.Point{3.05, 50.05}
	ids := func(r Result) []string {
		var out []string
		for _, h := range r.Hits {
			out = append(out, h.Place.ID)
		}
		return out
	}
	cases := []struct {
		name  string
		q     Query
		want  []string
		total int
	}{
		{"all by name", Query{}, []string{"a", "b", "d", "c"}, 4},
		{"near sorted by distance within radius", Query{Near: &near, Radius: 12000}, []string{"c", "a", "b"}, 3},
		{"near with a small radius", Query{Near: &near, Radius: 500}, []string{"c"}, 1},
		{"bbox", Query{BBox: &orb.Bound{Min: orb.Point{3.1, 50}, Max: orb.Point{3.3, 50.1}}}, []string{"b", "d"}, 2},
		{"service", Query{Filter: Filter{Services: []string{"Aide aux démarches administratives"}}}, []string{"b", "c"}, 2},
		{"epci", Query{Filter: Filter{EPCIs: []string{"200000002"}}}, []string{"d"}, 1},
		{"departement", Query{Filter: Filter{Departements: []string{"59"}}}, []string{"a", "b", "c"}, 3},
		{"text, accents and case ignored", Query{Filter: Filter{Text: "MEDIATHEQUE centrale"}}, []string{"c"}, 1},
		{"page", Query{Limit: 2, Offset: 1}, []string{"b", "d"}, 4},
		{"offset past the end", Query{Offset: 10}, nil, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Search(tc.q)
			if got := ids(r); r.Total != tc.total || len(got) != len(tc.want) || (len(got) > 0 && !equal(got, tc.want)) {
				t.Errorf("got %v (total %d), want %v (total %d)", got, r.Total, tc.want, tc.total)
			}
			for _, h := range r.Hits {
				if tc.q.Near == nil && !math.IsNaN(h.Distance) {
					t.Errorf("distance %g without near", h.Distance)
				}
			}
		})
	}
}

func TestPlaceBySourceID(t *testing.T) {
	s := testSnapshot()
	if p, ok := s.Place("b-bis"); !ok || p.ID != "b" {
		t.Fatalf("Place(b-bis) = %v, %v", p, ok)
	}
	if _, ok := s.Place("zz"); ok {
		t.Fatal("unknown id found")
	}
	if s.PlacesIn("59001") != 2 || s.Version() != 7 {
		t.Fatal("counts or version wrong")
	}
}

func TestSearchCommunes(t *testing.T) {
	s := testSnapshot()
	cases := []struct {
		q    string
		want []string
	}{
		{"saint-amand", []string{"59001"}},
		{"st amand", []string{"59001"}},
		{"ste marie", []string{"62001"}},
		{"sainte", []string{"62001", "59001"}}, // prefix, then "sainta(mand)" one typo away
		{"amand", []string{"59002", "59001"}},  // prefix of the name first, then of a word
		{"6210", []string{"62001"}},
		{"62101", []string{"62001"}},
		{"59", []string{"59001", "59002"}},
		{"xyz", nil},
		{"saint-amant", []string{"59001"}}, // one typo
		{"amandinoi", []string{"59002"}},
		{"amandinios", []string{"59002"}}, // a transposition
		{"crochte", []string{"62002"}},
		{"croc", []string{"62002"}},
		{"crocx", nil}, // 5 letters: one typo of the whole name or none
		{"   ", nil},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			var got []string
			for _, m := range s.SearchCommunes(tc.q, 10) {
				got = append(got, m.Commune.Code)
			}
			if !equal(got, tc.want) {
				t.Errorf("SearchCommunes(%q) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func TestIndexSwap(t *testing.T) {
	a, b := testSnapshot(), New(Data{Version: 8})
	idx := NewIndex(a)
	if idx.Current() != a {
		t.Fatal("not the first snapshot")
	}
	idx.Swap(b)
	if idx.Current() != b || len(idx.Current().Places()) != 0 {
		t.Fatal("swap not seen")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
