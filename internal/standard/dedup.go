package standard

import (
	"math"
	"strings"
	"unicode"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// DuplicateDistance is how close, in metres, two records of the same
// commune must be to be taken for the same place (with similar name and
// address). The national pipeline uses about 40 m; geocoders place the same
// address a few tens of metres apart.
const DuplicateDistance = 50.0

// IsDuplicate reports whether a and b describe the same place: same
// commune, within DuplicateDistance, similar names and addresses.
func IsDuplicate(a, b *cartonum.Place) bool {
	if a.CodeInsee != b.CodeInsee || (a.CodeInsee == "" && a.CodePostal != b.CodePostal) {
		return false
	}
	if Distance(a.Latitude, a.Longitude, b.Latitude, b.Longitude) > DuplicateDistance {
		return false
	}
	return similarNames(a.Nom, b.Nom) && similarAddresses(a.Adresse, b.Adresse)
}

// Distance is the great-circle distance in metres between two points given
// as latitude and longitude in degrees.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

var nameStopwords = map[string]bool{
	"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true,
	"d": true, "et": true, "a": true, "au": true, "aux": true, "en": true, "the": true,
}

var addressWords = map[string]string{
	"r": "rue", "pl": "place", "bd": "boulevard", "bld": "boulevard", "av": "avenue", "ave": "avenue",
	"all": "allee", "che": "chemin", "ch": "chemin", "rte": "route", "imp": "impasse", "sq": "square",
	"fg": "faubourg", "fbg": "faubourg", "st": "saint", "ste": "sainte", "crs": "cours", "qu": "quai",
	"res": "residence", "lot": "lotissement", "gde": "grande", "gd": "grand", "pass": "passage",
	"prom": "promenade", "hlm": "hlm", "cite": "cite", "mal": "marechal", "gal": "general",
	"pdt": "president", "dr": "docteur",
}

func tokens(s string, stop map[string]bool, rewrite map[string]string) []string {
	f := cartonum.Fold(s)
	parts := strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := parts[:0]
	for _, t := range parts {
		if w, ok := rewrite[t]; ok {
			t = w
		}
		if stop[t] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// similarNames: one name's words all appear in the other ("Médiathèque" and
// "Médiathèque de Laventie"), or they share at least 60% of their words.
func similarNames(a, b string) bool {
	ta, tb := tokens(a, nameStopwords, nil), tokens(b, nameStopwords, nil)
	if len(ta) == 0 || len(tb) == 0 {
		return cartonum.Key(a) == cartonum.Key(b)
	}
	inter, union := overlap(ta, tb)
	small := min(len(set(ta)), len(set(tb)))
	return inter == small || float64(inter)/float64(union) >= 0.6
}

// similarAddresses: same house number when both have one, and the street
// words overlap by half or more.
func similarAddresses(a, b string) bool {
	ta, tb := tokens(a, nameStopwords, addressWords), tokens(b, nameStopwords, addressWords)
	na, wa := split(ta)
	nb, wb := split(tb)
	if len(na) > 0 && len(nb) > 0 && na[0] != nb[0] {
		return false
	}
	if len(wa) == 0 || len(wb) == 0 {
		return len(wa) == len(wb)
	}
	inter, union := overlap(wa, wb)
	small := min(len(set(wa)), len(set(wb)))
	return inter == small || float64(inter)/float64(union) >= 0.5
}

// split separates the house number of an address (its leading numbers,
// "12", "12 bis" → "12") from the street words; numbers inside the street
// name ("rue du 11 Novembre") stay words.
func split(ts []string) (nums, words []string) {
	i := 0
	for i < len(ts) && ts[i][0] >= '0' && ts[i][0] <= '9' {
		nums = append(nums, strings.TrimLeft(ts[i], "0"))
		i++
	}
	return nums, ts[i:]
}

func set(ts []string) map[string]bool {
	m := make(map[string]bool, len(ts))
	for _, t := range ts {
		m[t] = true
	}
	return m
}

func overlap(a, b []string) (inter, union int) {
	sa, sb := set(a), set(b)
	for t := range sa {
		if sb[t] {
			inter++
		}
	}
	return inter, len(sa) + len(sb) - inter
}

// merge folds record r into place p: the newest date_maj wins single
// values (an empty value never wins), lists are unioned, the better
// location wins (exact over commune precision, inside over outside the
// region, then newest), every source id, source and repair is kept.
// Merging the same record twice changes nothing.
func merge(p *cartonum.Place, r *cartonum.Place) {
	newer := r.DateMaj > p.DateMaj
	str := func(dst *string, src string) {
		if src != "" && (newer || *dst == "") {
			*dst = src
		}
	}
	// The unknown SIRET never wins over a known one, like an empty value.
	if r.Pivot != unknownPivot && (newer || p.Pivot == "" || p.Pivot == unknownPivot) {
		p.Pivot = r.Pivot
	} else if p.Pivot == "" {
		p.Pivot = r.Pivot
	}
	str(&p.Nom, r.Nom)
	str(&p.Commune, r.Commune)
	str(&p.CodePostal, r.CodePostal)
	str(&p.Adresse, r.Adresse)
	str(&p.ComplementAdresse, r.ComplementAdresse)
	str(&p.Telephone, r.Telephone)
	if r.Horaires != "" && (newer || p.Horaires == "") {
		p.Horaires = r.Horaires
		p.Provenance.HorairesInvalid = r.Provenance.HorairesInvalid
	}
	str(&p.PresentationResume, r.PresentationResume)
	str(&p.PresentationDetail, r.PresentationDetail)
	str(&p.Source, r.Source)
	str(&p.StructureParente, r.StructureParente)
	str(&p.FicheAccesLibre, r.FicheAccesLibre)
	str(&p.PriseRdv, r.PriseRdv)
	if locationRank(r) > locationRank(p) || (locationRank(r) == locationRank(p) && newer) {
		p.Latitude, p.Longitude, p.CodeInsee = r.Latitude, r.Longitude, r.CodeInsee
		p.Provenance.Precision, p.Provenance.OutsideRegion = r.Provenance.Precision, r.Provenance.OutsideRegion
	}
	if newer {
		p.DateMaj = r.DateMaj
	}
	union := func(dst *[]string, src []string, v *cartonum.Vocabulary) {
		for _, x := range src {
			*dst = appendUnique(*dst, x)
		}
		if v != nil {
			*dst = order(v, *dst)
		}
	}
	union(&p.Typologie, r.Typologie, nil)
	union(&p.Courriels, r.Courriels, nil)
	union(&p.SiteWeb, r.SiteWeb, nil)
	union(&p.Itinerance, r.Itinerance, cartonum.Itinerance)
	union(&p.Services, r.Services, cartonum.Services)
	union(&p.Publics, r.Publics, cartonum.Publics)
	union(&p.PriseEnCharge, r.PriseEnCharge, cartonum.PriseEnCharge)
	union(&p.Frais, r.Frais, cartonum.Frais)
	union(&p.Dispositifs, r.Dispositifs, cartonum.Dispositifs)
	union(&p.FormationsLabels, r.FormationsLabels, cartonum.FormationsLabels)
	union(&p.AutresFormationsLabels, r.AutresFormationsLabels, nil)
	union(&p.ModalitesAcces, r.ModalitesAcces, cartonum.ModalitesAcces)
	union(&p.ModalitesAccompagnement, r.ModalitesAccompagnement, cartonum.ModalitesAccompagnement)
	union(&p.Provenance.SourceIDs, r.Provenance.SourceIDs, nil)
	union(&p.Provenance.Sources, r.Provenance.Sources, nil)
	for _, x := range r.Provenance.Repairs {
		found := false
		for _, y := range p.Provenance.Repairs {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			p.Provenance.Repairs = append(p.Provenance.Repairs, x)
		}
	}
}

func locationRank(p *cartonum.Place) int {
	rank := 0
	if p.Provenance.Precision == cartonum.PrecisionExact {
		rank += 2
	}
	if !p.Provenance.OutsideRegion {
		rank++
	}
	return rank
}
