package standard

import (
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// DuplicateDistance is how close, in metres, two records of the same
// commune must be to be taken for the same place when their names and
// addresses are similar. The national pipeline uses about 40 m; geocoders
// place the same address a few tens of metres apart.
const DuplicateDistance = 50.0

// Margins of the rules that accept other wording (see Matcher.IsDuplicate).
const (
	// StreetDistance bounds how far a copy without its house number may
	// be placed along the same street (geocoded to the street, not the
	// door).
	StreetDistance = 150.0
	// SamePointDistance is how close two points are to be the same
	// geocoded point, when the addresses or the names differ.
	SamePointDistance = 10.0
	// SpecificSites is the most sites (points more than StreetDistance
	// apart) an identifying value may be found at and still identify one
	// place: an adviser's phone on 17 town halls identifies none of them.
	SpecificSites = 2
)

// IsDuplicate reports whether a and b describe the same place (see
// Matcher.IsDuplicate). It knows nothing of the other records, so it
// cannot tell a phone or e-mail shared by many places from one that
// identifies a place: it only lets them confirm records of the same name
// and point, and never merges records whose names differ. A Matcher built
// from all the records does both.
func IsDuplicate(a, b *cartonum.Place) bool {
	var m *Matcher
	return m.IsDuplicate(a, b)
}

// Distance is the great-circle distance in metres between two points given
// as latitude and longitude in degrees: orb's haversine, on its sphere of
// radius orb.EarthRadius, with the arguments in the order of the records.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	return geo.DistanceHaversine(orb.Point{lon1, lat1}, orb.Point{lon2, lat2})
}

// Matcher decides whether two records describe the same place, knowing
// how many sites of the records being imported carry each identifying
// value (SIRET, phone, e-mail, website, booking link). Build one from all
// the records; the nil Matcher knows no frequencies (see IsDuplicate).
type Matcher struct {
	sites map[string]int // identifying value → number of sites carrying it
}

// NewMatcher counts the sites of each identifying value of places.
func NewMatcher(places []cartonum.Place) *Matcher {
	pts := map[string][][2]float64{}
	for i := range places {
		p := &places[i]
		for _, k := range identifiers(p) {
			seen := false
			for _, q := range pts[k] {
				if Distance(p.Latitude, p.Longitude, q[0], q[1]) <= StreetDistance {
					seen = true
					break
				}
			}
			if !seen {
				pts[k] = append(pts[k], [2]float64{p.Latitude, p.Longitude})
			}
		}
	}
	m := &Matcher{sites: make(map[string]int, len(pts))}
	for k, v := range pts {
		m.sites[k] = len(v)
	}
	return m
}

// IsDuplicate reports whether a and b, records of the same commune,
// describe the same place. Names are compared after folding, stemming,
// contracting the usual phrases to their acronyms and joining split
// words; addresses after expanding street types and dropping postal
// boxes. Identifying values shared by the two records count only when
// specific (found at no more than SpecificSites sites) and never alone:
// always with the same point, name or address. The records are the same
// place when
//
//  1. they lie within DuplicateDistance (or, without coordinates, have
//     the same address), with similar names and compatible addresses;
//  2. they lie within StreetDistance with the same name and street, one
//     address lacking its house number;
//  3. they lie at the same point (SamePointDistance) with the same name
//     and share an identifying value, whatever their addresses;
//  4. with a Matcher only: they lie at the same point with the same
//     address and share a specific e-mail and another specific value,
//     whatever their names (a record named after the building that
//     carries the e-mail and website of the structure it houses; a
//     switchboard phone and a town website shared by the CCAS and the
//     mission locale of one building are not enough).
//
// Two different known SIRETs keep the records apart unless the name and
// the address are the same.
func (m *Matcher) IsDuplicate(a, b *cartonum.Place) bool {
	if a.CodeInsee != b.CodeInsee || (a.CodeInsee == "" && a.CodePostal != b.CodePostal) {
		return false
	}
	drop := communeWords(a.Commune, b.Commune)
	name := compareNames(a.Nom, b.Nom, drop)
	addr := compareAddresses(a.Adresse, b.Adresse, drop)
	if knownPivot(a.Pivot) && knownPivot(b.Pivot) && a.Pivot != b.Pivot && (name != namesSame || addr != addressesSame) {
		return false
	}
	points := hasPoint(a) && hasPoint(b)
	d := Distance(a.Latitude, a.Longitude, b.Latitude, b.Longitude)
	located := (points && d <= DuplicateDistance) || (!points && addr == addressesSame)
	compatible := addr == addressesSame || addr == addressesNoNumber || addr == addressesEmpty
	samePoint := points && d <= SamePointDistance
	switch {
	case located && name >= namesSimilar && compatible:
		return true
	case points && d <= StreetDistance && name == namesSame && addr == addressesNoNumber:
		return true
	case samePoint && name == namesSame && m.shared(a, b) >= 1:
		return true
	case m != nil && samePoint && addr == addressesSame && m.shared(a, b) >= 2 && m.sharesMail(a, b):
		return true
	}
	return false
}

// shared counts the identifying values a and b have in common that are
// specific; without frequencies, every shared value counts.
func (m *Matcher) shared(a, b *cartonum.Place) int {
	kb := identifiers(b)
	n := 0
	for _, k := range identifiers(a) {
		if !slices.Contains(kb, k) {
			continue
		}
		if m == nil || m.sites[k] <= SpecificSites {
			n++
		}
	}
	return n
}

// sharesMail reports whether a and b share a specific e-mail address.
func (m *Matcher) sharesMail(a, b *cartonum.Place) bool {
	kb := identifiers(b)
	for _, k := range identifiers(a) {
		if strings.HasPrefix(k, "mail:") && slices.Contains(kb, k) && (m == nil || m.sites[k] <= SpecificSites) {
			return true
		}
	}
	return false
}

// identifiers are the identifying values of p, each prefixed by its kind.
func identifiers(p *cartonum.Place) []string {
	var out []string
	add := func(k string) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if knownPivot(p.Pivot) {
		add("pivot:" + p.Pivot)
	}
	if p.Telephone != "" {
		add("tel:" + p.Telephone)
	}
	for _, e := range p.Courriels {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			add("mail:" + e)
		}
	}
	for _, u := range p.SiteWeb {
		if u = siteKey(u); u != "" {
			add("web:" + u)
		}
	}
	if u := siteKey(p.PriseRdv); u != "" {
		add("rdv:" + u)
	}
	return out
}

// siteKey is a URL without its scheme, "www." and trailing slash.
func siteKey(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	return strings.TrimRight(u, "/")
}

func knownPivot(p string) bool { return p != "" && p != unknownPivot }

// hasPoint: the place's coordinates locate it, not just its commune.
func hasPoint(p *cartonum.Place) bool { return p.Provenance.Precision != cartonum.PrecisionCommune }

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
	union(&p.Equipements, r.Equipements, cartonum.Equipements)
	union(&p.Qualifications, r.Qualifications, cartonum.Qualifications)
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
