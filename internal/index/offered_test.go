package index

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestFranceServicesOfferDemarches: the France Services label guarantees
// help with administrative procedures, so the services filter finds France
// Services places whose source omits that service; their record keeps the
// source's values.
func TestFranceServicesOfferDemarches(t *testing.T) {
	communes := []cartonum.Commune{{Code: "59001", Nom: "A", Geometry: square(3.0, 50.0, 0.1)}}
	places := []cartonum.Place{
		{ID: "fs", Nom: "France Services", Longitude: 3.05, Latitude: 50.05, CodeInsee: "59001",
			Services: []string{"Maîtrise des outils numériques du quotidien"}, Dispositifs: []string{"France Services"}},
		{ID: "cn", Nom: "Conseiller", Longitude: 3.06, Latitude: 50.05, CodeInsee: "59001",
			Services: []string{"Maîtrise des outils numériques du quotidien"}, Dispositifs: []string{"Conseillers numériques"}},
		{ID: "dem", Nom: "Démarches", Longitude: 3.07, Latitude: 50.05, CodeInsee: "59001",
			Services: []string{"Aide aux démarches administratives"}},
	}
	s := New(Data{Communes: communes, Places: places})
	for _, tc := range []struct {
		name     string
		services []string
		want     []string
	}{
		{"démarches includes France Services", []string{"Aide aux démarches administratives"}, []string{"dem", "fs"}},
		{"other services unchanged", []string{"Maîtrise des outils numériques du quotidien"}, []string{"cn", "fs"}},
		{"no filter", nil, []string{"cn", "dem", "fs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			centre := orb.Point{3.05, 50.05}
			res := s.Search(Query{Filter: Filter{Services: tc.services}, Near: &centre, Radius: 50000, Limit: 10})
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Place.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if p, _ := s.Place("fs"); !slices.Equal(p.Services, []string{"Maîtrise des outils numériques du quotidien"}) {
		t.Errorf("the record's services changed: %v", p.Services)
	}
}
