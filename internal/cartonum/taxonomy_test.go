package cartonum

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestWebTaxonomy: the web app's filter values (web/src/taxonomy.ts) are
// the standard's vocabularies and those of the extra columns, spelled as here (the app may order them for
// its users: France Services first).
func TestWebTaxonomy(t *testing.T) {
	src, err := os.ReadFile("../../web/src/taxonomy.ts")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	i := strings.Index(text, "export const FACETS")
	if i < 0 {
		t.Fatal("FACETS not found in web/src/taxonomy.ts")
	}
	text = text[i:]
	facet := regexp.MustCompile(`(?s)param: '([a-z_]+)',.*?values: \[(.*?)\]`)
	quoted := regexp.MustCompile(`'([^']*)'|"([^"]*)"`)
	want := map[string]*Vocabulary{
		"services": Services, "publics": Publics, "prise_en_charge": PriseEnCharge, "frais": Frais,
		"modalites_accompagnement": ModalitesAccompagnement, "modalites_acces": ModalitesAcces,
		"dispositifs": Dispositifs, "equipements": Equipements, "qualifications": Qualifications,
	}
	seen := map[string]bool{}
	for _, m := range facet.FindAllStringSubmatch(text, -1) {
		v, ok := want[m[1]]
		if !ok {
			t.Errorf("facet %q has no vocabulary in Go", m[1])
			continue
		}
		seen[m[1]] = true
		var got []string
		for _, q := range quoted.FindAllStringSubmatch(m[2], -1) {
			got = append(got, q[1]+q[2])
		}
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, slices.Sorted(slices.Values(v.Values))) {
			t.Errorf("facet %s: web %q\nGo %q", m[1], got, v.Values)
		}
	}
	for p := range want {
		if !seen[p] {
			t.Errorf("facet %s missing from the web app", p)
		}
	}
}
