package httpapi

import (
	"math"
	"net/http"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/tiles/topology"
)

// outlines are the polygons of the EPCI and départements, dissolved from
// their communes (exactly: no simplification), built once per snapshot.
type outlines struct {
	snap         *index.Snapshot
	epci         map[string]orb.MultiPolygon
	departements map[string]orb.MultiPolygon
}

func (s *Server) outlinesFor(snap *index.Snapshot) *outlines {
	s.outlinesMu.Lock()
	defer s.outlinesMu.Unlock()
	if s.outlines != nil && s.outlines.snap == snap {
		return s.outlines
	}
	communes := snap.Communes()
	polys := make([]orb.MultiPolygon, len(communes))
	epci := make([]string, len(communes))
	deps := make([]string, len(communes))
	for i := range communes {
		polys[i] = communes[i].Geometry
		epci[i] = snap.EPCIOf(communes[i].Code)
		deps[i] = communes[i].CodeDepartement
	}
	topo := topology.Build(polys)
	s.outlines = &outlines{snap: snap, epci: topo.Dissolve(epci, 0), departements: topo.Dissolve(deps, 0)}
	return s.outlines
}

// territoryGeometry returns the polygon of a territory of a level.
func (s *Server) territoryGeometry(snap *index.Snapshot, level, code string) orb.Geometry {
	switch level {
	case analysis.LevelCommune:
		if c, ok := snap.Commune(code); ok {
			return c.Geometry
		}
	case analysis.LevelEPCI:
		return s.outlinesFor(snap).epci[code]
	case analysis.LevelDepartement:
		return s.outlinesFor(snap).departements[code]
	case analysis.LevelRegion:
		var all orb.MultiPolygon
		for _, mp := range s.outlinesFor(snap).departements {
			all = append(all, mp...)
		}
		return all
	}
	return nil
}

// indicatorsGeoJSON writes the indicators of a level as a FeatureCollection
// with the territories' polygons and the indicators as flat properties.
func (s *Server) indicatorsGeoJSON(w http.ResponseWriter, snap *index.Snapshot, p analysis.Params, rows []analysis.Indicators) {
	fc := geojson.NewFeatureCollection()
	for _, in := range rows {
		g := s.territoryGeometry(snap, in.Level, in.Code)
		if g == nil {
			continue
		}
		f := geojson.NewFeature(g)
		f.ID = in.Code
		f.Properties = geojson.Properties{
			"level": in.Level, "code": in.Code, "name": in.Name, "population": in.Population,
			"sites": in.Sites, "sites_per_10k": in.SitesPer10k, "mean_minutes": in.MeanMinutes,
			"p90_minutes": in.P90Minutes, "mean_km": in.MeanKm, "p90_km": in.P90Km,
			"beyond_population": in.BeyondPopulation, "beyond_share": in.BeyondShare, "access": in.Access,
		}
		for k, r := range in.Rank {
			f.Properties["rank_"+k] = r
		}
		fc.Append(f)
	}
	fc.ExtraMembers = geojson.Properties{"params": p, "data_version": snap.Version()}
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
	snap := s.idx.Current()
	m := s.modelFor(snap)
	res := m.Compute(p)
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
	fc.ExtraMembers = geojson.Properties{"params": res.Params, "population": math.Round(total), "data_version": snap.Version()}
	writeGeoJSON(w, http.StatusOK, fc)
	return nil
}
