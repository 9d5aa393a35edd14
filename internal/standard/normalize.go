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
	// DistanceToCommune returns how far p lies outside the contour of the
	// commune with this code, in metres (0 inside).
	DistanceToCommune(code string, p orb.Point) (float64, bool)
	// NearestCommune returns the region's commune nearest to p within
	// maxMetres, with the distance to its contour (0 inside).
	NearestCommune(p orb.Point, maxMetres float64) (*cartonum.Commune, float64, bool)
}

// distanceTo is how far p lies outside commune c, in metres.
func distanceTo(t Territory, c *cartonum.Commune, p orb.Point) float64 {
	d, _ := t.DistanceToCommune(c.Code, p)
	return d
}

// Options tune normalisation.
type Options struct {
	// Region is the region setting of the import, recorded with it and
	// named in messages: one code ("32"), a comma-separated list of codes
	// ("28,32") or "all" (territory.ParseRegions). The territory holds the
	// communes of these regions.
	Region string
	// KeepOutside keeps places outside the region's communes, flagged,
	// instead of rejecting them.
	KeepOutside bool
	// Margin, in metres, keeps the places outside the region but within
	// this distance of it as neighbouring supply (flagged OutsideRegion);
	// 0 keeps none.
	Margin float64
	// Geocoder, when set, places from their address the places without
	// usable coordinates or at their commune's centre.
	Geocoder Geocoder
	// GeocodeMinScore is the lowest geocoder score accepted (0 means
	// DefaultGeocodeMinScore).
	GeocodeMinScore float64
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
	p.Equipements = r.enum("equipements", cartonum.Equipements, r.get("equipements"), equipementSpellings, nil)
	p.Qualifications = r.enum("qualifications", cartonum.Qualifications, r.get("qualifications"), qualificationSpellings, nil)

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
	p.Equipements = order(cartonum.Equipements, p.Equipements)
	p.Qualifications = order(cartonum.Qualifications, p.Qualifications)
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

// Distances of the location checks, in metres.
const (
	// DeclaredCommuneTolerance is how far outside its declared commune's
	// contour a point may lie and still be trusted (simplified contours,
	// a place across the street from the boundary). Beyond it the point is
	// taken as wrong and the place is put in its declared commune.
	DeclaredCommuneTolerance = 3000.0
	// DefaultMargin is how far outside the region places are kept as
	// neighbouring supply.
	DefaultMargin = 30000.0
	// centreTolerance is how close to its commune's anchor a source point
	// must be to be taken for "placed at the commune's centre".
	centreTolerance = 100.0
)

// location sets coordinates, code_insee, commune and code_postal.
//
// The declared commune (code_insee, or commune name + code_postal, the two
// that agree winning when the three disagree) and the point (plain, swapped,
// decimal comma or Lambert-93) are checked against each other the same way
// whatever path produced the point: a point more than
// DeclaredCommuneTolerance outside the declared commune is not trusted.
func (r *row) location(p *cartonum.Place, t Territory, o Options) *Rejection {
	p.Provenance.Precision = cartonum.PrecisionExact
	pt, has := r.coordinates()
	decl := r.declared(t)
	discarded := false // the point was set aside (and said so)

	var c *cartonum.Commune
	if has {
		in, ok := t.CommuneAt(pt)
		if !ok && (decl.commune == nil || distanceTo(t, decl.commune, pt) > DeclaredCommuneTolerance) {
			sw := orb.Point{pt[1], pt[0]}
			if swIn, okSw := t.CommuneAt(sw); okSw {
				r.repair("latitude", "latitude et longitude inversées : corrigées")
				pt, in, ok = sw, swIn, true
			}
		}
		confirmed := ""
		if ok && decl.commune != nil && in != decl.commune {
			confirmed = decl.confirms(in, r.postcodeCandidates())
		}
		switch {
		case confirmed != "":
			c = in
			r.repair("code_insee", "commune déclarée %s (%s) contredite : les coordonnées et %s désignent %s (%s), retenue", decl.commune.Code, decl.commune.Nom, confirmed, c.Code, c.Nom)
		case decl.commune != nil:
			c = decl.commune
			if d := distanceTo(t, c, pt); d > DeclaredCommuneTolerance && decl.weak {
				// Only a code contradicted by name and postcode says the
				// region: the point, name and postcode say elsewhere.
				r.repair("code_insee", "code INSEE %s (%s) contredit par la commune « %s », le code postal %s et les coordonnées, à %s km : ignoré", c.Code, c.Nom,
					strings.TrimSpace(r.get("commune")), strings.TrimSpace(r.get("code_postal")), frenchFloat(d/1000, 1))
				c = nil
				decl.codeOK = false
				if rej := r.outside(p, pt, decl, t, o); rej != nil {
					return rej
				}
			} else if d > DeclaredCommuneTolerance {
				r.repair("latitude", "coordonnées (%g, %g) à %s km de la commune déclarée %s (%s) : lieu placé dans sa commune (précision commune)", pt[1], pt[0], frenchFloat(d/1000, 1), c.Code, c.Nom)
				has, discarded = false, true
			} else if d > 0 {
				r.repair("latitude", "coordonnées à %s km hors du contour de la commune déclarée %s (%s) : gardées", frenchFloat(d/1000, 1), c.Code, c.Nom)
			}
		case ok:
			c = in
			if decl.codeOK {
				r.repair("code_insee", "code INSEE %s inconnu dans %s : %s (%s) d'après les coordonnées", decl.code, o.words().the, c.Code, c.Nom)
			} else {
				r.repair("code_insee", "code INSEE déduit des coordonnées : %s (%s)", c.Code, c.Nom)
			}
		default:
			if rej := r.outside(p, pt, decl, t, o); rej != nil {
				return rej
			}
		}
	}
	if c == nil && !p.Provenance.OutsideRegion {
		c = decl.commune
		if c == nil {
			if decl.codeOK {
				return &Rejection{Field: "code_insee", Reason: fmt.Sprintf("sans coordonnées utilisables et commune %s hors %s", decl.code, o.words().of)}
			}
			return &Rejection{Field: "latitude", Reason: "sans coordonnées utilisables et commune introuvable (ni code INSEE, ni nom et code postal reconnus)"}
		}
	}
	if c != nil {
		p.CodeInsee = c.Code
		if !has {
			pt, _ = t.Anchor(c.Code)
			p.Provenance.Precision = cartonum.PrecisionCommune
			if !discarded {
				r.repair("latitude", "coordonnées absentes ou inutilisables : lieu placé dans sa commune %s (%s), précision commune", c.Code, c.Nom)
			}
		}
		if o.Geocoder != nil {
			pt = r.geocode(p, pt, c, t, o)
		}
	}
	p.Latitude, p.Longitude = pt[1], pt[0]

	p.Commune = clean(r.get("commune"))
	if p.Commune == "" {
		if c == nil {
			return &Rejection{Field: "commune", Reason: "commune manquante"}
		}
		p.Commune = c.Nom
		r.repair("commune", "commune manquante : %s d'après le code INSEE", c.Nom)
	}
	return r.postcode(p, c)
}

// coordinates reads the point of the row, repairing a decimal comma and
// Lambert-93 metres, and ignoring impossible values.
func (r *row) coordinates() (orb.Point, bool) {
	latRaw, lonRaw := r.get("latitude"), r.get("longitude")
	lat, c1, okLat := parseCoord(latRaw)
	lon, c2, okLon := parseCoord(lonRaw)
	has := okLat && okLon
	if (strings.TrimSpace(latRaw) != "" && !okLat) || (strings.TrimSpace(lonRaw) != "" && !okLon) {
		r.repair("latitude", "coordonnées « %s, %s » illisibles : ignorées", latRaw, lonRaw)
	}
	if !has {
		return orb.Point{}, false
	}
	if c1 || c2 {
		r.repair("latitude", "virgule décimale remplacée par un point")
	}
	if x, y, ok := looksLambert93(lon, lat); ok {
		lon, lat = lambert93ToWGS84(x, y)
		lon, lat = round6(lon), round6(lat)
		r.repair("latitude", "coordonnées Lambert-93 (x=%g, y=%g) reprojetées en WGS84 (%g, %g)", x, y, lat, lon)
	} else if math.Abs(lat) > 90 || math.Abs(lon) > 180 || (lat == 0 && lon == 0) {
		r.repair("latitude", "coordonnées (%g, %g) impossibles : ignorées", lat, lon)
		return orb.Point{}, false
	}
	return orb.Point{lon, lat}, true
}

// declaration is the commune a row declares.
type declaration struct {
	code    string // the declared code_insee, when valid (maybe outside the region)
	codeOK  bool
	commune *cartonum.Commune // the region's commune followed, if any
	// byCode and named are the communes designated by code_insee and by
	// the name, so that a point can confirm one of them.
	byCode *cartonum.Commune
	named  []*cartonum.Commune
	// weak is set when the commune followed rests on code_insee alone,
	// contradicted by both the name and the postcode.
	weak bool
}

// confirms reports how the point's commune c agrees with the row's
// declaration other than the commune followed: "" when it does not.
func (d declaration) confirms(c *cartonum.Commune, postcodes []string) string {
	var by []string
	if d.byCode == c {
		by = append(by, "le code INSEE")
	}
	for _, n := range d.named {
		if n == c {
			by = append(by, "le nom")
			break
		}
	}
	for _, cp := range postcodes {
		if contains(c.CodesPostaux, cp) {
			by = append(by, "le code postal")
			break
		}
	}
	return strings.Join(by, " et ")
}

// declared finds the commune the row declares by code_insee, name and
// postcode. When code_insee contradicts the name and the postcode, and
// those two agree on another commune, the two that agree are followed.
func (r *row) declared(t Territory) declaration {
	var d declaration
	raw := strings.TrimSpace(r.get("code_insee"))
	code, repaired, ok := inseeCode(raw)
	if raw != "" && !ok {
		r.repair("code_insee", "code INSEE « %s » invalide : ignoré", raw)
	} else if repaired {
		r.repair("code_insee", "code INSEE « %s » corrigé en %s", raw, code)
	}
	d.code, d.codeOK = code, ok
	named, byNamePost := r.communeByName(t)
	d.named = named
	if ok {
		if byCode, found := t.Commune(code); found {
			d.byCode = byCode
			nameAgrees := false
			for _, n := range named {
				nameAgrees = nameAgrees || n == byCode
			}
			postAgrees := false
			for _, cp := range r.postcodeCandidates() {
				postAgrees = postAgrees || contains(byCode.CodesPostaux, cp)
			}
			if !nameAgrees && !postAgrees && byNamePost != nil && byNamePost != byCode {
				r.repair("code_insee", "code INSEE %s (%s) contredit la commune « %s » et le code postal %s, qui désignent %s (%s) : %s retenu",
					code, byCode.Nom, strings.TrimSpace(r.get("commune")), strings.TrimSpace(r.get("code_postal")), byNamePost.Code, byNamePost.Nom, byNamePost.Code)
				d.commune = byNamePost
				return d
			}
			d.commune = byCode
			// A code that neither the name nor the postcode (not even its
			// département) supports is weak: a point far away wins over it.
			cps := r.postcodeCandidates()
			nameGiven := strings.TrimSpace(r.get("commune")) != ""
			d.weak = !nameAgrees && !postAgrees && (nameGiven || len(cps) > 0) &&
				(len(cps) == 0 || !inDepartement(cps[0], byCode))
			return d
		}
		if byNamePost != nil {
			r.repair("code_insee", "code INSEE %s absent des communes importées, la commune « %s » et le code postal %s désignent %s (%s) : %s retenu",
				code, strings.TrimSpace(r.get("commune")), strings.TrimSpace(r.get("code_postal")), byNamePost.Code, byNamePost.Nom, byNamePost.Code)
			d.commune = byNamePost
		}
		return d
	}
	if byNamePost != nil {
		d.commune = byNamePost
	} else if len(named) == 1 {
		// A name alone designates the region's commune of that name only
		// when the postcode, if any, is of its département: "Marly" with
		// 57155 is the Moselle's, not the Nord's.
		if cps := r.postcodeCandidates(); len(cps) == 0 || inDepartement(cps[0], named[0]) {
			d.commune = named[0]
		}
	}
	if d.commune != nil {
		r.repair("code_insee", "code INSEE déduit de la commune « %s » : %s (%s)", strings.TrimSpace(r.get("commune")), d.commune.Code, d.commune.Nom)
	}
	return d
}

// inDepartement reports whether postcode cp belongs to the département of
// commune c (its first two digits; 20 for Corsica, three for overseas):
// CEDEX postcodes are not in a commune's list but are in its département.
func inDepartement(cp string, c *cartonum.Commune) bool {
	dep := c.CodeDepartement
	if dep == "" && len(c.Code) >= 2 {
		dep = c.Code[:2]
	}
	if dep == "2A" || dep == "2B" {
		dep = "20"
	}
	return dep != "" && strings.HasPrefix(cp, dep)
}

// outside handles a point in none of the region's communes and not near
// its declared commune: a neighbouring place within the margin is kept as
// supply only; farther ones are kept flagged on request, or rejected.
func (r *row) outside(p *cartonum.Place, pt orb.Point, decl declaration, t Territory, o Options) *Rejection {
	if decl.codeOK {
		p.CodeInsee = decl.code
	}
	w := o.words()
	if o.Margin > 0 {
		if _, d, ok := t.NearestCommune(pt, o.Margin); ok {
			p.Provenance.OutsideRegion = true
			r.repair("latitude", "lieu hors %s, à %s km de %s limite : gardé comme offre voisine (compté dans les temps d'accès, pas dans les chiffres %s)", w.of, frenchFloat(d/1000, 1), w.its, w.of)
			return nil
		}
	}
	if o.KeepOutside {
		p.Provenance.OutsideRegion = true
		r.repair("latitude", "lieu hors %s : gardé sur demande (--keep-outside)", w.of)
		return nil
	}
	beyond := ""
	if o.Margin > 0 {
		beyond = fmt.Sprintf(" ni à moins de %s km de %s limite", frenchFloat(o.Margin/1000, 0), w.its)
	}
	return &Rejection{Field: "latitude", Reason: fmt.Sprintf("lieu hors %s : le point (%g, %g) n'est dans aucune de %s communes%s", w.of, pt[1], pt[0], w.pl, beyond)}
}

// postcode checks code_postal against the commune c (nil outside the
// region). A 4-digit postcode gets its leading zero back only when that
// gives one of the commune's postcodes.
func (r *row) postcode(p *cartonum.Place, c *cartonum.Commune) *Rejection {
	raw := strings.TrimSpace(r.get("code_postal"))
	digits := nonDigits.ReplaceAllString(raw, "")
	known := c != nil && len(c.CodesPostaux) > 0
	switch {
	case len(digits) == 5:
		if digits != raw {
			r.repair("code_postal", "code postal « %s » corrigé en %s", raw, digits)
		}
		p.CodePostal = digits
		if known && !contains(c.CodesPostaux, digits) {
			r.repair("code_postal", "code postal %s absent de ceux de la commune %s (%s : %s)", digits, c.Code, c.Nom, strings.Join(c.CodesPostaux, ", "))
		}
	case len(digits) == 4 && known && contains(c.CodesPostaux, "0"+digits):
		p.CodePostal = "0" + digits
		r.repair("code_postal", "code postal « %s » corrigé en %s (zéro initial rétabli)", raw, p.CodePostal)
	case len(digits) == 4 && known:
		p.CodePostal = c.CodesPostaux[0]
		r.repair("code_postal", "code postal « %s » à 4 chiffres : 0%s n'est pas un code postal de la commune %s (%s) : remplacé par %s", raw, digits, c.Code, c.Nom, p.CodePostal)
	case len(digits) == 4:
		p.CodePostal = digits
		r.repair("code_postal", "code postal « %s » à 4 chiffres, commune sans code postal connu : gardé tel quel", raw)
	case known:
		p.CodePostal = c.CodesPostaux[0]
		r.repair("code_postal", "code postal « %s » manquant ou invalide : %s d'après la commune", raw, p.CodePostal)
	default:
		return &Rejection{Field: "code_postal", Reason: fmt.Sprintf("code postal « %s » manquant ou invalide", raw)}
	}
	return nil
}

// postcodeCandidates are the postcodes the row's code_postal may stand
// for: itself, or with its leading zero back when it has four digits.
func (r *row) postcodeCandidates() []string {
	d := nonDigits.ReplaceAllString(strings.TrimSpace(r.get("code_postal")), "")
	switch len(d) {
	case 5:
		return []string{d}
	case 4:
		return []string{"0" + d}
	}
	return nil
}

// cedex matches the CEDEX suffix of postal commune names ("COMPIEGNE
// CEDEX", "Lille Cedex 9").
var cedex = regexp.MustCompile(`(?i)\s+cedex(\s*\d+)?\s*$`)

// communeByName returns the region's communes of the row's commune name
// (CEDEX ignored) and, among them, the one the postcode designates.
func (r *row) communeByName(t Territory) (named []*cartonum.Commune, withPostcode *cartonum.Commune) {
	name := cedex.ReplaceAllString(strings.TrimSpace(r.get("commune")), "")
	if name == "" {
		return nil, nil
	}
	named = t.CommunesNamed(cartonum.Key(name))
	for _, cp := range r.postcodeCandidates() {
		for _, c := range named {
			if contains(c.CodesPostaux, cp) {
				return named, c
			}
		}
	}
	return named, nil
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
