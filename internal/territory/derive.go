package territory

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// DeriveEPCIs returns the EPCI the communes belong to, for a region given
// without an EPCI file: membership comes from each commune's codeEpci
// (communes without one belong to no EPCI), name and type from names. The
// population is the one names gives, as in the files of `cartonum
// download`, else the sum of the member communes'. An EPCI names does not
// know keeps an empty name (its code is shown). The result is sorted by
// code, members too.
func DeriveEPCIs(communes []cartonum.Commune, names Names) ([]cartonum.EPCI, error) {
	byCode := make(map[string]*cartonum.EPCI)
	var codes []string
	for _, c := range communes {
		if c.CodeEpci == "" {
			continue
		}
		if !cartonum.ValidSIREN(c.CodeEpci) {
			return nil, fmt.Errorf("commune %s: codeEpci %q is not a SIREN", c.Code, c.CodeEpci)
		}
		e, ok := byCode[c.CodeEpci]
		if !ok {
			n := names.EPCI[c.CodeEpci]
			e = &cartonum.EPCI{Code: c.CodeEpci, Nom: n.Nom, Type: n.Type, Population: n.Population}
			byCode[c.CodeEpci] = e
			codes = append(codes, c.CodeEpci)
		}
		e.Membres = append(e.Membres, c.Code)
	}
	slices.Sort(codes)
	out := make([]cartonum.EPCI, 0, len(codes))
	pop := make(map[string]int, len(communes))
	for _, c := range communes {
		pop[c.Code] = c.Population
	}
	for _, code := range codes {
		e := byCode[code]
		slices.Sort(e.Membres)
		if e.Population == 0 {
			for _, m := range e.Membres {
				e.Population += pop[m]
			}
		}
		out = append(out, *e)
	}
	return out, nil
}

// DeriveDepartements returns the départements of the communes (their
// codeDepartement), named from names (empty when unknown: the code is
// shown), for a region given without a départements file. They have no
// geometry: wherever a département is drawn, its outline is dissolved from
// its communes. The result is sorted by code.
func DeriveDepartements(communes []cartonum.Commune, names Names) ([]cartonum.Departement, error) {
	seen := make(map[string]bool)
	var out []cartonum.Departement
	for _, c := range communes {
		if !cartonum.ValidDepartementCode(c.CodeDepartement) {
			return nil, fmt.Errorf("commune %s: invalid codeDepartement %q", c.Code, c.CodeDepartement)
		}
		if seen[c.CodeDepartement] {
			continue
		}
		seen[c.CodeDepartement] = true
		out = append(out, cartonum.Departement{Code: c.CodeDepartement, Nom: names.Departements[c.CodeDepartement]})
	}
	slices.SortFunc(out, func(a, b cartonum.Departement) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}
