package httpapi

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// modelFor returns the analysis model of a snapshot, built once per data
// version.
func (s *Server) modelFor(snap *index.Snapshot) *analysis.Model {
	s.modelMu.Lock()
	defer s.modelMu.Unlock()
	if s.modelSnap != snap {
		s.model = NewModel(snap)
		s.modelSnap = snap
	}
	return s.model
}

// NewModel builds the analysis model of a snapshot: its communes with
// their population and EPCI, and every place as a site.
func NewModel(snap *index.Snapshot) *analysis.Model {
	communes := snap.Communes()
	ac := make([]analysis.Commune, len(communes))
	for i := range communes {
		c := &communes[i]
		ac[i] = analysis.Commune{Code: c.Code, Name: c.Nom, EPCI: snap.EPCIOf(c.Code),
			Departement: c.CodeDepartement, Population: float64(c.Population), Geometry: c.Geometry}
	}
	places := snap.Places()
	sites := make([]analysis.Site, 0, len(places))
	for i := range places {
		p := &places[i]
		sites = append(sites, analysis.Site{ID: p.ID, Point: orb.Point{p.Longitude, p.Latitude},
			Services: p.OfferedServices(), Dispositifs: p.Dispositifs, SupplyOnly: p.Provenance.OutsideRegion})
	}
	return analysis.NewModel(ac, sites, analysis.Grid{})
}

var analysisParams = []string{"threshold_min", "speed_kmh", "circuity", "services", "dispositifs"}

// parseParams reads the analysis parameters of a request; allowed lists
// the other parameters the endpoint takes.
func parseParams(v url.Values, allowed ...string) (analysis.Params, error) {
	p := analysis.DefaultParams()
	if err := unknownParams(v, append(allowed, analysisParams...)...); err != nil {
		return p, err
	}
	num := func(name string, dst *float64, lo, hi float64) error {
		raw := v.Get(name)
		if raw == "" {
			return nil
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || f < lo || f > hi {
			return invalid("%s « %s » invalide : un nombre entre %g et %g", name, raw, lo, hi)
		}
		*dst = f
		return nil
	}
	if err := num("threshold_min", &p.ThresholdMin, 1, 180); err != nil {
		return p, err
	}
	if err := num("speed_kmh", &p.SpeedKmh, 5, 130); err != nil {
		return p, err
	}
	if err := num("circuity", &p.Circuity, 1, 3); err != nil {
		return p, err
	}
	for _, pair := range []struct {
		name  string
		vocab *cartonum.Vocabulary
		dst   *[]string
	}{{"services", cartonum.Services, &p.Services}, {"dispositifs", cartonum.Dispositifs, &p.Dispositifs}} {
		for _, raw := range values(v, pair.name) {
			c, ok := pair.vocab.Canonical(raw)
			if !ok {
				return p, invalid("valeur « %s » inconnue pour %s ; valeurs possibles : %s", raw, pair.name, strings.Join(pair.vocab.Values, " | "))
			}
			*pair.dst = append(*pair.dst, c)
		}
	}
	return p, nil
}

// Labelled returns a copy of in with its name (the model only knows
// commune names) and, for the region, its code.
func Labelled(snap *index.Snapshot, in analysis.Indicators) analysis.Indicators {
	switch in.Level {
	case analysis.LevelEPCI:
		if e, ok := snap.EPCI(in.Code); ok {
			in.Name = e.Nom
		}
	case analysis.LevelDepartement:
		if d, ok := snap.Departement(in.Code); ok {
			in.Name = d.Nom
		}
	case analysis.LevelRegion:
		if cs := snap.Communes(); len(cs) > 0 {
			in.Code = cs[0].CodeRegion
		}
		in.Name = "Région"
	}
	return in
}

func levelRows(res *analysis.Result, level string) ([]analysis.Indicators, error) {
	switch level {
	case "", analysis.LevelCommune:
		return res.Communes, nil
	case analysis.LevelEPCI:
		return res.EPCI, nil
	case analysis.LevelDepartement:
		return res.Departements, nil
	case analysis.LevelRegion:
		return []analysis.Indicators{res.Region}, nil
	}
	return nil, invalid("level « %s » invalide : commune, epci, departement ou region", level)
}

func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p, err := parseParams(v, "level", "format")
	if err != nil {
		return err
	}
	format := v.Get("format")
	if format != "" && format != "json" && format != "csv" && format != "geojson" {
		return invalid("format « %s » invalide : json, csv ou geojson", format)
	}
	snap := s.idx.Current()
	res := s.modelFor(snap).Compute(p)
	rows, err := levelRows(res, v.Get("level"))
	if err != nil {
		return err
	}
	out := make([]analysis.Indicators, len(rows))
	for i := range rows {
		out[i] = Labelled(snap, rows[i])
	}
	if format == "geojson" {
		s.indicatorsGeoJSON(w, snap, res.Params, out)
		return nil
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="indicateurs-%s.csv"`, out[0].Level))
		return WriteIndicatorsCSV(w, res.Params, out)
	}
	writeJSON(w, http.StatusOK, map[string]any{"params": res.Params, "level": out[0].Level,
		"data_version": snap.Version(), "items": out})
	return nil
}

// IndicatorColumns are the columns of the indicators CSV.
var IndicatorColumns = []string{"niveau", "code", "nom", "population", "lieux", "lieux_pour_10000",
	"temps_moyen_min", "temps_p90_min", "distance_moyenne_km", "distance_p90_km",
	"population_au_dela_seuil", "part_au_dela_seuil", "accessibilite_e2sfca",
	"rang_lieux_pour_10000", "rang_temps_moyen", "rang_part_au_dela_seuil", "rang_accessibilite",
	"seuil_min", "vitesse_kmh", "detour", "services", "dispositifs"}

// WriteIndicatorsCSV writes indicators as CSV, each row recording the
// parameters used.
func WriteIndicatorsCSV(w io.Writer, p analysis.Params, rows []analysis.Indicators) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(IndicatorColumns); err != nil {
		return err
	}
	f := func(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	for _, in := range rows {
		rec := []string{in.Level, in.Code, in.Name, f(in.Population, 0), strconv.Itoa(in.Sites), f(in.SitesPer10k, 3),
			f(in.MeanMinutes, 2), f(in.P90Minutes, 2), f(in.MeanKm, 3), f(in.P90Km, 3),
			f(in.BeyondPopulation, 0), f(in.BeyondShare, 4), f(in.Access, 4),
			strconv.Itoa(in.Rank[analysis.RankSitesPer10k]), strconv.Itoa(in.Rank[analysis.RankMeanMinutes]),
			strconv.Itoa(in.Rank[analysis.RankBeyondShare]), strconv.Itoa(in.Rank[analysis.RankAccess]),
			f(p.ThresholdMin, 1), f(p.SpeedKmh, 1), f(p.Circuity, 2),
			strings.Join(p.Services, "|"), strings.Join(p.Dispositifs, "|")}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// comparison is a figure of the territory beside its département and the
// region, for the dashboard's bar chart.
type comparison struct {
	Level       string  `json:"level"`
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	SitesPer10k float64 `json:"sites_per_10k"`
	MeanMinutes float64 `json:"mean_minutes"`
	BeyondShare float64 `json:"beyond_share"`
}

func (s *Server) getIndicators(w http.ResponseWriter, r *http.Request) error {
	p, err := parseParams(r.URL.Query())
	if err != nil {
		return err
	}
	level, code := chi.URLParam(r, "level"), strings.ToUpper(chi.URLParam(r, "code"))
	snap := s.idx.Current()
	m := s.modelFor(snap)
	if _, err := levelRows(&analysis.Result{}, level); err != nil {
		return err
	}
	d, ok := m.Detail(p, level, code)
	if !ok {
		return notFound("aucun territoire %s de code « %s »", level, code)
	}
	d.Indicators = Labelled(snap, d.Indicators)
	res := m.Compute(p)
	var compare []comparison
	add := func(orig *analysis.Indicators) {
		in := Labelled(snap, *orig)
		compare = append(compare, comparison{Level: in.Level, Code: in.Code, Name: in.Name,
			SitesPer10k: in.SitesPer10k, MeanMinutes: in.MeanMinutes, BeyondShare: in.BeyondShare})
	}
	add(&d.Indicators)
	dep := ""
	switch level {
	case analysis.LevelCommune:
		if c, ok := snap.Commune(code); ok {
			dep = c.CodeDepartement
		}
	case analysis.LevelEPCI:
		if e, ok := snap.EPCI(code); ok && len(e.Membres) > 0 {
			if c, ok := snap.Commune(e.Membres[0]); ok {
				dep = c.CodeDepartement
			}
		}
	}
	for i := range res.Departements {
		if res.Departements[i].Code == dep {
			add(&res.Departements[i])
		}
	}
	if level != analysis.LevelRegion {
		add(&res.Region)
	}
	writeJSON(w, http.StatusOK, map[string]any{"params": res.Params, "detail": d, "compare": compare,
		"counts": map[string]int{"communes": len(res.Communes), "epci": len(res.EPCI), "departements": len(res.Departements)}})
	return nil
}

type proposalOut struct {
	Rank            int       `json:"rank"`
	Point           orb.Point `json:"point"`
	Commune         string    `json:"commune"`
	CommuneName     string    `json:"commune_nom"`
	NewlyCovered    float64   `json:"newly_covered"`
	Cumulative      float64   `json:"cumulative"`
	CumulativeShare float64   `json:"cumulative_share"`
}

func (s *Server) getSiting(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p, err := parseParams(v, "k", "min_spacing_km", "candidates")
	if err != nil {
		return err
	}
	k, err := intParam(v, "k", 5, 1, 50)
	if err != nil {
		return err
	}
	o := analysis.SitingOptions{K: k}
	if raw := v.Get("min_spacing_km"); raw != "" {
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || f < 0 || f > 200 {
			return invalid("min_spacing_km « %s » invalide : un nombre de 0 à 200", raw)
		}
		o.MinSpacingKm = f
	}
	switch v.Get("candidates") {
	case "", "grid":
	case "communes":
		o.CommuneCandidates = true
	default:
		return invalid("candidates « %s » invalide : grid ou communes", v.Get("candidates"))
	}
	snap := s.idx.Current()
	m := s.modelFor(snap)
	props := m.Siting(p, o)
	before := m.Compute(p).Region
	out := make([]proposalOut, len(props))
	for i, pr := range props {
		out[i] = proposalOut{Rank: i + 1, Point: pr.Point, Commune: pr.Commune, NewlyCovered: pr.NewlyCovered,
			Cumulative: pr.Cumulative, CumulativeShare: pr.CumulativeShare}
		if c, ok := snap.Commune(pr.Commune); ok {
			out[i].CommuneName = c.Nom
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"params": m.Compute(p).Params, "k": k, "min_spacing_km": o.MinSpacingKm,
		"covered_before": before.Population - before.BeyondPopulation,
		"population":     before.Population,
		"method":         "Problème de couverture maximale (MCLP), glouton : au moins 1 − 1/e ≈ 63 % de l'optimum ; lieux existants conservés",
		"proposals":      out,
	})
	return nil
}
