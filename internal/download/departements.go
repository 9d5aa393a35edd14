package download

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// departementProperties are the properties of a département, in the
// national contours file (which has more) and in the written file.
type departementProperties struct {
	Code string `json:"code"`
	Nom  string `json:"nom"`
}

// departementFeature is a written département, members in the mirror's
// order.
type departementFeature struct {
	Type       string                `json:"type"`
	Geometry   json.RawMessage       `json:"geometry"`
	Properties departementProperties `json:"properties"`
}

// departements downloads the national contours file and writes, into the
// file bound for dest, the features of the région's départements (those of
// its communes), sorted by code, with properties code and nom only.
func (f *fetcher) departements(ctx context.Context, st *stage, contoursURL string, rc *regionCommunes, dest string) error {
	src, err := f.getFile(ctx, st, contoursURL, acceptJSON)
	if err != nil {
		return err
	}
	var kept []departementFeature
	n, err := readFeatures(src.f, func(i int, ft feature) error {
		var p departementProperties
		if err := json.Unmarshal(ft.Properties, &p); err != nil {
			return invalidData("département %d: properties: %v", i, err)
		}
		if !rc.departements[p.Code] {
			return nil
		}
		if p.Nom == "" {
			return invalidData("département %s has no nom", p.Code)
		}
		gt, err := geometryType(ft.Geometry)
		if err != nil {
			return invalidData("département %s: geometry: %v", p.Code, err)
		}
		if gt != "Polygon" && gt != "MultiPolygon" {
			return invalidData("département %s: geometry %q, want Polygon or MultiPolygon", p.Code, gt)
		}
		kept = append(kept, departementFeature{Type: "Feature", Geometry: ft.Geometry, Properties: p})
		return nil
	})
	if err != nil {
		return fmt.Errorf("GET %s: %w", contoursURL, err)
	}
	if n == 0 {
		return fmt.Errorf("GET %s: %w: empty FeatureCollection", contoursURL, ErrInvalidData)
	}
	slices.SortFunc(kept, func(a, b departementFeature) int { return strings.Compare(a.Properties.Code, b.Properties.Code) })
	found := make(map[string]bool, len(kept))
	for _, d := range kept {
		if found[d.Properties.Code] {
			return fmt.Errorf("GET %s: %w: département %s given twice", contoursURL, ErrInvalidData, d.Properties.Code)
		}
		found[d.Properties.Code] = true
	}
	var missing []string
	for code := range rc.departements {
		if !found[code] {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("GET %s: %w: no contour for département(s) %s", contoursURL, ErrInvalidData, strings.Join(missing, ", "))
	}

	out, err := st.create(dest)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out.f)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, d := range kept {
		if i > 0 {
			w.WriteByte(',')
		}
		b, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode département %s: %w", d.Properties.Code, err)
		}
		w.Write(b)
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil { // reports the first write error
		return fmt.Errorf("write %s: %w", out.f.Name(), err)
	}
	f.log.Info("départements", "count", len(kept), "national", n)
	return nil
}
