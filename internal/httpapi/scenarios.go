package httpapi

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/generation"
)

// scenarioRequest is the body of POST /api/scenarios.
type scenarioRequest struct {
	Params struct {
		ThresholdMin float64  `json:"threshold_min"`
		SpeedKmh     float64  `json:"speed_kmh"`
		Circuity     float64  `json:"circuity"`
		Services     []string `json:"services"`
		Dispositifs  []string `json:"dispositifs"`
		Profile      string   `json:"profil"` // see parseProfile
		Mix          string   `json:"mix"`
		Fragility    bool     `json:"fragilite"` // see parseFragility
	} `json:"params"`
	Add    []addedPlace `json:"add"`
	Remove []string     `json:"remove"`
	Store  bool         `json:"store"`
	Title  string       `json:"title"`
}

// addedPlace is a place a scenario adds.
type addedPlace struct {
	Lon         float64  `json:"lon"`
	Lat         float64  `json:"lat"`
	Name        string   `json:"name"`
	Services    []string `json:"services"`
	Dispositifs []string `json:"dispositifs"`
}

// maxIDLength bounds the id of a place a scenario removes (ids of the
// standard are far shorter).
const maxIDLength = 200

// checkSizes applies the per-field limits: over one, the request is a 413
// and nothing is computed or stored.
func (req *scenarioRequest) checkSizes(l WriteLimits) error {
	if n := utf8.RuneCountInString(req.Title); n > l.MaxTitle {
		return tooLarge("titre trop long (%d caractères) : %d caractères au plus", n, l.MaxTitle)
	}
	if len(req.Add) > l.MaxAdded {
		return tooLarge("trop de lieux ajoutés (%d) : %d au plus", len(req.Add), l.MaxAdded)
	}
	if len(req.Remove) > l.MaxRemoved {
		return tooLarge("trop de lieux retirés (%d) : %d au plus", len(req.Remove), l.MaxRemoved)
	}
	type list struct {
		what  string
		n     int
		vocab *cartonum.Vocabulary
	}
	lists := []list{
		{"params.services", len(req.Params.Services), cartonum.Services},
		{"params.dispositifs", len(req.Params.Dispositifs), cartonum.Dispositifs},
	}
	for i, a := range req.Add {
		if n := utf8.RuneCountInString(a.Name); n > l.MaxName {
			return tooLarge("lieu ajouté n°%d : nom trop long (%d caractères) : %d caractères au plus", i+1, n, l.MaxName)
		}
		lists = append(lists,
			list{fmt.Sprintf("lieu ajouté n°%d : services", i+1), len(a.Services), cartonum.Services},
			list{fmt.Sprintf("lieu ajouté n°%d : dispositifs", i+1), len(a.Dispositifs), cartonum.Dispositifs})
	}
	for _, list := range lists {
		if list.n > len(list.vocab.Values) {
			return tooLarge("%s : %d valeurs, %d au plus (une fois chaque valeur possible)", list.what, list.n, len(list.vocab.Values))
		}
	}
	for i, id := range req.Remove {
		if len(id) > maxIDLength {
			return tooLarge("lieu retiré n°%d : identifiant trop long (%d octets au plus)", i+1, maxIDLength)
		}
	}
	if strings.IndexFunc(req.Title, unicode.IsControl) >= 0 {
		return invalid("titre invalide : caractères de contrôle interdits")
	}
	return nil
}

// ScenarioSummary is what a scenario answers and, on request, stores.
type ScenarioSummary struct {
	ID     int64                   `json:"id,omitempty"`
	Title  string                  `json:"title,omitempty"`
	Params analysis.Params         `json:"params"`
	Input  json.RawMessage         `json:"scenario"`
	Before analysis.Indicators     `json:"before"`
	After  analysis.Indicators     `json:"after"`
	Total  analysis.Delta          `json:"total"`
	Deltas []analysis.CommuneDelta `json:"deltas"`
	// EPCIDeltas and DepartementDeltas are the changes of the EPCI and
	// départements, computed from their own before and after figures
	// (not summed from the communes: times are population-weighted and
	// the 90th centile is not additive).
	EPCIDeltas        []analysis.CommuneDelta `json:"epci_deltas"`
	DepartementDeltas []analysis.CommuneDelta `json:"departement_deltas"`
	// RegionDeltas are the changes of the regions when several are
	// loaded (Before and After are then the national total).
	RegionDeltas []analysis.CommuneDelta `json:"region_deltas,omitempty"`
	// WhiteZones is how the white-zone cells change (answered, not
	// stored).
	WhiteZones *whiteZoneChanges `json:"whitezones,omitempty"`
}

// whiteZoneChanges are the white-zone cells a scenario changes, by the id
// of /api/whitezones: cells no longer white (Remove), and cells white
// after it (Add: new ones, or white ones whose trip changed, replacing
// the cell of the same id).
type whiteZoneChanges struct {
	Remove           []string           `json:"remove"`
	Add              []*geojson.Feature `json:"add"`
	PopulationBefore float64            `json:"population_before"`
	PopulationAfter  float64            `json:"population_after"`
}

// deltasOf lists the territories whose figures differ between two lists
// of the same territories in the same order.
func deltasOf(before, after []analysis.Indicators) []analysis.CommuneDelta {
	out := []analysis.CommuneDelta{}
	for i := range after {
		if i >= len(before) || before[i].Code != after[i].Code {
			continue
		}
		b, a := &before[i], &after[i]
		d := analysis.Delta{Sites: a.Sites - b.Sites, SitesPer10k: a.SitesPer10k - b.SitesPer10k,
			MeanMinutes: a.MeanMinutes - b.MeanMinutes, P90Minutes: a.P90Minutes - b.P90Minutes,
			MeanKm: a.MeanKm - b.MeanKm, P90Km: a.P90Km - b.P90Km,
			BeyondPopulation: a.BeyondPopulation - b.BeyondPopulation, BeyondShare: a.BeyondShare - b.BeyondShare,
			Access: a.Access - b.Access}
		if d != (analysis.Delta{}) {
			out = append(out, analysis.CommuneDelta{Code: a.Code, Name: a.Name, Delta: d})
		}
	}
	return out
}

// whiteZoneChangesOf compares the white cells before and after a scenario.
func whiteZoneChangesOf(gen *generation.Generation, p analysis.Params, res *analysis.ScenarioResult) *whiteZoneChanges {
	before := gen.Model().Points(p)
	cells := newWhiteCells(gen, edgeOf(gen, res.After.Params), res.After.Params)
	t := res.After.Params.ThresholdMin
	wz := &whiteZoneChanges{Remove: []string{}, Add: []*geojson.Feature{}}
	for i, o := range before {
		if white(o.Reached, o.Minutes, t) {
			wz.PopulationBefore += cells.weights[i]
		}
	}
	wz.PopulationAfter = wz.PopulationBefore
	for _, c := range res.Points {
		b := before[c.Index]
		was, is := white(b.Reached, b.Minutes, t), white(c.Reached, c.Minutes, t)
		pop := cells.weights[c.Index]
		switch {
		case was && !is:
			wz.Remove = append(wz.Remove, strconv.Itoa(c.Index))
			wz.PopulationAfter -= pop
		case is:
			if !was {
				wz.PopulationAfter += pop
			}
			wz.Add = append(wz.Add, cells.feature(c.Index, c.Reached, c.Minutes))
		}
	}
	wz.PopulationBefore, wz.PopulationAfter = math.Round(wz.PopulationBefore), math.Round(wz.PopulationAfter)
	return wz
}

func (s *Server) postScenario(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	var req scenarioRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := req.checkSizes(s.cfg.Writes); err != nil {
		return err
	}
	req.Title = strings.TrimSpace(req.Title)
	v := url.Values{}
	if req.Params.ThresholdMin != 0 {
		v.Set("threshold_min", strconv.FormatFloat(req.Params.ThresholdMin, 'f', -1, 64))
	}
	if req.Params.SpeedKmh != 0 {
		v.Set("speed_kmh", strconv.FormatFloat(req.Params.SpeedKmh, 'f', -1, 64))
	}
	if req.Params.Circuity != 0 {
		v.Set("circuity", strconv.FormatFloat(req.Params.Circuity, 'f', -1, 64))
	}
	v["services"] = req.Params.Services
	v["dispositifs"] = req.Params.Dispositifs
	if req.Params.Profile != "" {
		v.Set("profil", req.Params.Profile)
	}
	if req.Params.Mix != "" {
		v.Set("mix", req.Params.Mix)
	}
	if req.Params.Fragility {
		v.Set("fragilite", "1")
	}
	p, err := parseParams(v)
	if err != nil {
		return err
	}
	gen := s.idx.Load()
	snap := gen.Snapshot()
	if err := gen.CheckProfile(p); err != nil {
		return err
	}
	var sc analysis.Scenario
	for i, a := range req.Add {
		pt := orb.Point{a.Lon, a.Lat}
		if !validLonLat(pt) {
			return invalid("lieu ajouté n°%d : coordonnées (%g, %g) invalides", i+1, a.Lon, a.Lat)
		}
		site := analysis.Site{ID: fmt.Sprintf("scenario-%d", i+1), Point: pt}
		for _, x := range a.Services {
			c, ok := cartonum.Services.Canonical(x)
			if !ok {
				return invalid("lieu ajouté n°%d : service « %s » inconnu", i+1, x)
			}
			site.Services = append(site.Services, c)
		}
		for _, x := range a.Dispositifs {
			c, ok := cartonum.Dispositifs.Canonical(x)
			if !ok {
				return invalid("lieu ajouté n°%d : dispositif « %s » inconnu", i+1, x)
			}
			site.Dispositifs = append(site.Dispositifs, c)
		}
		sc.Add = append(sc.Add, site)
	}
	for _, id := range req.Remove {
		p, ok := snap.Place(id)
		if !ok {
			return notFound("lieu à retirer « %s » inconnu", id)
		}
		sc.Remove = append(sc.Remove, p.ID)
	}
	res, err := gen.Model().ScenarioContext(r.Context(), p, sc)
	if err != nil {
		return err
	}
	input, _ := json.Marshal(map[string]any{"add": req.Add, "remove": req.Remove})
	sum := ScenarioSummary{Title: req.Title, Params: res.After.Params, Input: input,
		Before: res.Before.Region, After: res.After.Region, Total: res.Total, Deltas: res.Deltas,
		EPCIDeltas: deltasOf(res.Before.EPCI, res.After.EPCI), DepartementDeltas: deltasOf(res.Before.Departements, res.After.Departements)}
	if gen.Model().National() {
		sum.RegionDeltas = deltasOf(res.Before.Regions, res.After.Regions)
	}
	if sum.Deltas == nil {
		sum.Deltas = []analysis.CommuneDelta{}
	}
	status := http.StatusOK
	if req.Store {
		if s.scenarios == nil {
			return cartonum.Errorf(cartonum.KindConflict, "l'enregistrement des scénarios n'est pas disponible sur ce serveur")
		}
		body, _ := json.Marshal(sum)
		id, err := s.scenarios.SaveScenario(r.Context(), s.clientKey(r), req.Title, body)
		if err != nil {
			return err
		}
		sum.ID = id
		status = http.StatusCreated
		w.Header().Set("Location", fmt.Sprintf("/api/scenarios/%d", id))
	}
	sum.WhiteZones = whiteZoneChangesOf(gen, p, res)
	writeJSON(w, status, sum)
	return nil
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query(), "format"); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	switch format {
	case "", "json", generation.FormatCSV, generation.FormatCSVExcel, generation.FormatXLSX:
	default:
		return invalid("format « %s » invalide : json, %s", format, strings.Join(generation.Formats, ", "))
	}
	if s.scenarios == nil {
		return notFound("aucun scénario enregistré")
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return invalid("identifiant de scénario « %s » invalide", chi.URLParam(r, "id"))
	}
	body, err := s.scenarios.Scenario(r.Context(), id)
	if err != nil {
		return err
	}
	var sum ScenarioSummary
	if err := json.Unmarshal(body, &sum); err != nil {
		return fmt.Errorf("scenario %d: %w", id, err)
	}
	sum.ID = id
	if format == "" {
		writeJSON(w, http.StatusOK, sum)
		return nil
	}
	name := exportName(fmt.Sprintf("scenario-%d", id), "", sum.Params, format)
	if format == "json" {
		attachment(w, name)
		writeJSON(w, http.StatusOK, sum)
		return nil
	}
	return writeTable(w, scenarioTable(&sum), format, name, scenarioParams(s.idx.Load(), &sum))
}

// scenarioTable is a saved scenario's changes as a table: the region (or
// the national total, then each changed region), then each changed
// département, EPCI and commune.
func scenarioTable(sum *ScenarioSummary) generation.Table {
	t := generation.Table{Sheet: "Écarts", Columns: []string{"niveau", "code", "nom", "ecart_lieux", "ecart_lieux_pour_10000",
		"ecart_temps_moyen_min", "ecart_temps_p90_min", "ecart_population_au_dela_seuil", "ecart_part_au_dela_seuil", "ecart_accessibilite_e2sfca"}}
	row := func(level, code, name string, d analysis.Delta) []any {
		return []any{level, code, name, d.Sites, generation.Num{V: d.SitesPer10k, Digits: 3}, generation.Num{V: d.MeanMinutes, Digits: 2},
			generation.Num{V: d.P90Minutes, Digits: 2}, generation.Num{V: d.BeyondPopulation, Digits: 1}, generation.Num{V: d.BeyondShare, Digits: 4},
			generation.Num{V: d.Access, Digits: 3}}
	}
	top := sum.Before.Level
	if top == "" {
		top = analysis.LevelRegion
	}
	t.Rows = append(t.Rows, row(top, sum.Before.Code, sum.Before.Name, sum.Total))
	for _, l := range []struct {
		level string
		list  []analysis.CommuneDelta
	}{{analysis.LevelRegion, sum.RegionDeltas}, {analysis.LevelDepartement, sum.DepartementDeltas}, {analysis.LevelEPCI, sum.EPCIDeltas}, {analysis.LevelCommune, sum.Deltas}} {
		for _, d := range l.list {
			t.Rows = append(t.Rows, row(l.level, d.Code, d.Name, d.Delta))
		}
	}
	return t
}

func scenarioParams(gen *generation.Generation, sum *ScenarioSummary) []generation.Param {
	var in struct {
		Add    []addedPlace `json:"add"`
		Remove []string     `json:"remove"`
	}
	_ = json.Unmarshal(sum.Input, &in)
	out := []generation.Param{{Name: "Scénario", Value: fmt.Sprintf("n°%d", sum.ID)}, {Name: "Titre", Value: sum.Title},
		{Name: "Lieux ajoutés", Value: len(in.Add)}, {Name: "Lieux retirés", Value: len(in.Remove)},
		{Name: "Habitants au-delà du seuil, avant", Value: math.Round(sum.Before.BeyondPopulation)},
		{Name: "Habitants au-delà du seuil, après", Value: math.Round(sum.After.BeyondPopulation)}}
	return append(out, exportParams(gen, "", sum.Params, edgeOf(gen, sum.Params))...)
}
