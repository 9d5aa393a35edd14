package importing

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Two regions in one import: the synthetic region 28 (communes and places,
// no EPCI file) and two communes of region 32 with one EPCI file.
const (
	communes28 = "testdata/communes-28.geojson"
	communes32 = "testdata/communes-32-two.geojson"
	epci32     = "testdata/epci-32-one.json"
	places28   = "testdata/lieux-28-v1.csv"
	places32   = "testdata/lieux-32-two.csv"
)

func TestImportRegions(t *testing.T) {
	for _, tc := range []struct {
		name, region string
		communes     int
		leftOut      map[string]int
		epci         []string // codes of the stored EPCI
		deps         []string
		imported     int // places imported, of the 13 rows
		amiens       string
	}{
		{name: "two regions", region: "28,32", communes: 11,
			epci: []string{"200042604", "200065597", "200067205", "200070993", "200099999", "241400555", "248000531"},
			deps: []string{"14", "50", "80"}, imported: 13, amiens: "CA Amiens Métropole"},
		{name: "all", region: "all", communes: 11,
			epci: []string{"200042604", "200065597", "200067205", "200070993", "200099999", "241400555", "248000531"},
			deps: []string{"14", "50", "80"}, imported: 13, amiens: "CA Amiens Métropole"},
		{name: "list in any order", region: " 32, 28,32", communes: 11,
			epci: []string{"200042604", "200065597", "200067205", "200070993", "200099999", "241400555", "248000531"},
			deps: []string{"14", "50", "80"}, imported: 13, amiens: "CA Amiens Métropole"},
		{name: "one of the two", region: "28", communes: 9, leftOut: map[string]int{"32": 2},
			epci: []string{"200042604", "200065597", "200067205", "200099999", "241400555"},
			deps: []string{"14", "50"}, imported: 11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openStore(t)
			ctx := context.Background()
			res, err := (&Service{Store: db}).Import(ctx, Request{Region: tc.region,
				Communes: []string{communes28, communes32}, EPCI: []string{epci32},
				Places: []string{places28, places32}, Margin: 1000})
			if err != nil {
				t.Fatal(err)
			}
			c := res.Report.Communes
			if c == nil || c.Read != 11 || c.Kept != tc.communes || !maps.Equal(c.LeftOut, tc.leftOut) || res.Communes != tc.communes {
				t.Errorf("communes %+v, %d written; want 11 read, %d kept, left out %v", c, res.Communes, tc.communes, tc.leftOut)
			}
			tot := res.Report.Totals
			if tot.RowsRead != 13 || tot.Imported != tc.imported || tot.Imported+tot.Merged+tot.Conflicts+tot.Rejected != tot.RowsRead {
				t.Errorf("totals %+v, want 13 rows, %d imported, every row accounted for", tot, tc.imported)
			}
			ds, err := db.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var epci, deps []string
			names := map[string]string{}
			for _, e := range ds.EPCIs {
				epci = append(epci, e.Code)
				names[e.Code] = e.Nom
			}
			for _, d := range ds.Departements {
				deps = append(deps, d.Code)
			}
			slices.Sort(epci)
			if !slices.Equal(epci, tc.epci) || !slices.Equal(deps, tc.deps) || names["248000531"] != tc.amiens {
				t.Errorf("EPCI %v (Amiens %q), départements %v; want %v (%q), %v", epci, names["248000531"], deps, tc.epci, tc.amiens, tc.deps)
			}
			if tc.leftOut != nil {
				for _, row := range res.Report.Files[1].Rows {
					if row.Rejection == nil || !strings.Contains(row.Rejection.Reason, "hors de la région 28") {
						t.Errorf("row %d of region 32 with --region 28: %+v, want rejected outside region 28", row.Line, row.Rejection)
					}
				}
			}
			ims, err := db.Imports(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[string]string{"28,32": "28,32", "all": "all", " 32, 28,32": "28,32", "28": "28"}[tc.region]; ims[0].Region != want {
				t.Errorf("import recorded for region %q, want %q", ims[0].Region, want)
			}
		})
	}
}

func TestImportRegionsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  Request
		want string
	}{
		{"unknown code", Request{Region: "28,99", Communes: []string{communes28}}, "code de région « 99 » inconnu"},
		{"a region without its communes", Request{Region: "28,32", Communes: []string{communes28}}, "aucune commune de la région 32"},
		{"no commune of the region", Request{Region: "11", Communes: []string{communes28, communes32}}, "aucune commune de la région 11"},
		{"a commune in two files", Request{Region: "28", Communes: []string{communes28, communes28}}, "commune 14047 présente dans"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.req, nil)
			if cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want invalid input saying %q", err, tc.want)
			}
		})
	}
}

// TestPlacesOnlyImportNamesTheStoredRegions: places imported against the
// communes of regions 28 and 32 already stored need --region 28,32 (or
// all): --region 28 would normalise them against region 32's communes
// while naming region 28 alone.
func TestPlacesOnlyImportNamesTheStoredRegions(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	if _, err := svc.Import(ctx, Request{Region: "28,32", Communes: []string{communes28, communes32}}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Import(ctx, Request{Region: "28", Places: []string{places32}})
	if cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), "--region 28,32") {
		t.Errorf("--region 28 on a database of 28 and 32: %v, want invalid input suggesting --region 28,32", err)
	}
	for _, region := range []string{"28,32", "all"} {
		res, err := svc.Import(ctx, Request{Region: region, Places: []string{places32}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Report.Totals.Rejected != 0 || res.Report.Communes != nil {
			t.Errorf("--region %s: %+v, communes %+v; want no rejection and no communes file", region, res.Report.Totals, res.Report.Communes)
		}
	}
}

// TestPlacesWithoutCommunes: places imported into an empty store say which
// communes files the regions need.
func TestPlacesWithoutCommunes(t *testing.T) {
	for _, tc := range []struct{ region, want string }{
		{"32", "aucune commune pour la région 32 : importez-les d'abord ou avec les lieux (--communes communes-32.geojson)"},
		{"28,32", "aucune commune pour les régions 28, 32 : importez-les d'abord ou avec les lieux (--communes communes-28.geojson --communes communes-32.geojson)"},
		{"all", "aucune commune pour les régions de France : importez-les d'abord ou avec les lieux (--communes communes.geojson)"},
	} {
		_, err := (&Service{Store: openStore(t)}).Import(context.Background(), Request{Region: tc.region, Places: []string{places28}})
		if cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--region %s: %v, want %q", tc.region, err, tc.want)
		}
	}
}

// TestCommunesKeepTheStoredRegions: communes replacing those of a database
// of regions 28 and 32 must keep both while places lie in them.
func TestCommunesKeepTheStoredRegions(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	if _, err := svc.Import(ctx, Request{Region: "28,32", Communes: []string{communes28, communes32}, Places: []string{places28}}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Import(ctx, Request{Region: "32", Communes: []string{communes32}})
	if cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), "11 de la région 28") || !strings.Contains(err.Error(), "--region 28,32") {
		t.Errorf("region 28's communes dropped under its 11 places: %v, want invalid input naming them", err)
	}
	// Region 32 holds no place: its communes may go.
	if _, err := svc.Import(ctx, Request{Region: "28", Communes: []string{communes28}}); err != nil {
		t.Errorf("region 32 without places dropped: %v", err)
	}
}

// TestPlacesOnlyImportOfAnotherRegion: places imported with --region 32
// (the default) into a database of region 28 are refused, naming --region 28.
func TestPlacesOnlyImportOfAnotherRegion(t *testing.T) {
	db := openStore(t)
	ctx := context.Background()
	svc := &Service{Store: db}
	if _, err := svc.Import(ctx, Request{Region: "28", Communes: []string{communes28}}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Import(ctx, Request{Region: "32", Places: []string{places28}})
	want := "la base contient les communes de la région 28, hors de --region 32 : importez avec --region 28 (ou all)"
	if cartonum.KindOf(err) != cartonum.KindInvalid || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}
