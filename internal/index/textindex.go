package index

import (
	"sort"
	"strings"
	"sync"
)

// The search box is asked once per keystroke, so SearchCommunes and
// SearchPlaces must not scan every commune and place of a national
// snapshot (35,000 communes, 20,000 places). textIndex holds what lets them
// look only at candidates, with the same answers as a scan:
//   - the communes' name keys and word keys sorted, for exact and prefix
//     matches (binary search);
//   - their INSEE codes and postcodes sorted, for digit queries;
//   - the distinct byte bigrams of each name key, for typos: a key within
//     tol edits (optimal string alignment) of a name, or of the start of a
//     name, shares all but at most 3·tol of its distinct bigrams with that
//     name (an edit touches at most three bigram positions, a transposition
//     three, a substitution or deletion two, an insertion one), so only the
//     names that reach that count are compared;
//   - the distinct byte trigrams of each place's folded text: a place whose
//     text contains a word contains every trigram of it, so the rarest
//     trigram of the query's words gives the candidates.
type textIndex struct {
	full      []nameEntry // communes' name keys, sorted
	words     []nameEntry // communes' word keys, sorted
	names     []nameEntry // full then word keys, for the bigram postings
	bigrams   map[uint16][]int32
	codes     []codeEntry // INSEE codes, sorted
	postcodes []codeEntry // postcodes, sorted
	trigrams  map[uint32][]int32
	counts    sync.Pool // *[]uint16 of len(names)
}

// nameEntry is a commune's full name key or the key of one of its words
// (word: its index in communeWords, -1 for the full name).
type nameEntry struct {
	key     string
	commune int32
	word    int32
}

type codeEntry struct {
	code    string
	commune int32
}

// addCommunes sets the communes' indexes (every field but trigrams) from
// s.communes, s.communeKeys and s.communeWords.
func (t *textIndex) addCommunes(s *Snapshot) {
	for i := range s.communes {
		t.full = append(t.full, nameEntry{s.communeKeys[i], int32(i), -1})
		for k, w := range s.communeWords[i] {
			t.words = append(t.words, nameEntry{w, int32(i), int32(k)})
		}
		t.codes = append(t.codes, codeEntry{s.communes[i].Code, int32(i)})
		for _, cp := range s.communes[i].CodesPostaux {
			t.postcodes = append(t.postcodes, codeEntry{cp, int32(i)})
		}
	}
	t.names = append(append([]nameEntry(nil), t.full...), t.words...)
	byKey := func(l []nameEntry) func(a, b int) bool {
		return func(a, b int) bool {
			if l[a].key != l[b].key {
				return l[a].key < l[b].key
			}
			return l[a].commune < l[b].commune
		}
	}
	sort.Slice(t.full, byKey(t.full))
	sort.Slice(t.words, byKey(t.words))
	byCode := func(l []codeEntry) func(a, b int) bool {
		return func(a, b int) bool {
			if l[a].code != l[b].code {
				return l[a].code < l[b].code
			}
			return l[a].commune < l[b].commune
		}
	}
	sort.Slice(t.codes, byCode(t.codes))
	sort.Slice(t.postcodes, byCode(t.postcodes))
	var seen []uint16
	for e := range t.names {
		seen = distinctBigrams(t.names[e].key, seen[:0])
		for _, g := range seen {
			t.bigrams[g] = append(t.bigrams[g], int32(e))
		}
	}
	n := len(t.names)
	t.counts.New = func() any { c := make([]uint16, n); return &c }
}

// addPlaces sets the places' trigram index from s.placeText.
func (t *textIndex) addPlaces(s *Snapshot) {
	var tri []uint32
	for i := range s.placeText {
		tri = distinctTrigrams(s.placeText[i], tri[:0])
		for _, g := range tri {
			t.trigrams[g] = append(t.trigrams[g], int32(i))
		}
	}
}

// distinctBigrams appends the distinct byte bigrams of s to out.
func distinctBigrams(s string, out []uint16) []uint16 {
	for i := 0; i+1 < len(s); i++ {
		g := uint16(s[i])<<8 | uint16(s[i+1])
		dup := false
		for _, h := range out {
			if h == g {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, g)
		}
	}
	return out
}

// distinctTrigrams appends the distinct byte trigrams of s to out.
func distinctTrigrams(s string, out []uint32) []uint32 {
	start := len(out)
	for i := 0; i+2 < len(s); i++ {
		out = append(out, uint32(s[i])<<16|uint32(s[i+1])<<8|uint32(s[i+2]))
	}
	tail := out[start:]
	sort.Slice(tail, func(a, b int) bool { return tail[a] < tail[b] })
	w := start
	for i := start; i < len(out); i++ {
		if i == start || out[i] != out[w-1] {
			out[w] = out[i]
			w++
		}
	}
	return out[:w]
}

// prefixRange returns the entries of l (sorted by code) whose code starts
// with p.
func prefixRange(l []codeEntry, p string) []codeEntry {
	lo := sort.Search(len(l), func(i int) bool { return l[i].code >= p })
	hi := lo
	for hi < len(l) && strings.HasPrefix(l[hi].code, p) {
		hi++
	}
	return l[lo:hi]
}

// withPrefix calls fn for each entry of l (sorted by key) whose key starts
// with key.
func withPrefix(l []nameEntry, key string, fn func(e *nameEntry)) {
	lo := sort.Search(len(l), func(i int) bool { return l[i].key >= key })
	for i := lo; i < len(l) && strings.HasPrefix(l[i].key, key); i++ {
		fn(&l[i])
	}
}

// topK keeps the k smallest items offered under less (all of them when k ≤
// 0), so that a short prefix matching thousands of names costs no sort of
// them all.
type topK[T any] struct {
	k     int
	less  func(a, b T) bool
	items []T
}

func (t *topK[T]) add(x T) {
	if t.k <= 0 {
		t.items = append(t.items, x)
		return
	}
	n := len(t.items)
	if n == t.k {
		if !t.less(x, t.items[n-1]) {
			return
		}
		n--
		t.items = t.items[:n]
	}
	i := sort.Search(n, func(i int) bool { return t.less(x, t.items[i]) })
	t.items = append(t.items, x)
	copy(t.items[i+1:], t.items[i:n])
	t.items[i] = x
}

// sorted returns the items kept, in order.
func (t *topK[T]) sorted() []T {
	if t.k <= 0 {
		sort.SliceStable(t.items, func(a, b int) bool { return t.less(t.items[a], t.items[b]) })
	}
	return t.items
}

// typoCandidates calls fn for each commune having a name entry that shares
// enough distinct bigrams with key to be within tol edits of it or of its
// start; with a key too short or repetitive for the bound, every commune.
func (t *textIndex) typoCandidates(key string, tol int, communes int, fn func(c int32)) {
	var buf [64]uint16
	qs := distinctBigrams(key, buf[:0])
	need := len(qs) - 3*tol
	if need <= 0 {
		for c := range communes {
			fn(int32(c))
		}
		return
	}
	cp := t.counts.Get().(*[]uint16)
	counts := *cp
	var hits []int32
	for _, g := range qs {
		for _, e := range t.bigrams[g] {
			counts[e]++
			if int(counts[e]) == need {
				hits = append(hits, t.names[e].commune)
			}
		}
	}
	for _, g := range qs {
		for _, e := range t.bigrams[g] {
			counts[e] = 0
		}
	}
	t.counts.Put(cp)
	sort.Slice(hits, func(a, b int) bool { return hits[a] < hits[b] })
	for i, c := range hits {
		if i == 0 || hits[i-1] != c {
			fn(c)
		}
	}
}

// placeCandidates calls fn, in ascending order, for each place whose text
// may contain every word: the places holding the rarest trigram of the
// words, or every place when no word has three bytes.
func (t *textIndex) placeCandidates(words []string, places int, fn func(i int)) {
	var best []int32
	found := false
	var tri []uint32
	for _, w := range words {
		tri = distinctTrigrams(w, tri[:0])
		for _, g := range tri {
			l := t.trigrams[g]
			if !found || len(l) < len(best) {
				best, found = l, true
			}
		}
	}
	if !found {
		for i := range places {
			fn(i)
		}
		return
	}
	for _, i := range best {
		fn(int(i))
	}
}
