package standard

import (
	"strings"
	"unicode"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Names and addresses are compared as lists of normalised words: folded
// to lower-case ASCII, stop words dropped, light French stemming (plural
// and feminine endings: "sociales", "sociaux" → "social"), a few
// synonyms ("mairie", "ville" → "commune") and the usual phrases
// contracted to one word ("centre communal d'action sociale" → "ccas"),
// so that an acronym and its spelled-out form compare equal.

var nameStopwords = map[string]bool{
	"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true,
	"d": true, "et": true, "a": true, "au": true, "aux": true, "en": true, "the": true,
	"pour": true, "par": true, "un": true, "une": true, "sur": true, "sous": true,
}

// nameSynonyms rewrites one (already stemmed) word.
var nameSynonyms = map[string]string{
	"mairie": "commune", "ville": "commune", "municipalite": "commune",
	"ctre": "centre", "ass": "association", "asso": "association", "assoc": "association",
	"st": "saint", "ste": "sainte", "socio": "social",
}

// namePhrases are contracted to one word, longest first; the words are
// as stemmed, without stop words.
var namePhrases = []struct {
	words []string
	to    string
}{
	{[]string{"maison", "departemental", "solidarite", "insertion"}, "mdsi"},
	{[]string{"centre", "communal", "action", "social"}, "ccas"},
	{[]string{"maison", "departemental", "solidarite"}, "mds"},
	{[]string{"maison", "jeune", "culture"}, "mjc"},
	{[]string{"espace", "public", "numerique"}, "epn"},
	{[]string{"point", "information", "jeunesse"}, "pij"},
	{[]string{"centre", "social", "culturel"}, "csc"},
	{[]string{"espace", "vie", "social"}, "evs"},
	{[]string{"communaute", "commune"}, "cc"},
	{[]string{"communaute", "agglomeration"}, "ca"},
	{[]string{"communaute", "urbaine"}, "cu"},
	{[]string{"mission", "local"}, "ml"},
	{[]string{"france", "service"}, "fs"},
	{[]string{"maison", "quartier"}, "mq"},
	{[]string{"centre", "social"}, "cs"},
	{[]string{"unite", "territorial", "action", "social"}, "utas"},
}

// words splits s into folded words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(cartonum.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// stem removes the French plural and feminine endings that wording
// varies on: "sociales", "sociaux", "sociale" → "social";
// "culturelles" → "culturel"; "jeunes" → "jeune".
func stem(w string) string {
	if len(w) <= 4 || isNumber(w) { // acronyms ("ccas") and short words stay
		return w
	}
	if strings.HasSuffix(w, "aux") {
		return w[:len(w)-3] + "al"
	}
	w = strings.TrimRight(w, "sx")
	switch {
	case strings.HasSuffix(w, "ale"):
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "elle"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ee"):
		w = w[:len(w)-1]
	}
	return w
}

func isNumber(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }

// nameWords returns the normalised words of a place name, without the
// words of the communes named in drop (a name often carries its commune:
// "Médiathèque de Laventie"), unless nothing else is left.
func nameWords(name string, drop map[string]bool) []string {
	var ws []string
	for _, w := range words(name) {
		if nameStopwords[w] {
			continue
		}
		w = stem(w)
		if s, ok := nameSynonyms[w]; ok {
			w = s
		}
		ws = append(ws, w)
	}
	ws = contract(ws)
	kept := make([]string, 0, len(ws))
	for _, w := range ws {
		if !drop[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return ws
	}
	return kept
}

// contract replaces the phrases of namePhrases by their acronym.
func contract(ws []string) []string {
	out := ws[:0:0]
	for i := 0; i < len(ws); {
		matched := false
		for _, p := range namePhrases {
			if i+len(p.words) <= len(ws) && equalWords(ws[i:i+len(p.words)], p.words) {
				out = append(out, p.to)
				i += len(p.words)
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, ws[i])
			i++
		}
	}
	return out
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// communeWords are the words of the commune names given, as nameWords
// would produce them, to be dropped from names.
func communeWords(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		for _, w := range words(n) {
			if !nameStopwords[w] && !isNumber(w) {
				m[stem(w)] = true
			}
		}
	}
	// Not commune names but what the field often carries after it.
	delete(m, "cedex")
	delete(m, "bp")
	return m
}

// nameRelation is how close two names are.
type nameRelation int

const (
	namesDiffer    nameRelation = iota
	namesSimilar                // most words in common
	namesContained              // every word of one is in the other
	namesSame                   // the same words
)

// compareNames relates two names of places of the same commune.
// Words match when equal, when they differ by one typing error (words of
// five letters or more), or when one word is two or three consecutive
// words of the other joined ("cyberbase" and "cyber base").
func compareNames(a, b string, drop map[string]bool) nameRelation {
	wa, wb := nameWords(a, drop), nameWords(b, drop)
	if len(wa) == 0 || len(wb) == 0 {
		if cartonum.Key(a) != "" && cartonum.Key(a) == cartonum.Key(b) {
			return namesSame
		}
		return namesDiffer
	}
	wa, wb = join(wa, wb), join(wb, wa)
	ma, mb := matchWords(wa, wb)
	na, nb := len(wa), len(wb)
	switch {
	case ma == na && mb == nb:
		return namesSame
	case ma == na || mb == nb:
		return namesContained
	}
	inter := min(ma, mb)
	if float64(inter)/float64(na+nb-inter) >= 0.6 {
		return namesSimilar
	}
	return namesDiffer
}

// join merges runs of two or three consecutive words of ws that, joined,
// are one word of other.
func join(ws, other []string) []string {
	set := make(map[string]bool, len(other))
	for _, w := range other {
		set[w] = true
	}
	out := ws[:0:0]
	for i := 0; i < len(ws); {
		n := 1
		for k := 3; k >= 2; k-- {
			if i+k <= len(ws) && set[strings.Join(ws[i:i+k], "")] {
				n = k
				break
			}
		}
		out = append(out, strings.Join(ws[i:i+n], ""))
		i += n
	}
	return out
}

// matchWords counts the words of a found in b and of b found in a.
func matchWords(a, b []string) (ma, mb int) {
	for _, w := range a {
		if containsWord(b, w) {
			ma++
		}
	}
	for _, w := range b {
		if containsWord(a, w) {
			mb++
		}
	}
	return ma, mb
}

func containsWord(ws []string, w string) bool {
	for _, x := range ws {
		if sameWord(x, w) {
			return true
		}
	}
	return false
}

// sameWord: equal, or one typing error apart for words of five letters
// or more (numbers must be equal).
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 5 || len(b) < 5 || isNumber(a) || isNumber(b) {
		return false
	}
	return editDistance(a, b, 1) <= 1
}

// editDistance is the Levenshtein distance of a and b (bytes: the words
// are folded to ASCII), or max+1 as soon as it exceeds max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(prev[j-1], prev[j], cur[j-1])
			}
			cur[j] = c
			best = min(best, c)
		}
		if best > max {
			return max + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

var addressWords = map[string]string{
	"r": "rue", "pl": "place", "bd": "boulevard", "bld": "boulevard", "av": "avenue", "ave": "avenue",
	"all": "allee", "che": "chemin", "ch": "chemin", "rte": "route", "imp": "impasse", "sq": "square",
	"fg": "faubourg", "fbg": "faubourg", "st": "saint", "ste": "sainte", "crs": "cours", "qu": "quai",
	"res": "residence", "lot": "lotissement", "gde": "grande", "gd": "grand", "pass": "passage",
	"prom": "promenade", "hlm": "hlm", "cite": "cite", "mal": "marechal", "gal": "general",
	"pdt": "president", "dr": "docteur",
}

// addressParts splits an address into its house number ("12", "12 bis",
// "12-14" and "12B" → "12"; empty without one) and its street words,
// without what often trails it: a postal box ("BP 61629", "CS 20001"),
// a flat ("Appt 422"), a postcode or the commune's words (in drop).
// Numbers inside the street name ("rue du 11 Novembre") stay words.
func addressParts(s string, drop map[string]bool) (number string, street []string) {
	ws := words(s)
	i := 0
	if i < len(ws) && isNumber(ws[i]) {
		number = strings.TrimLeft(strings.TrimRightFunc(ws[i], unicode.IsLetter), "0")
		i++
		for i < len(ws) && (isNumber(ws[i]) || ws[i] == "bis" || ws[i] == "ter" || ws[i] == "b" || ws[i] == "a") {
			i++
		}
	}
	for ; i < len(ws); i++ {
		w := ws[i]
		switch {
		case w == "bp" || w == "cs" || w == "appt" || w == "apt" || w == "cedex":
			for i+1 < len(ws) && isNumber(ws[i+1]) {
				i++
			}
			continue
		case len(w) == 5 && isNumber(w) && i > 0:
			continue // a postcode
		case nameStopwords[w]:
			continue
		}
		if r, ok := addressWords[w]; ok {
			w = r
		}
		if drop[stem(w)] && len(street) > 1 {
			continue
		}
		street = append(street, w)
	}
	return number, street
}

// addressRelation is how close two addresses are.
type addressRelation int

const (
	addressesUnknown     addressRelation = iota // one is empty
	addressesDiffer                             // other streets
	addressesOtherNumber                        // same street, other house numbers
	addressesNoNumber                           // same street, one or both without a number
	addressesEmpty                              // both empty
	addressesSame                               // same street and house number
)

// compareAddresses relates two addresses of the same commune. Streets
// match when every word of one is in the other or they share half their
// words (typing errors allowed as for names).
func compareAddresses(a, b string, drop map[string]bool) addressRelation {
	na, sa := addressParts(a, drop)
	nb, sb := addressParts(b, drop)
	switch {
	case len(sa) == 0 && len(sb) == 0:
		if na != "" && na == nb {
			return addressesSame
		}
		return addressesEmpty
	case len(sa) == 0 || len(sb) == 0:
		return addressesUnknown
	}
	ma, mb := matchWords(sa, sb)
	inter := min(ma, mb)
	if ma < len(sa) && mb < len(sb) && float64(inter)/float64(len(sa)+len(sb)-inter) < 0.5 {
		return addressesDiffer
	}
	switch {
	case na == "" || nb == "":
		return addressesNoNumber
	case na != nb:
		return addressesOtherNumber
	}
	return addressesSame
}

// similarNames reports whether two names are similar: one name's words
// all in the other ("Médiathèque" and "Médiathèque de Laventie"), or most
// words in common, after normalisation.
func similarNames(a, b string) bool { return compareNames(a, b, nil) >= namesSimilar }

// similarAddresses reports whether two addresses may be the same: same
// street, and the same house number when both have one (or both empty).
func similarAddresses(a, b string) bool {
	switch compareAddresses(a, b, nil) {
	case addressesSame, addressesNoNumber, addressesEmpty:
		return true
	}
	return false
}
