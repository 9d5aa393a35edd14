package index

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// scanCommunes is SearchCommunes as it was before textIndex: a scan of
// every commune, kept as the reference the index must agree with.
func (s *Snapshot) scanCommunes(q string, limit int) []CommuneMatch {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	type scored struct {
		m     CommuneMatch
		score int
		dist  int
	}
	var out []scored
	digits := strings.Trim(q, "0123456789") == ""
	q = expandAbbreviations(q)
	key := cartonum.Key(q)
	if key == "" {
		return nil
	}
	tol := typoTolerance(key)
	for i := range s.communes {
		c := &s.communes[i]
		if digits {
			if strings.HasPrefix(c.Code, q) {
				out = append(out, scored{CommuneMatch{Commune: c}, 1, 0})
				continue
			}
			for _, cp := range c.CodesPostaux {
				if strings.HasPrefix(cp, q) {
					score := 1
					if cp == q {
						score = 2
					}
					out = append(out, scored{CommuneMatch{Commune: c, Postcode: cp}, score, 0})
					break
				}
			}
			continue
		}
		k := s.communeKeys[i]
		switch {
		case k == key:
			out = append(out, scored{CommuneMatch{Commune: c}, scoreExact, 0})
		case strings.HasPrefix(k, key):
			out = append(out, scored{CommuneMatch{Commune: c}, scorePrefix, 0})
		case anyPrefix(s.communeWords[i], key):
			out = append(out, scored{CommuneMatch{Commune: c}, scoreWordPrefix, 0})
		case tol > 0:
			if d, ok := typo(key, k, tol); ok {
				out = append(out, scored{CommuneMatch{Commune: c, Fuzzy: true}, scoreFuzzy, d})
				continue
			}
			for _, w := range s.communeWords[i] {
				if d, ok := typo(key, w, tol); ok {
					out = append(out, scored{CommuneMatch{Commune: c, Fuzzy: true}, scoreFuzzy, d})
					break
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		if out[i].m.Commune.Population != out[j].m.Commune.Population {
			return out[i].m.Commune.Population > out[j].m.Commune.Population
		}
		if out[i].dist != out[j].dist {
			return out[i].dist < out[j].dist
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

// scanPlaces is SearchPlaces as a scan of every place.
func (s *Snapshot) scanPlaces(q string, limit int) []PlaceMatch {
	words := strings.Fields(cartonum.Fold(q))
	if len(words) == 0 {
		return nil
	}
	key := cartonum.Key(q)
	type scored struct {
		i     int
		score int
	}
	var out []scored
	for i := range s.places {
		if s.places[i].Provenance.OutsideRegion {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(s.placeText[i], w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		score := 0
		if strings.HasPrefix(s.placeKey[i], key) {
			score = 1
		}
		out = append(out, scored{i, score})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].score != out[b].score {
			return out[a].score > out[b].score
		}
		ka, kb := s.placeKey[out[a].i], s.placeKey[out[b].i]
		if ka != kb {
			return ka < kb
		}
		return s.places[out[a].i].ID < s.places[out[b].i].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	res := make([]PlaceMatch, len(out))
	for i, o := range out {
		res[i] = PlaceMatch{Place: &s.places[o.i]}
	}
	return res
}

// mangle returns name with n random typos: substitutions, deletions,
// insertions and adjacent transpositions, and sometimes cut short.
func mangle(r *rand.Rand, name string, n int) string {
	b := []byte(cartonum.Fold(name))
	for range n {
		if len(b) < 2 {
			break
		}
		i := r.IntN(len(b) - 1)
		switch r.IntN(4) {
		case 0:
			b[i] = byte('a' + r.IntN(26))
		case 1:
			b = append(b[:i], b[i+1:]...)
		case 2:
			b = append(b[:i], append([]byte{byte('a' + r.IntN(26))}, b[i:]...)...)
		case 3:
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	if r.IntN(3) == 0 && len(b) > 3 {
		b = b[:3+r.IntN(len(b)-3)]
	}
	return string(b)
}

// TestSearchIndexMatchesScan checks that the indexed search box answers
// exactly as a scan of every commune and place: names, prefixes, word
// prefixes, typos, postcodes, INSEE codes and place words, on the region's
// communes (or generated ones without the mirror) with places.
func TestSearchIndexMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	communes := realCommunes()
	if communes == nil {
		communes = syntheticCommunes(r, 3000)
	}
	cs := append([]cartonum.Commune(nil), communes...)
	places := randomPlaces(r, 1500, cs[0].Geometry.Bound().Center(), 1)
	for i := range places {
		c := cs[r.IntN(len(cs))]
		places[i].Commune = c.Nom
		places[i].Nom = []string{"Espace numérique ", "CCAS de ", "France Services ", "Médiathèque "}[r.IntN(4)] + c.Nom
		places[i].Provenance.OutsideRegion = r.IntN(10) == 0
	}
	s := New(Data{Communes: cs, Places: places})
	var queries []string
	for range 1500 {
		c := cs[r.IntN(len(cs))]
		switch r.IntN(6) {
		case 0:
			queries = append(queries, c.Nom)
		case 1:
			queries = append(queries, mangle(r, c.Nom, 1))
		case 2:
			queries = append(queries, mangle(r, c.Nom, 2+r.IntN(2)))
		case 3:
			queries = append(queries, c.Code[:1+r.IntN(len(c.Code))])
		case 4:
			if len(c.CodesPostaux) > 0 {
				cp := c.CodesPostaux[0]
				queries = append(queries, cp[:1+r.IntN(len(cp))])
			}
		case 5:
			w := strings.Fields(places[r.IntN(len(places))].Nom)
			queries = append(queries, strings.Join(w[r.IntN(len(w)):], " "))
		}
	}
	queries = append(queries, "abbevile", "st quentin", "amie", "80100", "a", "ab", "aaaaaaa", "  ", "é", "ccas")
	for _, q := range queries {
		for _, limit := range []int{0, 1, 8} {
			if got, want := s.SearchCommunes(q, limit), s.scanCommunes(q, limit); !reflect.DeepEqual(got, want) {
				t.Fatalf("SearchCommunes(%q, %d): %d results, scan %d\n%v\n%v", q, limit, len(got), len(want), names(got), names(want))
			}
			if got, want := s.SearchPlaces(q, limit), s.scanPlaces(q, limit); !reflect.DeepEqual(got, want) {
				t.Fatalf("SearchPlaces(%q, %d): %d results, scan %d", q, limit, len(got), len(want))
			}
		}
	}
}

func names(ms []CommuneMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Commune.Nom)
	}
	return out
}

// syntheticCommunes returns n communes with French-looking names built
// from syllables (with saints, articles and hyphens), codes, postcodes and
// small square polygons, for the national-size search benchmark and for
// the tests when the mirror is absent.
func syntheticCommunes(r *rand.Rand, n int) []cartonum.Commune {
	syl := []string{"ab", "be", "ville", "court", "mont", "sur", "la", "ro", "ches", "ter", "vil", "lers", "ham", "bray", "cor", "bie", "neu", "fon", "taine", "gny", "ly", "mar", "quen", "tin", "beau", "vais", "a", "mie", "ns"}
	word := func() string {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		w := b.String()
		return strings.ToUpper(w[:1]) + w[1:]
	}
	out := make([]cartonum.Commune, n)
	for i := range out {
		name := word()
		switch r.IntN(5) {
		case 0:
			name = "Saint-" + name
		case 1:
			name = name + "-sur-" + word()
		case 2:
			name = "La " + name
		}
		dep := 1 + i*95/n
		code := fmt.Sprintf("%02d%03d", dep, i%1000)
		x, y := -4+10*r.Float64(), 42+9*r.Float64()
		out[i] = cartonum.Commune{Code: code, Nom: name, CodesPostaux: []string{fmt.Sprintf("%02d%03d", dep, 10*r.IntN(100))},
			Population: 50 + r.IntN(20000),
			Geometry:   orb.MultiPolygon{{{{x, y}, {x + 0.02, y}, {x + 0.02, y + 0.02}, {x, y + 0.02}, {x, y}}}}}
	}
	return out
}

// BenchmarkSearchNational measures the search box on a national-size
// snapshot: 35,000 generated communes and 20,000 places, the queries of an
// autocompletion (prefixes as typed, a typo, a postcode, a place's words).
func BenchmarkSearchNational(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 5))
	cs := syntheticCommunes(r, 35000)
	places := randomPlaces(r, 20000, orb.Point{2.5, 46.5}, 5)
	for i := range places {
		places[i].Commune = cs[r.IntN(len(cs))].Nom
	}
	s := New(Data{Communes: cs, Places: places})
	target := cs[12345].Nom
	queries := []string{target[:3], target[:5], target, mangle(r, target, 1), cs[777].CodesPostaux[0][:3], "espace numerique"}
	for _, q := range queries {
		b.Run(q, func(b *testing.B) {
			for range b.N {
				s.SearchCommunes(q, 10)
				s.SearchPlaces(q, 5)
			}
		})
	}
}

// TestSearchIndexFirstUse: the search indexes, display names and opening
// hours, built on first use, give the answers of a snapshot completed
// beforehand, when several searches, readers (and Complete) ask for them
// at once.
func TestSearchIndexFirstUse(t *testing.T) {
	d := newTestData(rand.New(rand.NewPCG(5, 8)))
	want := New(d.clone())
	want.Complete()
	queries := []string{"amiens", "abbevile", "80", "ccas", "médiathèque de", "france services", "st quentin"}
	communes, places := 0, 0
	for _, q := range queries {
		communes += len(want.SearchCommunes(q, 8))
		places += len(want.SearchPlaces(q, 8))
	}
	if communes < len(queries) || places < len(queries) {
		t.Fatalf("the reference finds %d communes and %d places for %d queries: the comparison would prove nothing", communes, places, len(queries))
	}
	for round := range 3 {
		s := New(d.clone())
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch {
				case g == 0 && round == 1:
					s.Complete()
				case g == 1:
					for k := range s.Places() {
						p := &s.Places()[k]
						if got, w := s.DisplayName(p), want.DisplayName(p); got != w {
							t.Errorf("DisplayName(%q) = %q, want %q", p.Nom, got, w)
						}
						if got, w := s.Hours(p), want.Hours(p); !reflect.DeepEqual(got, w) {
							t.Errorf("Hours(%q) differ", p.Horaires)
						}
					}
				case g == 2:
					open := Filter{OpenAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
					if got, w := s.Search(Query{Filter: open}).Total, want.Search(Query{Filter: open}).Total; got != w || w == 0 {
						t.Errorf("places open: %d, want %d", got, w)
					}
				}
				for _, q := range queries {
					if got, w := s.SearchCommunes(q, 8), want.SearchCommunes(q, 8); !reflect.DeepEqual(got, w) {
						t.Errorf("SearchCommunes(%q): %v, want %v", q, names(got), names(w))
					}
					if got, w := s.SearchPlaces(q, 8), want.SearchPlaces(q, 8); !reflect.DeepEqual(got, w) {
						t.Errorf("SearchPlaces(%q): %d results, want %d", q, len(got), len(w))
					}
				}
			}()
		}
		wg.Wait()
	}
}
