package httpapi

// Demand profiles: the API contract of the profil parameter (issue 12),
// which the dashboard's profile selector uses.
//
//   - profil=population|65plus|pauvres|mixte (case-insensitive; default
//     population): whose demand the figures measure — every inhabitant,
//     those aged 65 or more, those of poor households (Filosofi: Ind ×
//     Men_pauv / Men), or a weighted sum of the three.
//   - mix=P,E,Q: the weights of population, 65plus and pauvres for
//     profil=mixte (default 1,1,1), three numbers ≥ 0, not all zero.
//   - Taken by GET /api/indicators (every format: json, geojson, csv,
//     csv-excel, xlsx), GET /api/indicators/{level}/{code}, GET /api/siting
//     and GET /api/whitezones; POST /api/scenarios takes them in its body as
//     "params": {"profil": "65plus", "mix": "1,2,2"}.
//   - 400 (French message) for an unknown profil, a malformed mix, or mix
//     without profil=mixte; 409 (French message telling to run cartonum
//     import-grid) when the profile needs inhabitants aged 65+ or of poor
//     households and no gridded population was imported.
//   - Every answer's params carry "profile" and "mix" ({"population",
//     "elderly", "poor"}, zero unless mixte); population and
//     beyond_population are then counts of the profile's people (for
//     mixte, of weighted people).

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// profileParams are the demand-profile parameters of every endpoint that
// computes indicators.
var profileParams = []string{"profil", "mix"}

// parseProfile reads profil and mix (see the contract above) into p.
func parseProfile(v url.Values, p *analysis.Params) error {
	raw := strings.ToLower(strings.TrimSpace(v.Get("profil")))
	if err := analysis.CheckProfile(raw); err != nil {
		return invalid("profil « %s » inconnu : %s", v.Get("profil"), strings.Join(analysis.Profiles, ", "))
	}
	p.Profile = raw
	if m := v.Get("mix"); m != "" {
		if raw != analysis.ProfileMix {
			return invalid("mix n'a de sens qu'avec profil=%s", analysis.ProfileMix)
		}
		mix, err := analysis.ParseMix(m)
		if err != nil {
			return invalid("%s", err.Error())
		}
		p.Mix = mix
	}
	return nil
}

func invalid(format string, args ...any) error {
	return cartonum.Errorf(cartonum.KindInvalid, format, args...)
}

func notFound(format string, args ...any) error {
	return cartonum.Errorf(cartonum.KindNotFound, format, args...)
}

var (
	communePattern = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	epciPattern    = regexp.MustCompile(`^\d{9}$`)
	deptPattern    = regexp.MustCompile(`^(\d{2}|2[AB]|97\d)$`)
)

// enumParams are the filter parameters over the standard's enumerations
// and the vocabularies of the extra columns.
var enumParams = []struct {
	name  string
	vocab *cartonum.Vocabulary
	dst   func(*index.Filter) *[]string
}{
	{"services", cartonum.Services, func(f *index.Filter) *[]string { return &f.Services }},
	{"dispositifs", cartonum.Dispositifs, func(f *index.Filter) *[]string { return &f.Dispositifs }},
	{"publics", cartonum.Publics, func(f *index.Filter) *[]string { return &f.Publics }},
	{"prise_en_charge", cartonum.PriseEnCharge, func(f *index.Filter) *[]string { return &f.PriseEnCharge }},
	{"frais", cartonum.Frais, func(f *index.Filter) *[]string { return &f.Frais }},
	{"modalites_accompagnement", cartonum.ModalitesAccompagnement, func(f *index.Filter) *[]string { return &f.ModalitesAccompagnement }},
	{"modalites_acces", cartonum.ModalitesAcces, func(f *index.Filter) *[]string { return &f.ModalitesAcces }},
	{"equipements", cartonum.Equipements, func(f *index.Filter) *[]string { return &f.Equipements }},
	{"qualifications", cartonum.Qualifications, func(f *index.Filter) *[]string { return &f.Qualifications }},
}

var codeParams = []struct {
	name    string
	pattern *regexp.Regexp
	dst     func(*index.Filter) *[]string
}{
	{"commune", communePattern, func(f *index.Filter) *[]string { return &f.Communes }},
	{"epci", epciPattern, func(f *index.Filter) *[]string { return &f.EPCIs }},
	{"departement", deptPattern, func(f *index.Filter) *[]string { return &f.Departements }},
}

// isSiteParam reports whether name is a parameter of /api/sites.
func isSiteParam(name string) bool {
	switch name {
	case "bbox", "near", "radius", "q", "ouvert", "limit", "offset", "plus_proches":
		return true
	}
	for _, p := range enumParams {
		if p.name == name {
			return true
		}
	}
	for _, p := range codeParams {
		if p.name == name {
			return true
		}
	}
	return false
}

// values returns the values of a parameter given repeated, or separated by
// "|" or ",".
func values(v url.Values, name string) []string {
	var out []string
	for _, raw := range v[name] {
		for _, s := range strings.FieldsFunc(raw, func(r rune) bool { return r == '|' || r == ',' }) {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// siteQuery parses the parameters shared by /api/sites and the export.
// paged says whether limit and offset apply.
func (s *Server) siteQuery(v url.Values, paged bool) (index.Query, error) {
	q := index.Query{Limit: 100}
	for name := range v {
		if !isSiteParam(name) || (!paged && (name == "limit" || name == "offset" || name == "plus_proches")) {
			return q, invalid("paramètre inconnu « %s »", name)
		}
	}
	for _, p := range enumParams {
		for _, raw := range values(v, p.name) {
			c, ok := p.vocab.Canonical(raw)
			if !ok {
				return q, invalid("valeur « %s » inconnue pour %s ; valeurs possibles : %s", raw, p.name, strings.Join(p.vocab.Values, " | "))
			}
			dst := p.dst(&q.Filter)
			*dst = append(*dst, c)
		}
	}
	for _, p := range codeParams {
		for _, raw := range values(v, p.name) {
			code := strings.ToUpper(raw)
			if !p.pattern.MatchString(code) {
				return q, invalid("code « %s » invalide pour %s", raw, p.name)
			}
			dst := p.dst(&q.Filter)
			*dst = append(*dst, code)
		}
	}
	if t := v.Get("q"); t != "" {
		if len([]rune(t)) > 200 {
			return q, invalid("texte de recherche q trop long (200 caractères au plus)")
		}
		q.Text = t
	}
	if raw := v.Get("ouvert"); raw != "" {
		t, err := s.openAt(raw)
		if err != nil {
			return q, err
		}
		q.OpenAt = t
	}
	if raw := v.Get("bbox"); raw != "" {
		f, err := floats(raw, 4, "bbox")
		if err != nil {
			return q, err
		}
		b := orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}
		if !validLonLat(b.Min) || !validLonLat(b.Max) || b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
			return q, invalid("bbox « %s » invalide : attendu minLon,minLat,maxLon,maxLat en degrés WGS84", raw)
		}
		q.BBox = &b
	}
	if raw := v.Get("near"); raw != "" {
		f, err := floats(raw, 2, "near")
		if err != nil {
			return q, err
		}
		p := orb.Point{f[0], f[1]}
		if !validLonLat(p) {
			return q, invalid("near « %s » invalide : attendu lon,lat en degrés WGS84", raw)
		}
		q.Near = &p
		q.Radius = 10000
	}
	if raw := v.Get("radius"); raw != "" {
		if q.Near == nil {
			return q, invalid("radius n'a de sens qu'avec near=lon,lat")
		}
		r, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(r) || r <= 0 || r > s.cfg.MaxRadius {
			return q, invalid("radius « %s » invalide : un nombre de mètres entre 1 et %g", raw, s.cfg.MaxRadius)
		}
		q.Radius = r
	}
	if !paged {
		q.Limit = 0
		return q, nil
	}
	if raw := v.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > s.cfg.MaxLimit {
			return q, invalid("limit « %s » invalide : un entier entre 1 et %d", raw, s.cfg.MaxLimit)
		}
		q.Limit = n
	}
	if raw := v.Get("plus_proches"); raw != "" {
		if q.Near == nil {
			return q, invalid("plus_proches n'a de sens qu'avec near=lon,lat")
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 20 {
			return q, invalid("plus_proches « %s » invalide : un entier entre 0 et 20", raw)
		}
		q.Nearest = n
	}
	if raw := v.Get("offset"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 1_000_000 {
			return q, invalid("offset « %s » invalide : un entier positif", raw)
		}
		q.Offset = n
	}
	return q, nil
}

// openAt reads the ouvert parameter: "maintenant", the current minute, or
// an RFC 3339 instant.
func (s *Server) openAt(raw string) (time.Time, error) {
	if raw == "maintenant" {
		return s.now().Truncate(time.Minute), nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, invalid("ouvert « %s » invalide : « maintenant » ou un instant RFC 3339 comme 2026-05-01T10:00:00+02:00", raw)
	}
	return t, nil
}

func floats(raw string, n int, name string) ([]float64, error) {
	parts := strings.Split(raw, ",")
	if len(parts) != n {
		return nil, invalid("%s « %s » invalide : %d nombres séparés par des virgules attendus", name, raw, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, invalid("%s « %s » invalide : « %s » n'est pas un nombre", name, raw, p)
		}
		out[i] = f
	}
	return out, nil
}

func validLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

func unknownParams(v url.Values, allowed ...string) error {
	for name := range v {
		ok := false
		for _, a := range allowed {
			if name == a {
				ok = true
			}
		}
		if !ok {
			return invalid("paramètre inconnu « %s »", name)
		}
	}
	return nil
}

func intParam(v url.Values, name string, def, min, max int) (int, error) {
	raw := v.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		return 0, invalid("%s « %s » invalide : un entier entre %d et %d", name, raw, min, max)
	}
	return n, nil
}
