package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
)

// scenarioRequest is the body of POST /api/scenarios.
type scenarioRequest struct {
	Params struct {
		ThresholdMin float64  `json:"threshold_min"`
		SpeedKmh     float64  `json:"speed_kmh"`
		Circuity     float64  `json:"circuity"`
		Services     []string `json:"services"`
		Dispositifs  []string `json:"dispositifs"`
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
	p, err := parseParams(v)
	if err != nil {
		return err
	}
	gen := s.idx.Load()
	snap := gen.Snapshot()
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
		Before: res.Before.Region, After: res.After.Region, Total: res.Total, Deltas: res.Deltas}
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
	writeJSON(w, status, sum)
	return nil
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
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
	writeJSON(w, http.StatusOK, sum)
	return nil
}
