package httpapi

// The priority view (GET /api/priorites) and the fragilite parameter.
//
//   - fragilite=1 (also true, oui; 0, false, non or absent: off) weighs
//     each commune's demand by its fragility score relative to the
//     region's population-weighted mean score (analysis.Params.
//     WeightFragility): taken by every endpoint that parses the analysis
//     parameters (parseParams). Communes without a score weigh 1.
//   - GET /api/priorites?niveau=commune|epci|departement|region&seuil=20|30
//     &profil=…&limit=N&format=json|csv|csv-excel|xlsx: the territories
//     ranked by their people beyond the threshold weighted by fragility,
//     each row with its inputs (people beyond, score, factor, weighted
//     value, rank). seuil is threshold_min in minutes (either may be
//     given, not both with different values); the other analysis
//     parameters apply (speed_kmh, circuity, services, dispositifs,
//     profil, mix); fragilite is ignored: the view weighs once. region
//     only when several regions are loaded.

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/generation"
)

// fragilityParams are the fragility parameters of every endpoint that
// computes indicators.
var fragilityParams = []string{"fragilite"}

// parseFragility reads fragilite into p.WeightFragility.
func parseFragility(v url.Values, p *analysis.Params) error {
	switch strings.ToLower(strings.TrimSpace(v.Get("fragilite"))) {
	case "", "0", "false", "non":
		p.WeightFragility = false
	case "1", "true", "oui":
		p.WeightFragility = true
	default:
		return invalid("fragilite « %s » invalide : 1 (pondérer la demande par la fragilité) ou 0", v.Get("fragilite"))
	}
	return nil
}

// priorityMethod explains the ranking, in the answers and the exports.
const priorityMethod = "Rang par population au-delà du seuil pondérée par la fragilité : pour chaque commune, " +
	"population au-delà du seuil × (score de fragilité de la commune ÷ score moyen de la région pondéré par la population ; 1 sans score), " +
	"sommée sur les communes du territoire. Le facteur d'un EPCI ou d'un département est la valeur pondérée divisée par sa population au-delà du seuil."

func (s *Server) listPriorities(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p, err := parseParams(v, "niveau", "seuil", "limit", "format")
	if err != nil {
		return err
	}
	if raw := v.Get("seuil"); raw != "" {
		b := analysis.ParamBounds().ThresholdMin
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(f >= b.Min && f <= b.Max) {
			return invalid("seuil « %s » invalide : un nombre de minutes entre %g et %g (20 : mesure de l'ANCT pour France Services ; 30 : objectif officiel)", raw, b.Min, b.Max)
		}
		if t := v.Get("threshold_min"); t != "" && p.ThresholdMin != f {
			return invalid("seuil et threshold_min diffèrent : donnez l'un ou l'autre")
		}
		p.ThresholdMin = f
	}
	gen := s.idx.Load()
	level := v.Get("niveau")
	switch level {
	case "":
		level = analysis.LevelCommune
	case analysis.LevelCommune, analysis.LevelEPCI, analysis.LevelDepartement:
	case analysis.LevelRegion:
		if !gen.Model().National() {
			return invalid("niveau « region » indisponible : une seule région chargée ; niveaux possibles : commune, epci ou departement")
		}
	default:
		if gen.Model().National() {
			return invalid("niveau « %s » invalide : commune, epci, departement ou region", level)
		}
		return invalid("niveau « %s » invalide : commune, epci ou departement", level)
	}
	limit, err := intParam(v, "limit", 0, 1, 100_000)
	if err != nil {
		return err
	}
	format := v.Get("format")
	switch format {
	case "", "json", generation.FormatCSV, generation.FormatCSVExcel, generation.FormatXLSX:
	default:
		return invalid("format « %s » invalide : json, %s", format, strings.Join(generation.Formats, ", "))
	}
	rows, params, err := gen.Model().Priorities(r.Context(), p, level)
	if err != nil {
		return err
	}
	res, err := gen.Compute(r.Context(), params)
	if err != nil {
		return err
	}
	// The mean score the factors divide by: the loaded territory's
	// population-weighted mean of the known scores.
	mean := res.Region.Fragility
	method, whose := priorityMethod, "de la région"
	if gen.Model().National() {
		method, whose = strings.Replace(method, "score moyen de la région", "score moyen des régions chargées", 1), "des régions chargées"
	}
	total := len(rows)
	if limit > 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	if format != "" && format != "json" {
		extra := append(exportParams(gen, level, params, edgeOf(gen, params)),
			generation.Param{Name: "Score de fragilité moyen " + whose + " (pondéré par la population)", Value: generation.Num{V: mean, Digits: 3}},
			generation.Param{Name: "Méthode du rang", Value: method})
		return writeTable(w, priorityTable(params, rows), format, exportName("priorites", level, params, format), extra)
	}
	writeJSON(w, http.StatusOK, map[string]any{"params": params, "level": level, "data_version": gen.Version(),
		"fragility_mean": mean, "fragility_communes": fragilityCount(gen.Model()), "method": method,
		"total": total, "items": rows})
	return nil
}

// fragilityCount is how many communes have a fragility score.
func fragilityCount(m *analysis.Model) int {
	n := 0
	for _, c := range m.Communes() {
		if c.Fragility > 0 {
			n++
		}
	}
	return n
}

// priorityTable is the priority view as a table, each row with its inputs
// and the parameters used.
func priorityTable(p analysis.Params, rows []analysis.Priority) generation.Table {
	t := generation.Table{Sheet: "Priorités", Columns: []string{"rang", "niveau", "code", "nom", "population",
		"population_au_dela_seuil", "fragilite", "part_population_avec_score", "facteur_fragilite",
		"population_au_dela_ponderee", "seuil_min", "vitesse_kmh", "detour", "services", "dispositifs", "profil"}}
	for _, pr := range rows {
		frag := generation.Num{V: pr.Fragility, Digits: 2}
		if pr.Fragility == 0 {
			frag.V = math.NaN() // unknown: an empty cell
		}
		t.Rows = append(t.Rows, []any{pr.Rank, pr.Level, pr.Code, pr.Name, generation.Num{V: pr.Population},
			generation.Num{V: pr.BeyondPopulation}, frag, generation.Num{V: pr.FragilityCoverage, Digits: 4},
			generation.Num{V: pr.Factor, Digits: 4}, generation.Num{V: pr.Weighted, Digits: 1},
			generation.Num{V: p.ThresholdMin, Digits: 1}, generation.Num{V: p.SpeedKmh, Digits: 1}, generation.Num{V: p.Circuity, Digits: 2},
			strings.Join(p.Services, "|"), strings.Join(p.Dispositifs, "|"), p.Profile})
	}
	return t
}
