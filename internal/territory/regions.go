package territory

import (
	"fmt"
	"slices"
	"strings"
)

// regionNames are France's 18 regions since 2016 (COG, INSEE), by code.
var regionNames = map[string]string{
	"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
	"11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté",
	"28": "Normandie", "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire",
	"53": "Bretagne", "75": "Nouvelle-Aquitaine", "76": "Occitanie",
	"84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}

// RegionCodes returns the codes of France's 18 regions, in order.
func RegionCodes() []string {
	codes := make([]string, 0, len(regionNames))
	for c := range regionNames {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// RegionName returns the official name of a region code, or "" when the
// code is not a current region's.
func RegionName(code string) string { return regionNames[code] }

// ParseRegions reads a region setting: one code ("32"), a comma-separated
// list ("28,32"; spaces allowed, duplicates removed) or "all". It returns
// the sorted codes, or nil for all regions. A code that is not one of the
// 18 current regions' is an error, in French.
func ParseRegions(spec string) ([]string, error) {
	spec = strings.TrimSpace(spec)
	if strings.EqualFold(spec, "all") || strings.EqualFold(spec, "toutes") {
		return nil, nil
	}
	var codes []string
	for _, f := range strings.Split(spec, ",") {
		c := strings.TrimSpace(f)
		if len(c) == 1 && c[0] >= '0' && c[0] <= '9' {
			c = "0" + c // "1" for Guadeloupe, as spreadsheets write it
		}
		if regionNames[c] == "" {
			if c == "" {
				return nil, fmt.Errorf("région vide dans « %s » : un code (32), une liste (28,32) ou all", spec)
			}
			return nil, fmt.Errorf("code de région « %s » inconnu : un des 18 codes (%s), une liste (28,32) ou all",
				c, strings.Join(RegionCodes(), ", "))
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	return codes, nil
}
