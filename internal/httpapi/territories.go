package httpapi

import (
	"math"
	"net/http"
	"strconv"

	"github.com/paulmach/orb"
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
			f.Properties[fd.JSON] = fd.Value(in)
		}
		f.Properties["sites"] = in.Sites
		for k, r := range in.Rank {
			f.Properties["rank_"+k] = r
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"params": p, "data_version": gen.Version()}
	w.Header().Set("Content-Disposition", `attachment; filename="indicateurs-`+rows[0].Level+`.geojson"`)
	writeGeoJSON(w, http.StatusOK, fc)
}

// cellMeters is the side of the demand grid's cells (analysis.Grid default).
const cellMeters = 1000

func (s *Server) whiteZones(w http.ResponseWriter, r *http.Request) error {
	p, err := parseParams(r.URL.Query())
	if err != nil {
		return err
	}
	gen := s.idx.Load()
	m := gen.Model()
	res, err := gen.Compute(r.Context(), p)
	if err != nil {
		return err
	}
	points := m.DemandPoints()
	outcome := m.Points(p)
	communes := m.Communes()
	fc := geojson.NewFeatureCollection()
	var total float64
	half := cellMeters / 2.0
	for i, pt := range points {
		o := outcome[i]
		if o.Reached && o.Minutes <= res.Params.ThresholdMin {
			continue
		}
		total += pt.Population
		dLat := half / 111320
		dLon := half / (111320 * math.Cos(pt.Point[1]*math.Pi/180))
		x, y := pt.Point[0], pt.Point[1]
		r5 := func(v float64) float64 { return math.Round(v*1e5) / 1e5 }
		x0, x1, y0, y1 := r5(x-dLon), r5(x+dLon), r5(y-dLat), r5(y+dLat)
		cell := orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
		f := geojson.NewFeature(cell)
		f.ID = strconv.Itoa(i)
		minutes := o.Minutes
		if !o.Reached {
			minutes = -1
		}
		f.Properties = geojson.Properties{"commune": communes[pt.Commune].Code, "population": math.Round(pt.Population*10) / 10,
			"minutes": math.Round(minutes*10) / 10}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"params": res.Params, "population": math.Round(total), "data_version": gen.Version()}
	writeGeoJSON(w, http.StatusOK, fc)
	return nil
}
