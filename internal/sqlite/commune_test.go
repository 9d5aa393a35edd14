package sqlite

import (
	"context"
	"reflect"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/paulmach/orb"
)

func TestCommuneRoundTrip(t *testing.T) {
	square := func(x, y, d float64) orb.Ring {
		return orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
	}
	withHoles := testCommune("06120")
	withHoles.Nom = "Saint-Étienne-de-Tinée"
	withHoles.Geometry = orb.MultiPolygon{
		{square(7.0, 44.2, 0.2), square(7.05, 44.25, 0.02), square(7.1, 44.3, 0.03)},
		{square(7.3, 44.2, 0.05)},
		{square(7.4, 44.2, 0.05), square(7.41, 44.21, 0.01)},
	}
	odd := testCommune("94038")
	odd.Nom = "L'Haÿ-les-Roses"
	odd.CodesPostaux = []string{"94240", "94241"}
	odd.CodeEpci = ""
	odd.Geometry = orb.MultiPolygon{{{
		{2.3371245, 48.7793391}, {2.3371245000000003, 48.77933910000001}, {-0.000001, -89.999999}, {2.3371245, 48.7793391},
	}}}
	noGeometry := testCommune("97501")
	noGeometry.Geometry = nil
	noPostaux := testCommune("32013")
	noPostaux.CodesPostaux = []string{}
	noPostauxWant := noPostaux
	noPostauxWant.CodesPostaux = nil

	for _, tc := range []struct {
		name     string
		in, want cartonum.Commune
		bbox     [4]float64 // min lon, min lat, max lon, max lat; zero when no geometry
	}{
		{"multipolygon with holes", withHoles, withHoles, bboxOf(withHoles.Geometry)},
		{"accents and precise coordinates", odd, odd, [4]float64{-0.000001, -89.999999, 2.3371245000000003, 48.77933910000001}},
		{"no geometry", noGeometry, noGeometry, [4]float64{}},
		{"empty postal codes load as nil", noPostaux, noPostauxWant, [4]float64{0.5, 43.6, 0.7, 43.7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			mustApply(t, db, Batch{Communes: []cartonum.Commune{tc.in}})
			got, err := db.Communes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], tc.want) {
				t.Errorf("Communes:\n got %#v\nwant [%#v]", got, tc.want)
			}

			var minLon, minLat, maxLon, maxLat *float64
			if err := db.read.QueryRowContext(ctx, `SELECT min_lon, min_lat, max_lon, max_lat FROM communes`).
				Scan(&minLon, &minLat, &maxLon, &maxLat); err != nil {
				t.Fatal(err)
			}
			if tc.in.Geometry == nil {
				if minLon != nil || minLat != nil || maxLon != nil || maxLat != nil {
					t.Errorf("bbox of a commune without geometry is not NULL")
				}
				return
			}
			if got := [4]float64{*minLon, *minLat, *maxLon, *maxLat}; got != tc.bbox {
				t.Errorf("bbox = %v, want %v", got, tc.bbox)
			}
		})
	}
}

// TestTerritories checks the replace rule of territories: nil keeps a
// table, a list replaces it.
func TestTerritories(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	dep := cartonum.Departement{Code: "2A", Nom: "Corse-du-Sud", Geometry: testCommune("2A004").Geometry}
	epci := cartonum.EPCI{Code: "242010056", Nom: "CA du Pays Ajaccien", Type: "CA", Population: 84000, Membres: []string{"2A004", "2A017"}}
	communes := []cartonum.Commune{testCommune("2A017"), testCommune("2A004")}

	for _, step := range []struct {
		name         string
		batch        Batch
		communes     []string
		epci         []cartonum.EPCI
		departements []cartonum.Departement
	}{
		{
			name:         "first import",
			batch:        Batch{Communes: communes, EPCIs: []cartonum.EPCI{epci}, Departements: []cartonum.Departement{dep}},
			communes:     []string{"2A004", "2A017"},
			epci:         []cartonum.EPCI{epci},
			departements: []cartonum.Departement{dep},
		},
		{
			name:         "nil keeps everything",
			batch:        Batch{Upserts: []cartonum.Place{testPlace("p")}},
			communes:     []string{"2A004", "2A017"},
			epci:         []cartonum.EPCI{epci},
			departements: []cartonum.Departement{dep},
		},
		{
			name:         "list replaces",
			batch:        Batch{Communes: communes[:1], Departements: []cartonum.Departement{}},
			communes:     []string{"2A017"},
			epci:         []cartonum.EPCI{epci},
			departements: nil,
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			mustApply(t, db, step.batch)
			cs, err := db.Communes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, c := range cs {
				codes = append(codes, c.Code)
			}
			if !reflect.DeepEqual(codes, step.communes) {
				t.Errorf("communes %v, want %v", codes, step.communes)
			}
			es, err := db.EPCIs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(es, step.epci) {
				t.Errorf("EPCIs %#v, want %#v", es, step.epci)
			}
			ds, err := db.Departements(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ds, step.departements) {
				t.Errorf("departements %#v, want %#v", ds, step.departements)
			}
		})
	}
}

// bboxOf returns the bounds of mp as min lon, min lat, max lon, max lat.
func bboxOf(mp orb.MultiPolygon) [4]float64 {
	b := mp.Bound()
	return [4]float64{b.Min.Lon(), b.Min.Lat(), b.Max.Lon(), b.Max.Lat()}
}
