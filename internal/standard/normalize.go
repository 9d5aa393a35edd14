package standard

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// Territory is what normalisation needs to know of the region: its
// communes, found by point, code or name. The in-memory index satisfies it.
type Territory interface {
	// CommuneAt returns the region's commune containing p.
	CommuneAt(p orb.Point) (*cartonum.Commune, bool)
	// Commune returns the region's commune with this INSEE code.
	Commune(code string) (*cartonum.Commune, bool)
	// CommunesNamed returns the region's communes whose name has this
	// matching key (cartonum.Key).
	CommunesNamed(key string) []*cartonum.Commune
	// Anchor returns a point inside the commune, where places known only
	// by their commune are put.
	Anchor(code string) (orb.Point, bool)
}

// Options tune normalisation.
type Options struct {
	// Region is the code of the region being imported, for messages.
	Region string
	// KeepOutside keeps places outside the region's communes, flagged,
	// instead of rejecting them.
	KeepOutside bool
	// Progress, when set, is called as rows are processed.
	Progress func(done, total int)
}

// Rejection says why a row cannot become a place.
type Rejection struct {
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// unknownPivot is the conventional SIRET of a place whose SIRET is unknown.
const unknownPivot = "00000000000000"

// maxResume is the length limit of presentation_resume in the standard.
const maxResume = 280

// row collects the repairs made while normalising one record.
type row struct {
	rec     Record
	repairs []cartonum.Repair
}

func (r *row) repair(field, format string, args ...any) {
	r.repairs = append(r.repairs, cartonum.Repair{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *row) get(field string) string { return r.rec.Fields[field] }

// Normalize turns one record into a v1.0.2 place, repairing what can be
// repaired (each repair recorded in the place's provenance) or says why the
// row is rejected.
func Normalize(rec Record, t Territory, o Options) (cartonum.Place, *Rejection) {
	r := &row{rec: rec}
	var p cartonum.Place
	if rec.Problem != "" {
		return p, &Rejection{Reason: rec.Problem}
	}
	p.ID = clean(r.get("id"))
	if p.ID == "" {
		return p, &Rejection{Field: "id", Reason: "identifiant (id) manquant"}
	}
	if utf8.RuneCountInString(p.ID) > 200 {
		return p, &Rejection{Field: "id", Reason: "identifiant (id) de plus de 200 caractères"}
	}
	p.Nom = clean(r.get("nom"))
	if p.Nom == "" {
		return p, &Rejection{Field: "nom", Reason: "nom manquant"}
	}

	r.pivot(&p)
	r.text(&p)
	r.contacts(&p)
	r.lists(&p)
	r.horaires(&p)
	if rej := r.location(&p, t, o); rej != nil {
		return p, rej
	}
	if p.Adresse = clean(r.get("adresse")); p.Adresse == "" {
		return p, &Rejection{Field: "adresse", Reason: "adresse manquante"}
	}
	raw := r.get("date_maj")
	d, repaired, ok := date(raw)
	if !ok {
		if strings.TrimSpace(raw) == "" {
			return p, &Rejection{Field: "date_maj", Reason: "date de mise à jour (date_maj) manquante"}
		}
		return p, &Rejection{Field: "date_maj", Reason: fmt.Sprintf("date de mise à jour « %s » illisible (attendu AAAA-MM-JJ)", raw)}
	}
	if repaired {
		r.repair("date_maj", "date « %s » convertie en %s", strings.TrimSpace(raw), d)
	}
	p.DateMaj = d
	p.Provenance.SourceIDs = []string{p.ID}
	if p.Source != "" {
		p.Provenance.Sources = []string{p.Source}
	}
	for i := range r.repairs {
		r.repairs[i].Record = p.ID
	}
	p.Provenance.Repairs = r.repairs
	return p, nil
}

func (r *row) pivot(p *cartonum.Place) {
	raw := r.get("pivot")
	v := strings.TrimSpace(raw)
	if d := strings.ReplaceAll(v, " ", ""); d != v && nonDigits.FindString(d) == "" {
		v = d // "215 903 501 00017"
	}
	switch {
	case v == "":
		r.repair("pivot", "SIRET/RNA absent : remplacé par %s (inconnu)", unknownPivot)
		v = unknownPivot
	case !pivotPattern.MatchString(v):
		r.repair("pivot", "SIRET/RNA « %s » invalide : remplacé par %s (inconnu)", raw, unknownPivot)
		v = unknownPivot
	case v != raw:
		r.repair("pivot", "espaces retirés du SIRET/RNA")
	}
	p.Pivot = v
}

func (r *row) text(p *cartonum.Place) {
	p.ComplementAdresse = clean(r.get("complement_adresse"))
	p.Source = clean(r.get("source"))
	p.StructureParente = clean(r.get("structure_parente"))
	p.PresentationDetail = multiline(r.get("presentation_detail"))
	p.PresentationResume = clean(r.get("presentation_resume"))
	if n := utf8.RuneCountInString(p.PresentationResume); n > maxResume {
		full := p.PresentationResume
		if p.PresentationDetail == "" {
			p.PresentationDetail = full
			r.repair("presentation_resume", "résumé de %d caractères (maximum %d) : tronqué, texte complet déplacé dans presentation_detail", n, maxResume)
		} else {
			r.repair("presentation_resume", "résumé de %d caractères (maximum %d) : tronqué", n, maxResume)
		}
		p.PresentationResume = truncate(full, maxResume)
	}
	for _, t := range splitList(r.get("typologie")) {
		p.Typologie = appendUnique(p.Typologie, strings.ToUpper(t))
	}
}

// multiline trims a free text and normalises its line breaks to "\n".
func multiline(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n"))
}

// truncate cuts s to at most n runes, at a word boundary, ending with "…".
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	cut := runes[:n-1]
	if i := strings.LastIndex(string(cut), " "); i > len(string(cut))/2 {
		return strings.TrimSpace(string(cut)[:i]) + "…"
	}
	return string(cut) + "…"
}

func (r *row) contacts(p *cartonum.Place) {
	if raw := strings.TrimSpace(r.get("telephone")); raw != "" {
		n, extra, ok := phone(raw)
		switch {
		case !ok:
			r.repair("telephone", "numéro « %s » invalide : ignoré", raw)
		case extra:
			r.repair("telephone", "plusieurs numéros « %s » : seul %s est gardé", raw, n)
		case n != raw:
			r.repair("telephone", "numéro « %s » mis au format international %s", raw, n)
		}
		p.Telephone = n
	}
	valid, invalid := emails(r.get("courriels"))
	p.Courriels = valid
	for _, e := range invalid {
		r.repair("courriels", "courriel « %s » invalide : ignoré", e)
	}
	sites, bad, repaired := urls(r.get("site_web"))
	p.SiteWeb = sites
	for _, u := range bad {
		r.repair("site_web", "adresse web « %s » invalide : ignorée", u)
	}
	if repaired {
		r.repair("site_web", "https:// ajouté aux adresses web sans protocole")
	}
	p.FicheAccesLibre = r.single("fiche_acces_libre")
	p.PriseRdv = r.single("prise_rdv")
}

// single reads a field holding one web address.
func (r *row) single(field string) string {
	raw := strings.TrimSpace(r.get(field))
	if raw == "" {
		return ""
	}
	u, repaired, ok := webURL(raw)
	if !ok {
		r.repair(field, "adresse web « %s » invalide : ignorée", raw)
		return ""
	}
	if repaired {
		r.repair(field, "https:// ajouté à « %s »", raw)
	}
	return u
}

func (r *row) lists(p *cartonum.Place) {
	p.Services = r.enum("services", cartonum.Services, r.get("services"), legacyServices, nil)
	p.Itinerance = r.enum("itinerance", cartonum.Itinerance, r.get("itinerance"), nil, nil)
	p.Publics = r.enum("publics_specifiquement_adresses", cartonum.Publics, r.get("publics_specifiquement_adresses"), nil, nil)
	p.PriseEnCharge = r.enum("prise_en_charge_specifique", cartonum.PriseEnCharge, r.get("prise_en_charge_specifique"), nil, nil)
	p.Frais = r.enum("frais_a_charge", cartonum.Frais, r.get("frais_a_charge"), legacyFrais, head)
	p.Dispositifs = r.enum("dispositif_programmes_nationaux", cartonum.Dispositifs, r.get("dispositif_programmes_nationaux"), legacyLabels, nil)
	p.FormationsLabels = r.enum("formations_labels", cartonum.FormationsLabels, r.get("formations_labels"), nil, nil)
	p.ModalitesAcces = r.enum("modalites_acces", cartonum.ModalitesAcces, r.get("modalites_acces"), nil, nil)
	p.ModalitesAccompagnement = r.enum("modalites_accompagnement", cartonum.ModalitesAccompagnement, r.get("modalites_accompagnement"), legacyAccompagnement, head)
	p.AutresFormationsLabels = splitList(r.get("autres_formations_labels"))

	// v0.1 columns.
	for _, v := range splitList(r.get("labels_nationaux")) {
		if c, ok := cartonum.Dispositifs.Canonical(v); ok {
			p.Dispositifs = appendUnique(p.Dispositifs, c)
		} else if c, ok := legacyLabels[cartonum.Key(v)]; ok {
			p.Dispositifs = appendUnique(p.Dispositifs, c)
		} else {
			p.AutresFormationsLabels = appendUnique(p.AutresFormationsLabels, v)
			r.repair("labels_nationaux", "label « %s » hors de la liste des dispositifs : gardé dans autres_formations_labels", v)
		}
	}
	for _, v := range splitList(r.get("labels_autres")) {
		p.AutresFormationsLabels = appendUnique(p.AutresFormationsLabels, v)
	}
	for _, v := range splitList(r.get("conditions_acces")) {
		if c, ok := legacyFrais[cartonum.Key(head(v))]; ok {
			p.Frais = appendUnique(p.Frais, c)
		} else {
			r.repair("conditions_acces", "condition d'accès « %s » sans équivalent dans frais_a_charge : ignorée", head(v))
		}
	}
	for _, v := range splitList(r.get("publics_accueillis")) {
		m, ok := legacyPublics[cartonum.Key(head(v))]
		switch {
		case ok && strings.HasPrefix(m, "P:"):
			p.Publics = appendUnique(p.Publics, m[2:])
		case ok:
			p.PriseEnCharge = appendUnique(p.PriseEnCharge, m[2:])
		default:
			r.repair("publics_accueillis", "public « %s » sans équivalent dans le schéma 1.0.2 : ignoré", head(v))
		}
	}
	p.Services = order(cartonum.Services, p.Services)
	p.Publics = order(cartonum.Publics, p.Publics)
	p.PriseEnCharge = order(cartonum.PriseEnCharge, p.PriseEnCharge)
	p.Frais = order(cartonum.Frais, p.Frais)
	p.Dispositifs = order(cartonum.Dispositifs, p.Dispositifs)
	p.ModalitesAccompagnement = order(cartonum.ModalitesAccompagnement, p.ModalitesAccompagnement)
}

// enum reads a multi-valued enumeration: exact values are kept, values that
// differ only in case, accents or punctuation are corrected, v0.1 values are
// mapped (legacy, keyed by the key of pre(value) when pre is set), unknown
// values are dropped with a warning.
func (r *row) enum(field string, v *cartonum.Vocabulary, raw string, legacy map[string]string, pre func(string) string) []string {
	var out []string
	for _, s := range splitList(raw) {
		if c, ok := v.Canonical(s); ok {
			if c != s {
				r.repair(field, "valeur « %s » corrigée en « %s »", s, c)
			}
			out = appendUnique(out, c)
			continue
		}
		k := s
		if pre != nil {
			k = pre(s)
		}
		if c, ok := legacy[cartonum.Key(k)]; ok {
			out = appendUnique(out, c)
			continue
		}
		r.repair(field, "valeur inconnue « %s » ignorée", s)
	}
	return out
}

// order sorts values in the order of the vocabulary.
func order(v *cartonum.Vocabulary, values []string) []string {
	if len(values) < 2 {
		return values
	}
	out := make([]string, 0, len(values))
	for _, c := range v.Values {
		for _, x := range values {
			if x == c {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func (r *row) horaires(p *cartonum.Place) {
	h := strings.TrimSpace(r.get("horaires"))
	p.Horaires = h
	if h == "" {
		return
	}
	if _, err := openinghours.Parse(h); err != nil {
		if errors.Is(err, openinghours.ErrUnsupported) {
			r.repair("horaires", "horaires gardés mais non vérifiables (syntaxe non prise en charge) : %v", err)
			return
		}
		p.Provenance.HorairesInvalid = true
		r.repair("horaires", "horaires invalides (format OpenStreetMap opening_hours attendu), gardés tels quels : %v", err)
	}
}

// location sets coordinates, code_insee, commune and code_postal.
func (r *row) location(p *cartonum.Place, t Territory, o Options) *Rejection {
	p.Provenance.Precision = cartonum.PrecisionExact
	latRaw, lonRaw := r.get("latitude"), r.get("longitude")
	lat, c1, okLat := parseCoord(latRaw)
	lon, c2, okLon := parseCoord(lonRaw)
	has := okLat && okLon
	if (strings.TrimSpace(latRaw) != "" && !okLat) || (strings.TrimSpace(lonRaw) != "" && !okLon) {
		r.repair("latitude", "coordonnées « %s, %s » illisibles : ignorées", latRaw, lonRaw)
	}
	if has && (c1 || c2) {
		r.repair("latitude", "virgule décimale remplacée par un point")
	}
	if has {
		if x, y, ok := looksLambert93(lon, lat); ok {
			lon, lat = lambert93ToWGS84(x, y)
			lon, lat = round6(lon), round6(lat)
			r.repair("latitude", "coordonnées Lambert-93 (x=%g, y=%g) reprojetées en WGS84 (%g, %g)", x, y, lat, lon)
		} else if math.Abs(lat) > 90 || math.Abs(lon) > 180 || (lat == 0 && lon == 0) {
			r.repair("latitude", "coordonnées (%g, %g) impossibles : ignorées", lat, lon)
			has = false
		}
	}

	declared, declaredRepaired, declaredOK := inseeCode(r.get("code_insee"))
	if raw := strings.TrimSpace(r.get("code_insee")); raw != "" && !declaredOK {
		r.repair("code_insee", "code INSEE « %s » invalide : ignoré", raw)
	} else if declaredRepaired {
		r.repair("code_insee", "code INSEE « %s » corrigé en %s", raw, declared)
	}
	var declaredCommune *cartonum.Commune
	if declaredOK {
		declaredCommune, _ = t.Commune(declared)
	} else {
		declaredCommune = r.communeByName(t)
	}

	var c *cartonum.Commune
	if has {
		pt := orb.Point{lon, lat}
		in, ok := t.CommuneAt(pt)
		if !ok {
			if sw, okSw := t.CommuneAt(orb.Point{lat, lon}); okSw {
				r.repair("latitude", "latitude et longitude inversées : corrigées")
				lat, lon = lon, lat
				in, ok = sw, true
			}
		}
		switch {
		case ok:
			c = in
			if declaredOK && declared != c.Code {
				r.repair("code_insee", "code INSEE %s incohérent avec les coordonnées (commune %s %s) : corrigé", declared, c.Code, c.Nom)
			} else if !declaredOK {
				r.repair("code_insee", "code INSEE déduit des coordonnées : %s (%s)", c.Code, c.Nom)
			}
		case declaredCommune != nil && near(declaredCommune, pt, 0.02):
			c = declaredCommune
			r.repair("latitude", "coordonnées juste hors du contour de la commune %s (%s) : gardées, code INSEE %s", c.Code, c.Nom, c.Code)
		case declaredCommune != nil:
			c = declaredCommune
			r.repair("latitude", "coordonnées (%g, %g) loin de la commune déclarée %s : lieu placé dans sa commune (précision commune)", lat, lon, c.Code)
			has = false
		case o.KeepOutside:
			p.Provenance.OutsideRegion = true
			if declaredOK {
				p.CodeInsee = declared
			}
			r.repair("latitude", "lieu hors de la région %s : gardé sur demande (--keep-outside)", o.Region)
		default:
			return &Rejection{Field: "latitude", Reason: fmt.Sprintf("lieu hors de la région %s : le point (%g, %g) n'est dans aucune de ses communes", o.Region, lat, lon)}
		}
	}
	if c == nil && !p.Provenance.OutsideRegion {
		c = declaredCommune
		if c == nil {
			if declaredOK {
				return &Rejection{Field: "code_insee", Reason: fmt.Sprintf("sans coordonnées utilisables et commune %s hors de la région %s", declared, o.Region)}
			}
			return &Rejection{Field: "latitude", Reason: "sans coordonnées utilisables et commune introuvable (ni code INSEE, ni nom et code postal reconnus)"}
		}
	}
	if c != nil {
		p.CodeInsee = c.Code
		if !has {
			pt, _ := t.Anchor(c.Code)
			lon, lat = pt[0], pt[1]
			p.Provenance.Precision = cartonum.PrecisionCommune
			r.repair("latitude", "coordonnées absentes : lieu placé dans sa commune %s (%s), précision commune", c.Code, c.Nom)
		}
	}
	p.Latitude, p.Longitude = lat, lon

	p.Commune = clean(r.get("commune"))
	if p.Commune == "" {
		if c == nil {
			return &Rejection{Field: "commune", Reason: "commune manquante"}
		}
		p.Commune = c.Nom
		r.repair("commune", "commune manquante : %s d'après le code INSEE", c.Nom)
	}
	raw := r.get("code_postal")
	cp, repaired, ok := postcode(raw)
	switch {
	case !ok && c != nil && len(c.CodesPostaux) > 0:
		cp = c.CodesPostaux[0]
		r.repair("code_postal", "code postal « %s » manquant ou invalide : %s d'après la commune", strings.TrimSpace(raw), cp)
	case !ok:
		return &Rejection{Field: "code_postal", Reason: fmt.Sprintf("code postal « %s » manquant ou invalide", strings.TrimSpace(raw))}
	case repaired:
		r.repair("code_postal", "code postal « %s » corrigé en %s", strings.TrimSpace(raw), cp)
	}
	if ok && c != nil && len(c.CodesPostaux) > 0 && !contains(c.CodesPostaux, cp) {
		r.repair("code_postal", "code postal %s absent de ceux de la commune %s (%s)", cp, c.Code, strings.Join(c.CodesPostaux, ", "))
	}
	p.CodePostal = cp
	return nil
}

// cedex matches the CEDEX suffix of postal commune names ("COMPIEGNE
// CEDEX", "Lille Cedex 9").
var cedex = regexp.MustCompile(`(?i)\s+cedex(\s*\d+)?\s*$`)

// communeByName finds the commune from its name, the postcode choosing
// among communes of the same name.
func (r *row) communeByName(t Territory) *cartonum.Commune {
	name := cedex.ReplaceAllString(strings.TrimSpace(r.get("commune")), "")
	if name == "" {
		return nil
	}
	cp, _, cpOK := postcode(r.get("code_postal"))
	named := t.CommunesNamed(cartonum.Key(name))
	for _, c := range named {
		if cpOK && contains(c.CodesPostaux, cp) {
			return c
		}
	}
	if len(named) == 1 {
		return named[0]
	}
	return nil
}

func near(c *cartonum.Commune, p orb.Point, margin float64) bool {
	b := c.Geometry.Bound().Pad(margin)
	return b.Contains(p)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
