package tileset

import (
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestSitePropsJourneys: a sites tile feature has the display name beside
// the source's, and approx only for a place placed at its commune.
func TestSitePropsJourneys(t *testing.T) {
	exact := siteProps(&cartonum.Place{ID: "a", Nom: "COMMUNE DE LENS", Provenance: cartonum.Provenance{Precision: cartonum.PrecisionExact}})
	if exact["nom"] != "COMMUNE DE LENS" || exact["nom_affiche"] != "Commune de Lens" {
		t.Fatalf("names %v %v", exact["nom"], exact["nom_affiche"])
	}
	if _, ok := exact["approx"]; ok {
		t.Fatal("approx on an exact place")
	}
	approx := siteProps(&cartonum.Place{ID: "b", Nom: "ADOMA_RS", Provenance: cartonum.Provenance{Precision: cartonum.PrecisionCommune}})
	if approx["approx"] != true || approx["nom_affiche"] != "Adoma RS" {
		t.Fatalf("approx place %v", approx)
	}
	for _, l := range Layers {
		if l.ID == Sites {
			for _, f := range []string{"nom_affiche", "approx"} {
				if l.Fields[f] == "" {
					t.Errorf("field %s undocumented in the sites layer", f)
				}
			}
		}
	}
}
