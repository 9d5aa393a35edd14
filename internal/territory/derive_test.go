package territory

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func testNames(t *testing.T) Names {
	t.Helper()
	f, err := os.Open("testdata/names.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := ReadNames(f)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDeriveEPCIs(t *testing.T) {
	names := testNames(t)
	communes := []cartonum.Commune{
		{Code: "14118", CodeDepartement: "14", CodeEpci: "200065597", Population: 100},
		{Code: "14001", CodeDepartement: "14", CodeEpci: "200065597", Population: 10},
		{Code: "14002", CodeDepartement: "14", CodeEpci: "241400415", Population: 7},
		{Code: "14003", CodeDepartement: "14", CodeEpci: "241400415", Population: 5},
		{Code: "50001", CodeDepartement: "50", CodeEpci: "200099999", Population: 3},
		{Code: "50002", CodeDepartement: "50"}, // an island: no EPCI
	}
	got, err := DeriveEPCIs(communes, names)
	if err != nil {
		t.Fatal(err)
	}
	want := []cartonum.EPCI{
		// known: name, type and population from the table
		{Code: "200065597", Nom: "CU Caen la Mer", Type: "CU", Population: 270000, Membres: []string{"14001", "14118"}},
		// unknown: no name, population summed
		{Code: "200099999", Population: 3, Membres: []string{"50001"}},
		// known without population: summed
		{Code: "241400415", Nom: "CC sans population", Type: "CC", Population: 12, Membres: []string{"14002", "14003"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	t.Run("no names", func(t *testing.T) {
		got, err := DeriveEPCIs(communes, Names{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Nom != "" || got[0].Population != 110 {
			t.Errorf("got %+v, want 3 EPCI without names, populations summed", got)
		}
	})
	t.Run("invalid SIREN", func(t *testing.T) {
		_, err := DeriveEPCIs([]cartonum.Commune{{Code: "14001", CodeDepartement: "14", CodeEpci: "2000"}}, names)
		if err == nil || !strings.Contains(err.Error(), "14001") {
			t.Errorf("err = %v, want the commune named", err)
		}
	})
}

func TestDeriveDepartements(t *testing.T) {
	names := testNames(t)
	cases := []struct {
		name     string
		communes []cartonum.Commune
		want     []cartonum.Departement
		err      string
	}{
		{"named and sorted", []cartonum.Commune{{Code: "50001", CodeDepartement: "50"}, {Code: "14001", CodeDepartement: "14"}, {Code: "14002", CodeDepartement: "14"}},
			[]cartonum.Departement{{Code: "14", Nom: "Calvados"}, {Code: "50", Nom: "Manche"}}, ""},
		{"unknown name kept empty", []cartonum.Commune{{Code: "2A004", CodeDepartement: "2A"}},
			[]cartonum.Departement{{Code: "2A"}}, ""},
		{"missing code", []cartonum.Commune{{Code: "14001"}}, nil, "codeDepartement"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DeriveDepartements(tc.communes, names)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestReadNamesErrors(t *testing.T) {
	for name, in := range map[string]string{"not json": "{", "empty": `{"source":"x"}`} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadNames(strings.NewReader(in)); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestBuiltinNames checks the table embedded by `make build` (generated from
// @etalab/decoupage-administratif). Built without it, the names are unknown;
// on CI, where `make test` generates it first, that is a failure.
func TestBuiltinNames(t *testing.T) {
	n, err := BuiltinNames()
	if err != nil {
		t.Fatal(err)
	}
	if n.Source == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no names table embedded: run `make build` (node web/scripts/territory-names.mjs)")
		}
		t.Skip("no names table embedded (make build generates it)")
	}
	if n.Departements["59"] != "Nord" || n.Departements["2A"] != "Corse-du-Sud" {
		t.Errorf("départements 59, 2A: %q, %q", n.Departements["59"], n.Departements["2A"])
	}
	lille := n.EPCI["200093201"] // Métropole Européenne de Lille
	if lille.Type != "METRO" || lille.Population < 1_000_000 || !strings.Contains(lille.Nom, "Lille") {
		t.Errorf("Lille's EPCI: %+v", lille)
	}
}
