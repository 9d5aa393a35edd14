package index

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestFilterExtraColumns: the filters on the extra columns keep the places
// holding any of the wanted values, and combine with the other filters.
func TestFilterExtraColumns(t *testing.T) {
	communes := []cartonum.Commune{{Code: "59001", Nom: "A", Geometry: square(3.0, 50.0, 0.1)}}
	places := []cartonum.Place{
		{ID: "wifi", Nom: "Wifi", Longitude: 3.05, Latitude: 50.05, CodeInsee: "59001",
			Equipements: []string{"Wifi"}, Services: []string{"Loisirs et créations numériques"}},
		{ID: "impr", Nom: "Imprimante", Longitude: 3.06, Latitude: 50.05, CodeInsee: "59001",
			Equipements: []string{"Imprimante", "Scanner"}, Qualifications: []string{"Pass numérique (APTIC)"}},
		{ID: "picto", Nom: "Picto", Longitude: 3.07, Latitude: 50.05, CodeInsee: "59001",
			Qualifications: []string{"PictoAccess"}},
		{ID: "rien", Nom: "Rien", Longitude: 3.08, Latitude: 50.05, CodeInsee: "59001"},
	}
	s := New(Data{Communes: communes, Places: places})
	for _, tc := range []struct {
		name   string
		filter Filter
		want   []string
	}{
		{"one equipment", Filter{Equipements: []string{"Wifi"}}, []string{"wifi"}},
		{"any of two equipments", Filter{Equipements: []string{"Wifi", "Scanner"}}, []string{"impr", "wifi"}},
		{"equipment nobody has", Filter{Equipements: []string{"Tablette"}}, nil},
		{"qualification", Filter{Qualifications: []string{"PictoAccess"}}, []string{"picto"}},
		{"equipment and qualification", Filter{Equipements: []string{"Imprimante", "Wifi"}, Qualifications: []string{"Pass numérique (APTIC)"}}, []string{"impr"}},
		{"equipment and service", Filter{Equipements: []string{"Imprimante", "Wifi"}, Services: []string{"Loisirs et créations numériques"}}, []string{"wifi"}},
		{"no filter", Filter{}, []string{"impr", "picto", "rien", "wifi"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			centre := orb.Point{3.05, 50.05}
			res := s.Search(Query{Filter: tc.filter, Near: &centre, Radius: 50000, Limit: 10})
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Place.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || res.Total != len(tc.want) {
				t.Errorf("got %v (total %d), want %v", got, res.Total, tc.want)
			}
		})
	}
}
