package httpapi

import (
	"math"
	"net/http"

	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
)

// indicatorsGeoJSON writes the indicators of a level as a FeatureCollection
// with the territories' polygons and the indicators as flat properties.
func indicatorsGeoJSON(w http.ResponseWriter, gen *generation.Generation, p analysis.Params, rows []analysis.Indicators) {
	fc := geojson.NewFeatureCollection()
	for i := range rows {
		in := &rows[i]
		g := gen.Outline(in.Level, in.Code)
		if g == nil {
			continue
		}
		f := geojson.NewFeature(g)
		f.ID = in.Code
		f.Properties = geojson.Properties{"level": in.Level, "code": in.Code, "name": in.Name}
		for _, fd := range analysis.Fields {
			if v := fd.Value(in); !math.IsNaN(v) {
				f.Properties[fd.JSON] = v
			} else {
				f.Properties[fd.JSON] = nil // unknown (a fragility never imported)
			}
		}
		f.Properties["sites"] = in.Sites
		for k, r := range in.Rank {
			f.Properties["rank_"+k] = r
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"params": p, "data_version": gen.Version()}
	attachment(w, exportName("indicateurs", rows[0].Level, p, "geojson"))
	writeGeoJSON(w, http.StatusOK, fc)
}
