package standard

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// TestPostcodeRule: a 4-digit postcode gets its leading zero back only when
// that gives one of the commune's postcodes; otherwise the commune's
// postcode is used, or, with no commune to check against, the value is kept
// with a warning.
func TestPostcodeRule(t *testing.T) {
	stQuentin := cartonum.Commune{Code: "02691", Nom: "Saint-Quentin", CodeDepartement: "02", CodeRegion: "32",
		CodesPostaux: []string{"02100"}, Geometry: square(3.25, 49.82, 3.33, 49.87)}
	arras := cartonum.Commune{Code: "62041", Nom: "Arras", CodeDepartement: "62", CodeRegion: "32",
		CodesPostaux: []string{"62000"}, Geometry: square(2.73, 50.27, 2.80, 50.31)}
	terr := index.New(index.Data{Communes: []cartonum.Commune{stQuentin, arras}})
	row := func(commune, code, cp, lat, lon string) map[string]string {
		return map[string]string{"id": "x", "nom": "Lieu", "adresse": "1 rue A", "date_maj": "2024-01-01",
			"commune": commune, "code_insee": code, "code_postal": cp, "latitude": lat, "longitude": lon}
	}
	for _, tc := range []struct {
		name     string
		fields   map[string]string
		want     string // postcode, "" for a rejection
		repaired string // text of the code_postal repair, "" for none
	}{
		{"leading zero restored when it gives the commune's", row("Saint-Quentin", "02691", "2100", "49.85", "3.29"), "02100", "zéro initial rétabli"},
		{"5900 in a Pas-de-Calais commune is never 05900", row("Arras", "62041", "5900", "50.29", "2.77"), "62000", "n'est pas un code postal de la commune"},
		{"4 digits not the commune's with the zero", row("Saint-Quentin", "02691", "2200", "49.85", "3.29"), "02100", "n'est pas un code postal de la commune"},
		{"the commune's postcode, untouched", row("Arras", "62041", "62000", "50.29", "2.77"), "62000", ""},
		{"spaces removed", row("Arras", "62041", "62 000", "50.29", "2.77"), "62000", "corrigé en 62000"},
		{"another 5-digit postcode kept and flagged (CEDEX)", row("Arras", "62041", "62008", "50.29", "2.77"), "62008", "absent de ceux de la commune"},
		{"missing: the commune's", row("Arras", "62041", "", "50.29", "2.77"), "62000", "manquant ou invalide"},
		{"garbage: the commune's", row("Arras", "62041", "ARRAS", "50.29", "2.77"), "62000", "manquant ou invalide"},
		{"outside the region, 4 digits kept with a warning", row("Estaimpuis", "", "7730", "50.40", "2.95"), "7730", "gardé tel quel"},
		{"outside the region, no postcode: rejected", row("Estaimpuis", "", "", "50.40", "2.95"), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, rej := Normalize(Record{Line: 2, Fields: tc.fields}, terr, Options{Region: "32", Margin: DefaultMargin})
			if tc.want == "" {
				if rej == nil || rej.Field != "code_postal" {
					t.Fatalf("want a rejection on code_postal, got %+v, %+v", rej, p.CodePostal)
				}
				return
			}
			if rej != nil {
				t.Fatal(rej)
			}
			if p.CodePostal != tc.want {
				t.Errorf("code_postal %q, want %q", p.CodePostal, tc.want)
			}
			var msgs []string
			for _, r := range p.Provenance.Repairs {
				if r.Field == "code_postal" {
					msgs = append(msgs, r.Message)
				}
			}
			if tc.repaired == "" && len(msgs) > 0 {
				t.Errorf("unexpected repairs %q", msgs)
			}
			if tc.repaired != "" && !strings.Contains(strings.Join(msgs, "\n"), tc.repaired) {
				t.Errorf("repairs %q lack %q", msgs, tc.repaired)
			}
		})
	}
}

// TestLocationMargins: cases just inside and just past the tolerance of a
// point outside its declared commune (3 km) and the region's margin (30 km).
func TestLocationMargins(t *testing.T) {
	arras := cartonum.Commune{Code: "62041", Nom: "Arras", CodeDepartement: "62", CodeRegion: "32",
		CodesPostaux: []string{"62000"}, Geometry: square(2.73, 50.27, 2.80, 50.31)}
	terr := index.New(index.Data{Communes: []cartonum.Commune{arras}})
	kmEast := func(km float64) string { // east of Arras's eastern edge, at 50.29°N
		return strconv.FormatFloat(2.80+km/(6371.0088*math.Pi/180*math.Cos(50.29*math.Pi/180)), 'f', 6, 64)
	}
	for _, tc := range []struct {
		name    string
		code    string
		km      float64
		precise bool
		outside bool
		reject  bool
	}{
		{name: "2.9 km outside the declared commune: point kept", code: "62041", km: 2.9, precise: true},
		{name: "3.1 km outside the declared commune: put in the commune", code: "62041", km: 3.1},
		{name: "29 km outside the region: neighbouring supply", km: 29, precise: true, outside: true},
		{name: "31 km outside the region: rejected", km: 31, reject: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]string{"id": "x", "nom": "Lieu", "adresse": "1 rue A", "date_maj": "2024-01-01",
				"commune": "Ailleurs", "code_insee": tc.code, "code_postal": "62000", "latitude": "50.29", "longitude": kmEast(tc.km)}
			if tc.code != "" {
				f["commune"] = "Arras"
			}
			p, rej := Normalize(Record{Line: 2, Fields: f}, terr, Options{Region: "32", Margin: DefaultMargin})
			if tc.reject {
				if rej == nil {
					t.Fatalf("accepted: %+v", p.Provenance)
				}
				return
			}
			if rej != nil {
				t.Fatal(rej)
			}
			if precise := p.Provenance.Precision == cartonum.PrecisionExact; precise != tc.precise || p.Provenance.OutsideRegion != tc.outside {
				t.Errorf("precision %s, outside %v; repairs %+v", p.Provenance.Precision, p.Provenance.OutsideRegion, p.Provenance.Repairs)
			}
		})
	}
}
