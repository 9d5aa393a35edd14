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
	// Nearest, with Near, asks for the Nearest places beyond Radius that
	// match the filter when none lies within it (Result.Nearest), so that
	// a list is never a dead end.
	Nearest int
}

// Hit is one place found, with its distance in metres from Query.Near
// (NaN without Near).
type Hit struct {
	Place    *cartonum.Place
	Distance float64
	// Approx is true when the place is known only by its commune (drawn
	// at the commune's anchor): its distance says little, and it is sorted
	// as if it stood at least the commune's radius away (see sortKey).
	Approx bool
}

// Result is one page of hits and the total number of matches.
type Result struct {
	Total int
	Hits  []Hit
	// Nearest are the places nearest to Query.Near beyond its radius,
	// nearest first, when Query.Nearest was asked and Total is 0.
	Nearest []Hit
}

// nearestReach bounds the search for the nearest places beyond the radius.
const nearestReach = 300_000.0

// sortKey is the distance a hit is sorted by: its distance for a place at
// its address; for a place placed at its commune's anchor, at least the
// commune's equivalent radius (that of a disc of the same area), since the
// place may be anywhere in it: it no longer heads a list at "10 m" while
// exact places within that radius come first.
func (s *Snapshot) sortKey(h Hit) float64 {
	if !h.Approx {
		return h.Distance
	}
	r, ok := s.communeRadius[h.Place.CodeInsee]
	if !ok {
		r = defaultCommuneRadius
	}
	return math.Max(h.Distance, r)
}

// defaultCommuneRadius is the radius assumed for an approximate place whose
// commune is unknown to the snapshot: about that of a median commune.
const defaultCommuneRadius = 2500.0

func (s *Snapshot) sortByDistance(hits []Hit) {
	sort.Slice(hits, func(i, j int) bool {
		a, b := s.sortKey(hits[i]), s.sortKey(hits[j])
		if a != b {
			return a < b
		}
		if hits[i].Distance != hits[j].Distance {
			return hits[i].Distance < hits[j].Distance
		}
		return hits[i].Place.ID < hits[j].Place.ID
	})
}

// within returns the places matching m within radius metres of c.
func (s *Snapshot) within(c orb.Point, radius float64, bbox *orb.Bound, match func(int) bool) []Hit {
	var hits []Hit
	dLat, dLon := nearBox(c, radius)
	min, max := [2]float64{c[0] - dLon, c[1] - dLat}, [2]float64{c[0] + dLon, c[1] + dLat}
	if bbox != nil {
		min = [2]float64{math.Max(min[0], bbox.Min[0]), math.Max(min[1], bbox.Min[1])}
		max = [2]float64{math.Min(max[0], bbox.Max[0]), math.Min(max[1], bbox.Max[1])}
	}
	s.placeTree.Search(min, max, func(_, _ [2]float64, i int32) bool {
		p := &s.places[i]
		if !match(int(i)) {
			return true
		}
		d := Distance(c, orb.Point{p.Longitude, p.Latitude})
		if d <= radius {
			hits = append(hits, Hit{Place: p, Distance: d, Approx: p.Provenance.Precision == cartonum.PrecisionCommune})
		}
		return true
	})
	return hits
}

// Search returns the places matching q: by distance when q.Near is set,
// otherwise by name.
func (s *Snapshot) Search(q Query) Result {
	match := s.matcher(q.Filter)
	var hits []Hit
	switch {
	case q.Near != nil:
		hits = s.within(*q.Near, q.Radius, q.BBox, match)
		s.sortByDistance(hits)
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
	if len(hits) == 0 && q.Near != nil && q.Nearest > 0 {
		res.Nearest = s.nearest(*q.Near, q.Radius, q.Nearest, q.BBox, match)
	}
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

// nearest returns the k places matching m nearest to c beyond radius
// (none lies within it), searching ever wider up to nearestReach.
func (s *Snapshot) nearest(c orb.Point, radius float64, k int, bbox *orb.Bound, match func(int) bool) []Hit {
	for r := max(radius*2, 5000); ; r *= 2 {
		r = math.Min(r, nearestReach)
		hits := s.within(c, r, bbox, match)
		if len(hits) >= k || r >= nearestReach {
			sort.Slice(hits, func(i, j int) bool {
				if hits[i].Distance != hits[j].Distance {
					return hits[i].Distance < hits[j].Distance
				}
				return hits[i].Place.ID < hits[j].Place.ID
			})
			// The k nearest, then every place as near as the k-th (ties).
			n := min(k, len(hits))
			for n < len(hits) && hits[n].Distance == hits[n-1].Distance {
				n++
			}
			hits = hits[:n]
			s.sortByDistance(hits)
			return hits
		}
	}
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
	if !f.OpenAt.IsZero() {
		s.placeExtras() // the opening hours
	}
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
	// Fuzzy is true when the name matched only with a typo.
	Fuzzy bool
}

// Scores of a commune match, best first.
const (
	scoreExact = 5 - iota
	scorePrefix
	scoreWordPrefix
	scoreFuzzy
)

// SearchCommunes autocompletes communes by name (accent- and
// case-insensitive) or by postcode or INSEE code prefix. Names match
// exactly, then by prefix of the name, then by prefix of one of its words,
// then with a small typo ("abbevile", "beauvai"): a Damerau–Levenshtein
// distance (optimal string alignment) of at most 1 for queries of 5 to 8
// letters, 2 beyond, between the folded query and the folded name or the
// start of the name as long as the query. Within a class, by population
// (the larger town is the likelier one), then nearer typos first.
func (s *Snapshot) SearchCommunes(q string, limit int) []CommuneMatch {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	top := topK[communeScore]{k: limit, less: lessCommune}
	digits := strings.Trim(q, "0123456789") == ""
	q = expandAbbreviations(q)
	key := cartonum.Key(q)
	if key == "" {
		return nil
	}
	t := s.searchIndex()
	if digits {
		for _, e := range prefixRange(t.codes, q) {
			top.add(communeScore{CommuneMatch{Commune: &s.communes[e.commune]}, 1, 0})
		}
		for _, e := range prefixRange(t.postcodes, q) {
			c := &s.communes[e.commune]
			if strings.HasPrefix(c.Code, q) {
				continue // found by its code
			}
			for _, cp := range c.CodesPostaux { // the commune's first matching postcode
				if strings.HasPrefix(cp, q) {
					if cp == e.code {
						score := 1
						if cp == q {
							score = 2
						}
						top.add(communeScore{CommuneMatch{Commune: c, Postcode: cp}, score, 0})
					}
					break
				}
			}
		}
		return matches(top.sorted())
	}
	found := 0
	withPrefix(t.full, key, func(e *nameEntry) {
		score := scorePrefix
		if e.key == key {
			score = scoreExact
		}
		found++
		top.add(communeScore{CommuneMatch{Commune: &s.communes[e.commune]}, score, 0})
	})
	withPrefix(t.words, key, func(e *nameEntry) {
		c := int(e.commune)
		if strings.HasPrefix(s.communeKeys[c], key) {
			return // found by its name
		}
		for k, w := range s.communeWords[c] { // once, by its first matching word
			if strings.HasPrefix(w, key) {
				if int32(k) == e.word {
					found++
					top.add(communeScore{CommuneMatch{Commune: &s.communes[c]}, scoreWordPrefix, 0})
				}
				break
			}
		}
	})
	// Typos rank after every exact and prefix match: look for them only
	// when those leave room.
	if tol := typoTolerance(key); tol > 0 && (limit <= 0 || found < limit) {
		t.typoCandidates(key, tol, len(s.communes), func(ci int32) {
			c := int(ci)
			if strings.HasPrefix(s.communeKeys[c], key) || anyPrefix(s.communeWords[c], key) {
				return
			}
			if d, ok := s.communeTypo(c, key, tol); ok {
				top.add(communeScore{CommuneMatch{Commune: &s.communes[c], Fuzzy: true}, scoreFuzzy, d})
			}
		})
	}
	return matches(top.sorted())
}

// communeTypo reports whether key is within tol typos of commune i's name
// or of one of its words, with the distance (the name's first).
func (s *Snapshot) communeTypo(i int, key string, tol int) (int, bool) {
	if d, ok := typo(key, s.communeKeys[i], tol); ok {
		return d, true
	}
	for _, w := range s.communeWords[i] {
		if d, ok := typo(key, w, tol); ok {
			return d, true
		}
	}
	return 0, false
}

// communeScore is a commune match with its class and typo distance.
type communeScore struct {
	m     CommuneMatch
	score int
	dist  int
}

// lessCommune orders matches by class, population, typo distance and code.
func lessCommune(a, b communeScore) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.m.Commune.Population != b.m.Commune.Population {
		return a.m.Commune.Population > b.m.Commune.Population
	}
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	return a.m.Commune.Code < b.m.Commune.Code
}

func matches(l []communeScore) []CommuneMatch {
	res := make([]CommuneMatch, len(l))
	for i, o := range l {
		res[i] = o.m
	}
	return res
}

// typoTolerance is the number of typos forgiven in a query key: none below
// 5 letters, 1 up to 8, 2 beyond.
func typoTolerance(key string) int {
	switch n := len([]rune(key)); {
	case n < 5:
		return 0
	case n <= 8:
		return 1
	default:
		return 2
	}
}

// typo reports whether the query key q is within tol edits of the name key
// k, or of the start of k as long as q (a name being typed) when q has at
// least 6 letters, with the distance.
func typo(q, k string, tol int) (int, bool) {
	if d := osa(q, k, tol); d <= tol {
		return d, true
	}
	if len(q) >= 6 && len(k) > len(q) {
		if d := osa(q, k[:len(q)], tol); d <= tol {
			return d, true
		}
	}
	return 0, false
}

// osa is the optimal string alignment distance (Damerau–Levenshtein with
// adjacent transpositions, no substring edited twice) between two folded
// ASCII keys, or tol+1 as soon as it must exceed tol.
func osa(a, b string, tol int) int {
	if d := len(a) - len(b); d > tol || -d > tol {
		return tol + 1
	}
	if a == b {
		return 0
	}
	var buf [3][40]int
	if len(b)+1 > len(buf[0]) {
		return tol + 1
	}
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > tol {
			return tol + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// PlaceMatch is a place found by name.
type PlaceMatch struct {
	Place *cartonum.Place
}

// SearchPlaces finds places by name (and commune): every word of q, folded,
// must occur in the place's folded name and commune; names starting with
// the query first, then by name. Places outside the region are left out.
func (s *Snapshot) SearchPlaces(q string, limit int) []PlaceMatch {
	words := strings.Fields(cartonum.Fold(q))
	if len(words) == 0 {
		return nil
	}
	key := cartonum.Key(q)
	type scored struct {
		i     int
		score int
	}
	top := topK[scored]{k: limit, less: func(a, b scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		ka, kb := s.placeKey[a.i], s.placeKey[b.i]
		if ka != kb {
			return ka < kb
		}
		return s.places[a.i].ID < s.places[b.i].ID
	}}
	s.searchIndex().placeCandidates(words, len(s.places), func(i int) {
		if s.places[i].Provenance.OutsideRegion {
			return
		}
		for _, w := range words {
			if !strings.Contains(s.placeText[i], w) {
				return
			}
		}
		score := 0
		if strings.HasPrefix(s.placeKey[i], key) {
			score = 1
		}
		top.add(scored{i, score})
	})
	out := top.sorted()
	res := make([]PlaceMatch, len(out))
	for i, o := range out {
		res[i] = PlaceMatch{Place: &s.places[o.i]}
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

// wordKeys returns the matching keys of the words of a name after the
// first ("Saint-Quentin" → "quentin").
func wordKeys(name string) []string {
	words := strings.FieldsFunc(cartonum.Fold(name), func(r rune) bool { return r == ' ' || r == '-' || r == '\'' })
	if len(words) < 2 {
		return nil
	}
	out := make([]string, 0, len(words)-1)
	for _, w := range words[1:] {
		if k := cartonum.Key(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// anyPrefix reports whether key starts one of words.
func anyPrefix(words []string, key string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, key) {
			return true
		}
	}
	return false
}
