package index

import (
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// Filter selects places: the domain's place filter, under the name the
// index and its callers use.
type Filter = cartonum.PlaceFilter

// Query is a search of places.
type Query struct {
	Filter
	// BBox, when set, keeps the places inside it.
	BBox *orb.Bound
	// Near, when set, keeps the places within Radius metres and sorts them
	// by distance.
	Near   *orb.Point
	Radius float64
	Limit  int
	Offset int
}

// Hit is one place found, with its distance in metres from Query.Near
// (NaN without Near).
type Hit struct {
	Place    *cartonum.Place
	Distance float64
}

// Result is one page of hits and the total number of matches.
type Result struct {
	Total int
	Hits  []Hit
}

// Search returns the places matching q: by distance when q.Near is set,
// otherwise by name.
func (s *Snapshot) Search(q Query) Result {
	match := s.matcher(q.Filter)
	var hits []Hit
	switch {
	case q.Near != nil:
		c := *q.Near
		dLat, dLon := nearBox(c, q.Radius)
		min, max := [2]float64{c[0] - dLon, c[1] - dLat}, [2]float64{c[0] + dLon, c[1] + dLat}
		if q.BBox != nil {
			min = [2]float64{math.Max(min[0], q.BBox.Min[0]), math.Max(min[1], q.BBox.Min[1])}
			max = [2]float64{math.Min(max[0], q.BBox.Max[0]), math.Min(max[1], q.BBox.Max[1])}
		}
		s.placeTree.Search(min, max, func(_, _ [2]float64, i int32) bool {
			p := &s.places[i]
			if !match(int(i)) {
				return true
			}
			d := Distance(c, orb.Point{p.Longitude, p.Latitude})
			if d <= q.Radius {
				hits = append(hits, Hit{Place: p, Distance: d})
			}
			return true
		})
		sort.Slice(hits, func(i, j int) bool {
			if hits[i].Distance != hits[j].Distance {
				return hits[i].Distance < hits[j].Distance
			}
			return hits[i].Place.ID < hits[j].Place.ID
		})
	case q.BBox != nil:
		s.placeTree.Search(q.BBox.Min, q.BBox.Max, func(_, _ [2]float64, i int32) bool {
			if match(int(i)) {
				hits = append(hits, Hit{Place: &s.places[i], Distance: math.NaN()})
			}
			return true
		})
		s.sortByName(hits)
	default:
		for i := range s.places {
			if match(i) {
				hits = append(hits, Hit{Place: &s.places[i], Distance: math.NaN()})
			}
		}
		s.sortByName(hits)
	}
	res := Result{Total: len(hits)}
	if q.Offset >= len(hits) {
		return res
	}
	hits = hits[q.Offset:]
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	res.Hits = hits
	return res
}

func (s *Snapshot) sortByName(h []Hit) {
	key := func(p *cartonum.Place) string { return s.placeKey[s.placeByID[p.ID]] }
	sort.Slice(h, func(i, j int) bool {
		a, b := key(h[i].Place), key(h[j].Place)
		if a != b {
			return a < b
		}
		return h[i].Place.ID < h[j].Place.ID
	})
}

// matcher compiles a filter into a test on place indexes.
func (s *Snapshot) matcher(f Filter) func(int) bool {
	words := strings.Fields(cartonum.Fold(f.Text))
	any := func(have, want []string) bool {
		if len(want) == 0 {
			return true
		}
		for _, w := range want {
			for _, h := range have {
				if h == w {
					return true
				}
			}
		}
		return false
	}
	one := func(v string, want []string) bool {
		return len(want) == 0 || any([]string{v}, want)
	}
	openAt := f.OpenAt.In(openinghours.Paris())
	return func(i int) bool {
		p := &s.places[i]
		if !any(p.OfferedServices(), f.Services) || !any(p.Dispositifs, f.Dispositifs) ||
			!any(p.Publics, f.Publics) || !any(p.PriseEnCharge, f.PriseEnCharge) ||
			!any(p.Frais, f.Frais) || !any(p.ModalitesAccompagnement, f.ModalitesAccompagnement) ||
			!any(p.ModalitesAcces, f.ModalitesAcces) || !any(p.Equipements, f.Equipements) ||
			!any(p.Qualifications, f.Qualifications) || !one(p.CodeInsee, f.Communes) {
			return false
		}
		if len(f.EPCIs) > 0 && !one(s.communeEPCI[p.CodeInsee], f.EPCIs) {
			return false
		}
		if len(f.Departements) > 0 {
			c, ok := s.communeByCode[p.CodeInsee]
			if !ok || !one(c.CodeDepartement, f.Departements) {
				return false
			}
		}
		if !f.OpenAt.IsZero() && !s.hours[i].OpenAt(openAt) {
			return false
		}
		for _, w := range words {
			if !strings.Contains(s.placeText[i], w) {
				return false
			}
		}
		return true
	}
}

// nearBox returns the half sides, in degrees of latitude and longitude, of
// the box holding every point within radius metres of c on Distance's
// sphere. Its east–west half side is asin(sin δ / cos φ), wider than δ/cos φ
// at high latitude; a cap reaching a pole spans every longitude.
func nearBox(c orb.Point, radius float64) (dLat, dLon float64) {
	const slack = 1 + 1e-9 // rounding of the trigonometry
	d := radius / orb.EarthRadius
	dLat = d * 180 / math.Pi * slack
	s := math.Sin(math.Min(d, math.Pi/2)) / math.Cos(c[1]*math.Pi/180)
	if s >= 1 || math.IsNaN(s) || s < 0 {
		return dLat, 360
	}
	return dLat, math.Asin(s) * 180 / math.Pi * slack
}

// Distance is the great-circle distance in metres between two points
// (longitude, latitude in degrees): orb's haversine, on its sphere of
// radius orb.EarthRadius.
func Distance(a, b orb.Point) float64 {
	return geo.DistanceHaversine(a, b)
}

// CommuneMatch is an autocomplete suggestion.
type CommuneMatch struct {
	Commune  *cartonum.Commune
	Postcode string // the matching postcode, when the query was one
}

// SearchCommunes autocompletes communes by name (accent- and
// case-insensitive, prefix of the name or of one of its words) or by
// postcode prefix; exact matches first, then by population.
func (s *Snapshot) SearchCommunes(q string, limit int) []CommuneMatch {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	type scored struct {
		m     CommuneMatch
		score int
	}
	var out []scored
	digits := strings.Trim(q, "0123456789") == ""
	q = expandAbbreviations(q)
	key := cartonum.Key(q)
	if key == "" {
		return nil
	}
	for i := range s.communes {
		c := &s.communes[i]
		if digits {
			if strings.HasPrefix(c.Code, q) {
				out = append(out, scored{CommuneMatch{Commune: c}, 1})
				continue
			}
			for _, cp := range c.CodesPostaux {
				if strings.HasPrefix(cp, q) {
					score := 1
					if cp == q {
						score = 2
					}
					out = append(out, scored{CommuneMatch{Commune: c, Postcode: cp}, score})
					break
				}
			}
			continue
		}
		k := s.communeKeys[i]
		switch {
		case k == key:
			out = append(out, scored{CommuneMatch{Commune: c}, 3})
		case strings.HasPrefix(k, key):
			out = append(out, scored{CommuneMatch{Commune: c}, 2})
		case wordPrefix(c.Nom, q):
			out = append(out, scored{CommuneMatch{Commune: c}, 1})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		if out[i].m.Commune.Population != out[j].m.Commune.Population {
			return out[i].m.Commune.Population > out[j].m.Commune.Population
		}
		return out[i].m.Commune.Code < out[j].m.Commune.Code
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	res := make([]CommuneMatch, len(out))
	for i, o := range out {
		res[i] = o.m
	}
	return res
}

// expandAbbreviations writes out the abbreviations people type for commune
// names: "st quentin" searches "saint quentin".
func expandAbbreviations(q string) string {
	words := strings.FieldsFunc(cartonum.Fold(q), func(r rune) bool { return r == ' ' || r == '-' || r == '\'' || r == '.' })
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}

// wordPrefix reports whether q starts one of the words of name (after the
// first), comparing folded text.
func wordPrefix(name, q string) bool {
	fq := cartonum.Key(q)
	words := strings.FieldsFunc(cartonum.Fold(name), func(r rune) bool { return r == ' ' || r == '-' || r == '\'' })
	if len(words) < 2 {
		return false
	}
	for _, w := range words[1:] {
		if strings.HasPrefix(cartonum.Key(w), fq) {
			return true
		}
	}
	return false
}
