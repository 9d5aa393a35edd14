package territory

import (
	"os"
	"strings"
	"testing"
)

func TestReadCommunes(t *testing.T) {
	f, err := os.Open("testdata/communes.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := ReadCommunes(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Code != "2A004" || cs[1].Code != "80021" {
		t.Fatalf("communes %+v, want sorted by code", cs)
	}
	a := cs[1]
	if a.Nom != "Amiens" || a.Population != 135429 || a.CodeEpci != "248000531" || len(a.CodesPostaux) != 3 || len(a.Geometry) != 1 {
		t.Errorf("Amiens read as %+v", a)
	}
	if len(cs[0].Geometry) != 2 {
		t.Errorf("Ajaccio has %d polygons, want 2", len(cs[0].Geometry))
	}
}

func TestReadCommunesErrors(t *testing.T) {
	feature := func(props, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}]}`
	}
	square := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	cases := []struct{ name, in, want string }{
		{"not json", `{`, "not a GeoJSON"},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "empty"},
		{"bad code", feature(`{"code":"ABCDE","nom":"X"}`, square), "invalid commune code"},
		{"no name", feature(`{"code":"80021"}`, square), "missing nom"},
		{"point geometry", feature(`{"code":"80021","nom":"X"}`, `{"type":"Point","coordinates":[0,0]}`), "not a polygon"},
		{"no geometry", feature(`{"code":"80021","nom":"X"}`, `null`), "missing geometry"},
		{"twice", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"80021","nom":"X"},"geometry":` + square + `},{"type":"Feature","properties":{"code":"80021","nom":"X"},"geometry":` + square + `}]}`, "twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCommunes(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestReadEPCIs(t *testing.T) {
	in := `[{"code":"248000531","nom":"CA Amiens Métropole","type":"CA","population":180000,"membres":["80021","80001"]},
	        {"code":"200000001","nom":"CC X","type":"CC","membres":[{"code":"80002","nom":"Y"}]}]`
	es, err := ReadEPCIs(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Code != "200000001" || es[0].Membres[0] != "80002" || es[1].Membres[0] != "80001" {
		t.Fatalf("%+v", es)
	}
	for _, bad := range []string{`[]`, `{}`, `[{"code":"12","nom":"x"}]`, `[{"code":"200000001","membres":[12]}]`} {
		if _, err := ReadEPCIs(strings.NewReader(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestReadDepartements(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"80","nom":"Somme"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`
	ds, err := ReadDepartements(strings.NewReader(in))
	if err != nil || len(ds) != 1 || ds[0].Nom != "Somme" {
		t.Fatalf("%v %+v", err, ds)
	}
	bad := strings.Replace(in, `"80"`, `"800"`, 1)
	if _, err := ReadDepartements(strings.NewReader(bad)); err == nil {
		t.Error("invalid département code accepted")
	}
}
