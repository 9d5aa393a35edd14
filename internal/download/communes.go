package download

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// communeFields are the properties asked of geo.api.gouv.fr, the properties
// of the communes file.
const communeFields = "code,nom,codeDepartement,codeRegion,codeEpci,codesPostaux,population,contour"

// regionCommunes is what the other files need to know of the région's
// communes.
type regionCommunes struct {
	region string
	// codes holds the commune codes of the région.
	codes map[string]bool
	// departements holds the département codes of the région.
	departements map[string]bool
	// population holds the legal population of the communes that have one.
	population map[string]int
	// epci holds the EPCI codes that geo.api.gouv.fr gives the communes.
	epci map[string]bool
}

// communeProperties are the properties of one geo.api.gouv.fr commune.
type communeProperties struct {
	Code            string `json:"code"`
	Nom             string `json:"nom"`
	CodeDepartement string `json:"codeDepartement"`
	CodeRegion      string `json:"codeRegion"`
	CodeEpci        string `json:"codeEpci"`
	Population      *int   `json:"population"`
}

// communesURL returns the geo.api.gouv.fr request for the communes of region
// (every commune for AllRegions) with their contours, as GeoJSON.
func communesURL(base, region string) string {
	filter := "codeRegion=" + region + "&"
	if region == AllRegions {
		filter = ""
	}
	return strings.TrimRight(base, "/") + "/communes?" + filter +
		"fields=" + communeFields + "&format=geojson&geometry=contour"
}

// communes downloads the communes of region into the file bound for dest,
// as answered, after checking every feature.
func (f *fetcher) communes(ctx context.Context, st *stage, geoAPI, region, dest string) (*regionCommunes, error) {
	tf, err := st.create(dest)
	if err != nil {
		return nil, err
	}
	u := communesURL(geoAPI, region)
	if err := f.getInto(ctx, tf, u, acceptJSON); err != nil {
		return nil, err
	}
	rc := &regionCommunes{
		region:       region,
		codes:        make(map[string]bool),
		departements: make(map[string]bool),
		population:   make(map[string]int),
		epci:         make(map[string]bool),
	}
	var noGeometry []string
	n, err := readFeatures(tf.f, func(i int, ft feature) error {
		var p communeProperties
		if err := json.Unmarshal(ft.Properties, &p); err != nil {
			return invalidData("commune %d: properties: %v", i, err)
		}
		switch {
		case !cartonum.ValidCommuneCode(p.Code):
			return invalidData("commune %d: code %q is not a commune code", i, p.Code)
		case p.CodeRegion != region && region != AllRegions:
			return invalidData("commune %s: région %q, want %q (was the codeRegion filter ignored?)", p.Code, p.CodeRegion, region)
		case !cartonum.ValidDepartementCode(p.CodeDepartement):
			return invalidData("commune %s: département code %q", p.Code, p.CodeDepartement)
		case rc.codes[p.Code]:
			return invalidData("commune %s given twice", p.Code)
		}
		gt, err := geometryType(ft.Geometry)
		if err != nil {
			return invalidData("commune %s: geometry: %v", p.Code, err)
		}
		switch gt {
		case "Polygon", "MultiPolygon":
		case "":
			noGeometry = append(noGeometry, p.Code)
		default:
			return invalidData("commune %s: geometry %s, want Polygon or MultiPolygon (contour)", p.Code, gt)
		}
		rc.codes[p.Code] = true
		rc.departements[p.CodeDepartement] = true
		if p.Population != nil {
			rc.population[p.Code] = *p.Population
		}
		if p.CodeEpci != "" {
			rc.epci[p.CodeEpci] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("GET %s: %w: no commune in région %s (unknown région code?)", u, ErrInvalidData, region)
	}
	if len(noGeometry) > 0 {
		f.log.Warn("communes without contour", "count", len(noGeometry), "codes", sample(noGeometry))
	}
	f.log.Info("communes", "count", n, "departements", len(rc.departements))
	return rc, nil
}

// sample returns at most the first ten of s, for log lines.
func sample(s []string) []string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}
