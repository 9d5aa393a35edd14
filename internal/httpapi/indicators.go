package httpapi

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/generation"
)

var analysisParams = []string{"threshold_min", "speed_kmh", "circuity", "services", "dispositifs"}

// parseParams reads the analysis parameters of a request; allowed lists
// the other parameters the endpoint takes. The ranges are those of
// analysis.Params.Validate.
func parseParams(v url.Values, allowed ...string) (analysis.Params, error) {
	p := analysis.DefaultParams()
	if err := unknownParams(v, append(append(append(allowed, analysisParams...), profileParams...), fragilityParams...)...); err != nil {
		return p, err
	}
	if err := parseProfile(v, &p); err != nil {
		return p, err
	}
	if err := parseFragility(v, &p); err != nil {
		return p, err
	}
	b := analysis.ParamBounds()
	for _, n := range []struct {
		name string
		dst  *float64
		r    analysis.Range
	}{{"threshold_min", &p.ThresholdMin, b.ThresholdMin}, {"speed_kmh", &p.SpeedKmh, b.SpeedKmh}, {"circuity", &p.Circuity, b.Circuity}} {
		raw := v.Get(n.name)
		if raw == "" {
			continue
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(f, 0) {
			return p, invalid("%s « %s » invalide : un nombre entre %g et %g", n.name, raw, n.r.Min, n.r.Max)
		}
		*n.dst = f
	}
	if err := validParams(p); err != nil {
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

// validParams is analysis.Params.Validate as an invalid-input error.
func validParams(p analysis.Params) error {
	var pe *analysis.ParamError
	if err := p.Validate(); errors.As(err, &pe) {
		return invalid("%s", pe.Error())
	} else if err != nil {
		return err
	}
	return nil
}

func (s *Server) listIndicators(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p, err := parseParams(v, "level", "format")
	if err != nil {
		return err
	}
	format := v.Get("format")
	switch format {
	case "", "json", "geojson", generation.FormatCSV, generation.FormatCSVExcel, generation.FormatXLSX:
	default:
		return invalid("format « %s » invalide : json, geojson, %s", format, strings.Join(generation.Formats, ", "))
	}
	gen := s.idx.Load()
	if _, err := gen.Rows(&analysis.Result{}, v.Get("level")); err != nil {
		return err
	}
	res, err := gen.Compute(r.Context(), p)
	if err != nil {
		return err
	}
	out, err := gen.Rows(res, v.Get("level"))
	if err != nil {
		return err
	}
	level := out[0].Level
	switch format {
	case "geojson":
		indicatorsGeoJSON(w, gen, res.Params, out)
		return nil
	case generation.FormatCSV, generation.FormatCSVExcel, generation.FormatXLSX:
		t := generation.IndicatorsTable(res.Params, out)
		return writeTable(w, t, format, exportName("indicateurs", level, res.Params, format), exportParams(gen, level, res.Params, edgeOf(gen, res.Params)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"params": res.Params, "level": level,
		"data_version": gen.Version(), "edge": edgeOf(gen, res.Params), "items": out})
	return nil
}

// comparison is a figure of the territory beside its département, its
// region when several are loaded, and the whole loaded territory (the
// region, or the national total), for the dashboard's bar chart.
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
	gen := s.idx.Load()
	if _, err := gen.Rows(&analysis.Result{}, level); err != nil {
		return err
	}
	res, err := gen.Compute(r.Context(), p)
	if err != nil {
		return err
	}
	d, ok, err := gen.Model().DetailContext(r.Context(), p, level, code)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("aucun territoire %s de code « %s »", level, code)
	}
	var compare []comparison
	add := func(orig *analysis.Indicators) {
		in := *orig
		compare = append(compare, comparison{Level: in.Level, Code: in.Code, Name: in.Name,
			SitesPer10k: in.SitesPer10k, MeanMinutes: in.MeanMinutes, BeyondShare: in.BeyondShare})
	}
	add(&d.Indicators)
	dep := gen.DepartementOf(level, code)
	for i := range res.Departements {
		if res.Departements[i].Code == dep {
			add(&res.Departements[i])
		}
	}
	national := gen.Model().National()
	if national && level != analysis.LevelRegion && level != analysis.LevelNational {
		reg := gen.RegionOf(level, code)
		for i := range res.Regions {
			if res.Regions[i].Code == reg {
				add(&res.Regions[i])
			}
		}
	}
	if d.Level != res.Region.Level || d.Code != res.Region.Code {
		add(&res.Region)
	}
	counts := map[string]int{"communes": len(res.Communes), "epci": len(res.EPCI), "departements": len(res.Departements)}
	if national {
		counts["regions"] = len(res.Regions)
	}
	writeJSON(w, http.StatusOK, map[string]any{"params": res.Params, "detail": d, "compare": compare, "counts": counts})
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
	gen := s.idx.Load()
	snap := gen.Snapshot()
	if err := gen.CheckProfile(p); err != nil {
		return err
	}
	props, err := gen.Model().SitingContext(r.Context(), p, o)
	if err != nil {
		return err
	}
	res, err := gen.Compute(r.Context(), p)
	if err != nil {
		return err
	}
	before := res.Region
	out := make([]proposalOut, len(props))
	for i, pr := range props {
		out[i] = proposalOut{Rank: i + 1, Point: pr.Point, Commune: pr.Commune, NewlyCovered: pr.NewlyCovered,
			Cumulative: pr.Cumulative, CumulativeShare: pr.CumulativeShare}
		if c, ok := snap.Commune(pr.Commune); ok {
			out[i].CommuneName = c.Nom
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"params": res.Params, "k": k, "min_spacing_km": o.MinSpacingKm,
		"covered_before": before.Population - before.BeyondPopulation,
		"population":     before.Population,
		"method":         "Problème de couverture maximale (MCLP), glouton : au moins 1 − 1/e ≈ 63 % de l'optimum ; lieux existants conservés",
		"proposals":      out,
	})
	return nil
}
