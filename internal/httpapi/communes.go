package httpapi

import (
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

type communeProps struct {
	Code            string     `json:"code"`
	Nom             string     `json:"nom"`
	CodeDepartement string     `json:"codeDepartement"`
	CodeRegion      string     `json:"codeRegion"`
	CodeEpci        string     `json:"codeEpci,omitempty"`
	NomEpci         string     `json:"nomEpci,omitempty"`
	NomDepartement  string     `json:"nomDepartement,omitempty"`
	CodesPostaux    []string   `json:"codesPostaux"`
	Population      int        `json:"population"`
	Lieux           int        `json:"lieux"`
	Centre          orb.Point  `json:"centre"`
	BBox            [4]float64 `json:"bbox"`
}

func (s *Server) getCommune(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if err := unknownParams(v, "geometry"); err != nil {
		return err
	}
	code := strings.ToUpper(chi.URLParam(r, "code"))
	if !communePattern.MatchString(code) {
		return invalid("code commune « %s » invalide (5 caractères, code INSEE)", chi.URLParam(r, "code"))
	}
	snap := s.idx.Current()
	c, ok := snap.Commune(code)
	if !ok {
		return notFound("aucune commune de code %s dans les données", code)
	}
	props := communeProps{
		Code: c.Code, Nom: c.Nom, CodeDepartement: c.CodeDepartement, CodeRegion: c.CodeRegion,
		CodeEpci: snap.EPCIOf(c.Code), CodesPostaux: nonNil(c.CodesPostaux), Population: c.Population,
		Lieux: snap.PlacesIn(c.Code),
	}
	if e, ok := snap.EPCI(props.CodeEpci); ok {
		props.NomEpci = e.Nom
	}
	if d, ok := snap.Departement(c.CodeDepartement); ok {
		props.NomDepartement = d.Nom
	}
	props.Centre, _ = snap.Anchor(c.Code)
	b := c.Geometry.Bound()
	props.BBox = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	var geom orb.Geometry = c.Geometry
	switch v.Get("geometry") {
	case "", "true":
	case "false":
		geom = props.Centre
	default:
		return invalid("geometry « %s » invalide : true ou false", v.Get("geometry"))
	}
	writeGeoJSON(w, http.StatusOK, struct {
		Type       string            `json:"type"`
		ID         string            `json:"id"`
		Geometry   *geojson.Geometry `json:"geometry"`
		Properties communeProps      `json:"properties"`
	}{"Feature", c.Code, geojson.NewGeometry(geom), props})
	return nil
}

type searchResult struct {
	Type            string     `json:"type"`
	Code            string     `json:"code"`
	Nom             string     `json:"nom"`
	Label           string     `json:"label"`
	CodePostal      string     `json:"codePostal,omitempty"`
	CodesPostaux    []string   `json:"codesPostaux"`
	CodeDepartement string     `json:"codeDepartement"`
	Population      int        `json:"population"`
	Centre          orb.Point  `json:"centre"`
	BBox            [4]float64 `json:"bbox"`
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if err := unknownParams(v, "q", "limit"); err != nil {
		return err
	}
	q := strings.TrimSpace(v.Get("q"))
	if q == "" {
		return invalid("paramètre q manquant : un nom de commune ou un code postal")
	}
	if utf8.RuneCountInString(q) > 100 {
		return invalid("paramètre q trop long (100 caractères au plus)")
	}
	limit, err := intParam(v, "limit", 10, 1, 50)
	if err != nil {
		return err
	}
	snap := s.idx.Current()
	out := []searchResult{}
	for _, m := range snap.SearchCommunes(q, limit) {
		c := m.Commune
		label := c.Nom + " (" + c.CodeDepartement + ")"
		if m.Postcode != "" {
			label = m.Postcode + " " + c.Nom
		}
		centre, _ := snap.Anchor(c.Code)
		b := c.Geometry.Bound()
		out = append(out, searchResult{
			Type: "commune", Code: c.Code, Nom: c.Nom, Label: label, CodePostal: m.Postcode,
			CodesPostaux: nonNil(c.CodesPostaux), CodeDepartement: c.CodeDepartement,
			Population: c.Population, Centre: centre, BBox: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
		})
	}
	lieux := []placeResult{}
	if !looksLikePostcode(q) {
		for _, m := range snap.SearchPlaces(q, 5) {
			p := m.Place
			lieux = append(lieux, placeResult{Type: "lieu", ID: p.ID, Nom: p.Nom, NomAffiche: snap.DisplayName(p),
				Commune: p.Commune, CodePostal: p.CodePostal, Centre: orb.Point{p.Longitude, p.Latitude}})
		}
	}
	body := map[string]any{"query": q, "results": out, "lieux": lieux}
	if looksLikeStreetAddress(q) && s.cfg.GeocoderURL == "" {
		body["adresse_indisponible"] = true
		body["message"] = "La recherche par adresse (rue, numéro) n'est pas disponible sur ce service : cherchez une commune, un code postal ou le nom d'un lieu."
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// placeResult is a place found by name in the search box.
type placeResult struct {
	Type       string    `json:"type"`
	ID         string    `json:"id"`
	Nom        string    `json:"nom"`
	NomAffiche string    `json:"nom_affiche"`
	Commune    string    `json:"commune"`
	CodePostal string    `json:"codePostal,omitempty"`
	Centre     orb.Point `json:"centre"`
}

func looksLikePostcode(q string) bool { return strings.Trim(q, "0123456789 ") == "" }

// streetWords are the words of French street names ("12 rue de la Paix").
var streetWords = regexp.MustCompile(`(?i)(^|\s)(rue|avenue|av|bd|boulevard|chemin|ch|allée|allee|impasse|route|rte|place|pl|quai|cours|square|résidence|residence|lotissement|sentier|voie|faubourg|chaussée|chaussee|rond-point|passage|hameau|lieu-dit)(\s|$|\.)`)

// looksLikeStreetAddress reports whether a query is a street address: a
// house number followed by words, or a street word (rue, avenue…).
func looksLikeStreetAddress(q string) bool {
	q = strings.TrimSpace(q)
	if looksLikePostcode(q) {
		return false
	}
	if houseNumber.MatchString(q) {
		return true
	}
	return streetWords.MatchString(q)
}

var houseNumber = regexp.MustCompile(`^\d{1,4}\s*(bis|ter|[a-z])?[\s,]+\pL`)

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	snap := s.idx.Current()
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "ok", "data_version": snap.Version(), "places": len(snap.Places()) - snap.OutsideRegion(),
		"places_outside_region": snap.OutsideRegion(),
		"communes":              len(snap.Communes()), "epci": len(snap.EPCIs()), "departements": len(snap.Departements()),
	})
	return nil
}
