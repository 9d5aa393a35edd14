// Package territory reads the reference territories a region is made of:
// communes with their contours and population (the geo.api.gouv.fr GeoJSON
// shape), EPCI with their members, and départements with their contours.
package territory

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// ReadCommunes reads a GeoJSON FeatureCollection of communes with the
// properties code, nom, codeDepartement, codeRegion, codeEpci, codesPostaux
// and population. A feature without a valid code or polygon geometry makes
// the whole file invalid: reference data is not repaired.
func ReadCommunes(r io.Reader) ([]cartonum.Commune, error) {
	fc, err := readCollection(r)
	if err != nil {
		return nil, err
	}
	out := make([]cartonum.Commune, 0, len(fc.Features))
	seen := make(map[string]bool, len(fc.Features))
	for i, f := range fc.Features {
		c := cartonum.Commune{
			Code:            str(f.Properties, "code"),
			Nom:             str(f.Properties, "nom"),
			CodeDepartement: str(f.Properties, "codeDepartement"),
			CodeRegion:      str(f.Properties, "codeRegion"),
			CodeEpci:        str(f.Properties, "codeEpci"),
			Population:      num(f.Properties, "population"),
		}
		if !cartonum.ValidCommuneCode(c.Code) {
			return nil, fmt.Errorf("feature %d: invalid commune code %q", i, c.Code)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("feature %d: commune %s appears twice", i, c.Code)
		}
		seen[c.Code] = true
		if c.Nom == "" {
			return nil, fmt.Errorf("feature %d (commune %s): missing nom", i, c.Code)
		}
		if list, ok := f.Properties["codesPostaux"].([]any); ok {
			for _, v := range list {
				if s, ok := v.(string); ok {
					c.CodesPostaux = append(c.CodesPostaux, s)
				}
			}
		}
		mp, err := multiPolygon(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("feature %d (commune %s): %w", i, c.Code, err)
		}
		c.Geometry = mp
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// ReadDepartements reads a GeoJSON FeatureCollection of départements with
// the properties code and nom.
func ReadDepartements(r io.Reader) ([]cartonum.Departement, error) {
	fc, err := readCollection(r)
	if err != nil {
		return nil, err
	}
	out := make([]cartonum.Departement, 0, len(fc.Features))
	for i, f := range fc.Features {
		d := cartonum.Departement{Code: str(f.Properties, "code"), Nom: str(f.Properties, "nom")}
		if !cartonum.ValidDepartementCode(d.Code) {
			return nil, fmt.Errorf("feature %d: invalid département code %q", i, d.Code)
		}
		mp, err := multiPolygon(f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("feature %d (département %s): %w", i, d.Code, err)
		}
		d.Geometry = mp
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// ReadEPCIs reads a JSON array of EPCI: code (SIREN), nom, type, population
// and membres, the member commune codes (strings, or objects with a code).
func ReadEPCIs(r io.Reader) ([]cartonum.EPCI, error) {
	var raw []struct {
		Code       string            `json:"code"`
		Nom        string            `json:"nom"`
		Type       string            `json:"type"`
		Population int               `json:"population"`
		Membres    []json.RawMessage `json:"membres"`
	}
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, fmt.Errorf("EPCI file: %w", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("EPCI file: no EPCI")
	}
	out := make([]cartonum.EPCI, 0, len(raw))
	for i, e := range raw {
		if !cartonum.ValidSIREN(e.Code) {
			return nil, fmt.Errorf("EPCI %d: invalid SIREN %q", i, e.Code)
		}
		ep := cartonum.EPCI{Code: e.Code, Nom: e.Nom, Type: e.Type, Population: e.Population}
		for _, m := range e.Membres {
			var code string
			if err := json.Unmarshal(m, &code); err != nil {
				var obj struct {
					Code string `json:"code"`
				}
				if err := json.Unmarshal(m, &obj); err != nil {
					return nil, fmt.Errorf("EPCI %s: member %s: %w", e.Code, m, err)
				}
				code = obj.Code
			}
			ep.Membres = append(ep.Membres, code)
		}
		sort.Strings(ep.Membres)
		out = append(out, ep)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

func readCollection(r io.Reader) (*geojson.FeatureCollection, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %w", err)
	}
	if len(fc.Features) == 0 {
		return nil, fmt.Errorf("empty FeatureCollection")
	}
	return fc, nil
}

func multiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) == 0 || len(g[0]) < 4 {
			return nil, fmt.Errorf("empty polygon")
		}
		return orb.MultiPolygon{g}, nil
	case orb.MultiPolygon:
		if len(g) == 0 {
			return nil, fmt.Errorf("empty multipolygon")
		}
		return g, nil
	case nil:
		return nil, fmt.Errorf("missing geometry")
	default:
		return nil, fmt.Errorf("geometry %s is not a polygon", g.GeoJSONType())
	}
}

func str(p geojson.Properties, k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	}
	return ""
}

func num(p geojson.Properties, k string) int {
	if v, ok := p[k].(float64); ok {
		return int(v)
	}
	return 0
}
