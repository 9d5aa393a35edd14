package standard

import (
	"strings"
	"testing"
)

// TestOutsideNamesTheRegions checks that the rejections and repairs of a
// place outside the territory name the regions of the import, one, several
// or all.
func TestOutsideNamesTheRegions(t *testing.T) {
	paris := with(lilleFields(), "latitude", "48.8566", "longitude", "2.3522", "code_insee", "", "commune", "Paris", "code_postal", "75001")
	// Wattrelos, 1.8 km beyond the fake territory's Roubaix: within the margin.
	near := with(lilleFields(), "latitude", "50.705", "longitude", "3.235", "code_insee", "", "commune", "Wattrelos", "code_postal", "59150")
	for _, tc := range []struct {
		region, rejected, kept, summary string
	}{
		{"32", "lieu hors de la région 32 : le point (48.8566, 2.3522) n'est dans aucune de ses communes ni à moins de 30 km de sa limite",
			"lieu hors de la région 32, à 1,8 km de sa limite : gardé comme offre voisine (compté dans les temps d'accès, pas dans les chiffres de la région 32)",
			"Import de la région 32 :"},
		{"28,32", "lieu hors des régions 28, 32 : le point (48.8566, 2.3522) n'est dans aucune de leurs communes ni à moins de 30 km de leur limite",
			"lieu hors des régions 28, 32, à 1,8 km de leur limite : gardé comme offre voisine (compté dans les temps d'accès, pas dans les chiffres des régions 28, 32)",
			"Import des régions 28, 32 :"},
		{"all", "lieu hors des régions de France : le point (48.8566, 2.3522) n'est dans aucune de leurs communes ni à moins de 30 km de leur limite",
			"lieu hors des régions de France, à 1,8 km de leur limite : gardé comme offre voisine (compté dans les temps d'accès, pas dans les chiffres des régions de France)",
			"Import des régions de France :"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			o := Options{Region: tc.region, Margin: DefaultMargin}
			_, rej := Normalize(Record{Line: 2, Fields: paris}, newFakeTerritory(), o)
			if rej == nil || rej.Reason != tc.rejected {
				t.Errorf("rejection %+v,\nwant %q", rej, tc.rejected)
			}
			p, rej := Normalize(Record{Line: 3, Fields: near}, newFakeTerritory(), o)
			if rej != nil || !p.Provenance.OutsideRegion {
				t.Fatalf("rejected %+v, outside %v: want kept as neighbouring supply", rej, p.Provenance.OutsideRegion)
			}
			if got := p.Provenance.Repairs[0].Message; got != tc.kept {
				t.Errorf("repair %q,\nwant %q", p.Provenance.Repairs[0].Message, tc.kept)
			}
			var b strings.Builder
			(&Report{Region: tc.region}).Summary(&b)
			if !strings.HasPrefix(b.String(), tc.summary) {
				t.Errorf("summary %q, want it to start with %q", b.String(), tc.summary)
			}
		})
	}
}
