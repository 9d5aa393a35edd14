package httpapi

// Downloads of the analysis (indicators, white zones, scenarios): file
// names that say what they hold, the spreadsheet formats, and the edge of
// the region (which white zones are certain).

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
)

// now is the clock of the export file names and dates (tests replace it).
var exportClock = time.Now

var exportZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// slug is an ASCII file-name part: "France Services" → "france-services".
func slug(s string) string {
	r := strings.NewReplacer("à", "a", "â", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e", "î", "i", "ï", "i", "ô", "o", "ù", "u", "û", "u", "ü", "u", "œ", "oe", "’", "-", "'", "-")
	s = r.Replace(strings.ToLower(s))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// exportName is the file name of a download: what it holds, the level,
// the parameters that differ between two exports, the date, e.g.
// "indicateurs-epci-20min-45kmh-detour1.3-france-services-2026-04-07.xlsx".
func exportName(kind, level string, p analysis.Params, format string) string {
	parts := []string{kind}
	if level != "" {
		parts = append(parts, level)
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	parts = append(parts, num(p.ThresholdMin)+"min", num(p.SpeedKmh)+"kmh", "detour"+num(p.Circuity))
	for _, v := range append(append([]string{}, p.Services...), p.Dispositifs...) {
		parts = append(parts, slug(v))
	}
	switch p.Profile {
	case "", analysis.ProfilePopulation:
	case analysis.ProfileMix:
		parts = append(parts, p.Profile, num(p.Mix.Population), num(p.Mix.Elderly), num(p.Mix.Poor))
	default:
		parts = append(parts, p.Profile)
	}
	parts = append(parts, exportClock().In(exportZone).Format("2006-01-02"))
	return strings.Join(parts, "-") + extension(format)
}

// extension is the file extension of an export format.
func extension(format string) string {
	switch format {
	case generation.FormatCSVExcel:
		return "-excel.csv"
	case generation.FormatXLSX:
		return ".xlsx"
	case "geojson":
		return ".geojson"
	case "json":
		return ".json"
	}
	return ".csv"
}

// attachment makes the response a download named name (ASCII).
func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
}

// writeTable writes a table in a format (csv, csv-excel or xlsx) as a
// download.
func writeTable(w http.ResponseWriter, t generation.Table, format, name string, params []generation.Param) error {
	switch format {
	case generation.FormatXLSX:
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	attachment(w, name)
	return t.Write(w, format, params)
}

// exportParams are the lines of the "Paramètres" sheet.
func exportParams(gen *generation.Generation, level string, p analysis.Params, edge supplyEdge) []generation.Param {
	list := func(v []string, none string) string {
		if len(v) == 0 {
			return none
		}
		return strings.Join(v, ", ")
	}
	out := []generation.Param{}
	if level != "" {
		out = append(out, generation.Param{Name: "Niveau", Value: level})
	}
	trip := "distance à vol d'oiseau × détour, à vitesse constante"
	if p.TravelModel != "" && p.TravelModel != "crowfly" { // a routing engine (travel.go)
		trip = fmt.Sprintf("temps et distance par la route (%s %s ; les %d lieux les plus proches à vol d'oiseau, à %g km au plus)",
			p.TravelModel, p.TravelEngine, p.TravelK, p.TravelCutoffKm)
	}
	out = append(out,
		generation.Param{Name: "Seuil de la zone blanche (minutes)", Value: p.ThresholdMin},
		generation.Param{Name: "Modèle de trajet", Value: trip},
		generation.Param{Name: "Vitesse (km/h)", Value: p.SpeedKmh},
		generation.Param{Name: "Détour (× distance à vol d'oiseau)", Value: p.Circuity},
		generation.Param{Name: "Services", Value: list(p.Services, "tous")},
		generation.Param{Name: "Dispositifs", Value: list(p.Dispositifs, "tous les lieux")},
		generation.Param{Name: "Profil de la demande", Value: profileLabel(p)},
		generation.Param{Name: "Lieux hors région pris en compte", Value: edge.PlacesOutside},
		generation.Param{Name: "Distance maximale de ces lieux à la région (km)", Value: edge.MarginKm},
		generation.Param{Name: "Version des données", Value: gen.Version()},
		generation.Param{Name: "Date de l'export", Value: exportClock().In(exportZone).Format("2006-01-02 15:04")},
		generation.Param{Name: "Méthode", Value: "Temps de trajet de chaque habitant (" + demandLabel(gen) + ") au lieu le plus proche : " + trip + " ; accessibilité E2SFCA (0–10, 10–20, 20–30 min)"},
		generation.Param{Name: "Sources", Value: "ANCT, La MedNum, IGN, INSEE (Licence Ouverte 2.0) — Cartonum"},
	)
	return out
}

// profileLabel says, in French, whose demand a request measures.
func profileLabel(p analysis.Params) string {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch p.Profile {
	case analysis.ProfileElderly:
		return "personnes de 65 ans ou plus (65plus)"
	case analysis.ProfilePoor:
		return "personnes des ménages pauvres (pauvres)"
	case analysis.ProfileMix:
		return "mixte : " + num(p.Mix.Population) + " × habitants + " + num(p.Mix.Elderly) + " × 65 ans ou plus + " + num(p.Mix.Poor) + " × ménages pauvres"
	}
	return "tous les habitants (population)"
}

// demandLabel says where the generation places the inhabitants.
func demandLabel(gen *generation.Generation) string {
	if gen.Gridded() {
		return "carreaux de 200 m de l'Insee, calés sur la population légale ; grille de 1 km pour les communes sans carreau"
	}
	return "grille de 1 km"
}

// supplyEdge tells how far beyond the region the supply is known: the
// places of neighbouring regions kept at import (within --margin-km) are
// counted as supply, nothing beyond. A white cell closer to the region's
// edge than UncertainWithinKm might be served by a place the data does not
// hold (farther out, abroad, or beyond the margin): it is not certain.
type supplyEdge struct {
	// PlacesOutside is the count of places outside the region that the
	// request's supply holds (its services and dispositifs filters).
	PlacesOutside int `json:"places_outside_region"`
	// MarginKm is the largest distance of a place outside the region to
	// the region, in km: the depth of the known supply beyond the edge (0
	// when none is kept).
	MarginKm float64 `json:"margin_km"`
	// ReachKm is the straight-line distance of the threshold:
	// threshold / 60 × speed / circuity.
	ReachKm float64 `json:"reach_km"`
	// UncertainWithinKm is max(0, ReachKm − MarginKm).
	UncertainWithinKm float64 `json:"uncertain_within_km"`
}

// edgeCache holds the per-generation part of the edge: the margin and the
// distance of the grid's nodes to the region's edge.
var edgeCache struct {
	sync.Mutex
	gen    *generation.Generation
	margin float64
	dist   *edgeGrid
}

func edgeOf(gen *generation.Generation, p analysis.Params) supplyEdge {
	edgeCache.Lock()
	if edgeCache.gen != gen {
		edgeCache.gen, edgeCache.dist = gen, nil
		edgeCache.margin = marginOf(gen)
	}
	margin := edgeCache.margin
	edgeCache.Unlock()
	e := supplyEdge{MarginKm: math.Round(margin*10) / 10}
	for _, s := range gen.Model().Sites() {
		if s.SupplyOnly && p.Matches(&s) {
			e.PlacesOutside++
		}
	}
	e.ReachKm = p.ThresholdMin / 60 * p.SpeedKmh / p.Circuity
	e.UncertainWithinKm = math.Max(0, e.ReachKm-margin)
	e.ReachKm = math.Round(e.ReachKm*10) / 10
	e.UncertainWithinKm = math.Round(e.UncertainWithinKm*10) / 10
	return e
}

// marginOf is the largest distance of a place outside the region to the
// region, in km.
func marginOf(gen *generation.Generation) float64 {
	snap := gen.Snapshot()
	var m float64
	for _, pl := range snap.Places() {
		if !pl.Provenance.OutsideRegion {
			continue
		}
		// Most are within the default 30 km: a small search first.
		pt := orb.Point{pl.Longitude, pl.Latitude}
		for _, within := range []float64{35e3, 210e3} {
			if _, d, ok := snap.NearestCommune(pt, within); ok {
				m = math.Max(m, d/1000)
				break
			}
		}
	}
	return m
}

// edgeGrid is the distance, in km, of the nodes of a 1 km grid over the
// region to the nearest node outside it (a chamfer distance transform).
type edgeGrid struct {
	lon0, lat0 float64
	dLon, dLat float64
	w, h       int
	km         []float64
}

const edgeStepKm = 1.0

func edgeGridOf(gen *generation.Generation) *edgeGrid {
	edgeCache.Lock()
	defer edgeCache.Unlock()
	if edgeCache.gen == gen && edgeCache.dist != nil {
		return edgeCache.dist
	}
	snap := gen.Snapshot()
	var b orb.Bound
	for i, c := range snap.Communes() {
		if i == 0 {
			b = c.Geometry.Bound()
		} else {
			b = b.Union(c.Geometry.Bound())
		}
	}
	midLat := (b.Min[1] + b.Max[1]) / 2
	g := &edgeGrid{dLat: edgeStepKm / 111.32}
	g.dLon = g.dLat / math.Cos(midLat*math.Pi/180)
	g.lon0, g.lat0 = b.Min[0]-2*g.dLon, b.Min[1]-2*g.dLat
	g.w = int((b.Max[0]-g.lon0)/g.dLon) + 3
	g.h = int((b.Max[1]-g.lat0)/g.dLat) + 3
	g.km = make([]float64, g.w*g.h)
	inf := math.Inf(1)
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			pt := orb.Point{g.lon0 + float64(x)*g.dLon, g.lat0 + float64(y)*g.dLat}
			if _, in := snap.CommuneAt(pt); in {
				g.km[y*g.w+x] = inf
			}
		}
	}
	// Two passes of a 3×3 chamfer (1, √2), in km.
	d1, d2 := edgeStepKm, edgeStepKm*math.Sqrt2
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= g.w || y >= g.h {
			return 0
		}
		return g.km[y*g.w+x]
	}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			i := y*g.w + x
			g.km[i] = math.Min(g.km[i], math.Min(math.Min(at(x-1, y)+d1, at(x, y-1)+d1), math.Min(at(x-1, y-1)+d2, at(x+1, y-1)+d2)))
		}
	}
	for y := g.h - 1; y >= 0; y-- {
		for x := g.w - 1; x >= 0; x-- {
			i := y*g.w + x
			g.km[i] = math.Min(g.km[i], math.Min(math.Min(at(x+1, y)+d1, at(x, y+1)+d1), math.Min(at(x+1, y+1)+d2, at(x-1, y+1)+d2)))
		}
	}
	if edgeCache.gen == gen {
		edgeCache.dist = g
	}
	return g
}

// km is the distance of a point to the region's edge (0 outside).
func (g *edgeGrid) at(p orb.Point) float64 {
	x := int(math.Round((p[0] - g.lon0) / g.dLon))
	y := int(math.Round((p[1] - g.lat0) / g.dLat))
	if x < 0 || y < 0 || x >= g.w || y >= g.h {
		return 0
	}
	return g.km[y*g.w+x]
}

// whiteCells draws the white-zone cells of demand points; weights are
// the points' demand under the request's profile (their inhabitants by
// default), what the cells' population counts.
type whiteCells struct {
	gen     *generation.Generation
	edge    supplyEdge
	grid    *edgeGrid
	points  []analysis.DemandPoint
	weights []float64
}

func newWhiteCells(gen *generation.Generation, edge supplyEdge, p analysis.Params) *whiteCells {
	c := &whiteCells{gen: gen, edge: edge, points: gen.Model().DemandPoints(), weights: gen.Model().DemandWeights(p)}
	if edge.UncertainWithinKm > 0 {
		c.grid = edgeGridOf(gen)
	}
	return c
}

// uncertain reports whether a white cell lies within reach of the unknown
// beyond the region's edge.
func (c *whiteCells) uncertain(i int) bool {
	return c.grid != nil && c.grid.at(c.points[i].Point) < c.edge.UncertainWithinKm
}

// feature is the cell of demand point i, white with a trip of minutes
// (reached false: no matching place at all).
func (c *whiteCells) feature(i int, reached bool, minutes float64) *geojson.Feature {
	pt := c.points[i]
	code := c.gen.Model().Communes()[pt.Commune].Code
	half := c.gen.CellMeters(code) / 2
	dLat := half / 111320
	dLon := half / (111320 * math.Cos(pt.Point[1]*math.Pi/180))
	x, y := pt.Point[0], pt.Point[1]
	r5 := func(v float64) float64 { return math.Round(v*1e5) / 1e5 }
	x0, x1, y0, y1 := r5(x-dLon), r5(x+dLon), r5(y-dLat), r5(y+dLat)
	f := geojson.NewFeature(orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}})
	f.ID = strconv.Itoa(i)
	if !reached {
		minutes = -1
	}
	f.Properties = geojson.Properties{"commune": code,
		"population": math.Round(c.weights[i]*10) / 10, "minutes": math.Round(minutes*10) / 10}
	if c.uncertain(i) {
		f.Properties["incertain"] = true
	}
	return f
}

// white reports whether a trip leaves its cell in the white zone.
func white(reached bool, minutes, threshold float64) bool {
	return !reached || minutes > threshold
}

// whiteZones serves the white-zone cells: GeoJSON (default), or a table
// (csv, csv-excel, xlsx) of their centres.
func (s *Server) whiteZones(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p, err := parseParams(v, "format")
	if err != nil {
		return err
	}
	format := v.Get("format")
	switch format {
	case "", "geojson", generation.FormatCSV, generation.FormatCSVExcel, generation.FormatXLSX:
	default:
		return invalid("format « %s » invalide : geojson, %s", format, strings.Join(generation.Formats, ", "))
	}
	gen := s.idx.Load()
	m := gen.Model()
	res, err := gen.Compute(r.Context(), p)
	if err != nil {
		return err
	}
	edge := edgeOf(gen, res.Params)
	cells := newWhiteCells(gen, edge, p)
	outcome := m.Points(p)
	communes := m.Communes()
	fc := geojson.NewFeatureCollection()
	table := generation.Table{Sheet: "Zones blanches", Columns: []string{"cellule", "commune", "nom_commune", "longitude", "latitude",
		"population", "temps_min", "incertaine", "seuil_min", "vitesse_kmh", "detour", "services", "dispositifs"}}
	var total, uncertain float64
	for i, pt := range cells.points {
		o := outcome[i]
		if !white(o.Reached, o.Minutes, res.Params.ThresholdMin) {
			continue
		}
		total += cells.weights[i]
		if cells.uncertain(i) {
			uncertain += cells.weights[i]
		}
		if format == "" || format == "geojson" {
			fc.Append(cells.feature(i, o.Reached, o.Minutes))
			continue
		}
		minutes := any(generation.Num{V: o.Minutes, Digits: 1})
		if !o.Reached {
			minutes = ""
		}
		c := communes[pt.Commune]
		table.Rows = append(table.Rows, []any{i, c.Code, c.Name, generation.Num{V: pt.Point[0], Digits: 5}, generation.Num{V: pt.Point[1], Digits: 5},
			generation.Num{V: cells.weights[i], Digits: 1}, minutes, cells.uncertain(i),
			generation.Num{V: res.Params.ThresholdMin, Digits: 1}, generation.Num{V: res.Params.SpeedKmh, Digits: 1}, generation.Num{V: res.Params.Circuity, Digits: 2},
			strings.Join(res.Params.Services, "|"), strings.Join(res.Params.Dispositifs, "|")})
	}
	name := exportName("zones-blanches", "", res.Params, format)
	if format != "" && format != "geojson" {
		return writeTable(w, table, format, name, exportParams(gen, "", res.Params, edge))
	}
	fc.ExtraMembers = geojson.Properties{"params": res.Params, "population": math.Round(total),
		"population_incertaine": math.Round(uncertain), "edge": edge, "data_version": gen.Version()}
	attachment(w, exportName("zones-blanches", "", res.Params, "geojson"))
	writeGeoJSON(w, http.StatusOK, fc)
	return nil
}
