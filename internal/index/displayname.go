package index

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DisplayName is a place's name normalised for reading, as lists, maps and
// sheets show it (the source's name is kept in the record and the export):
// underscores become spaces, words written in capitals become French title
// case ("COMMUNE DE MONS EN BAROEUL" → "Commune de Mons en Baroeul") with
// the short words in lower case (de, du, des, la, le, et, à, aux, en, sur,
// sous…), a lone D or L before a vowel elided ("CENTRE COMMUNAL D ACTION
// SOCIALE" → "Centre Communal d'Action Sociale"), the usual accents of a few frequent words restored
// (Communauté, Médiathèque…), acronyms (CCAS, MDSI, EPN, CAF…, and
// capital words without a vowel), numbers and Roman numerals kept. In a
// name already written in lower case, a short capital word is taken for an
// acronym and kept ("Point info CIDFF"); longer or hyphenated capital runs
// are normalised ("Commune d'HAZEBROUCK" → "Commune d'Hazebrouck").
func DisplayName(raw string) string {
	s := strings.Join(strings.Fields(strings.ReplaceAll(raw, "_", " ")), " ")
	s = looseElision.ReplaceAllString(s, "$1'") // "Mairie d' Amiens"
	if s == "" {
		return s
	}
	upper, lower := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
	}
	if upper == 0 {
		return s
	}
	mixed := lower > 0
	words := strings.Split(s, " ")
	// Elide a lone capital D or L before a word starting with a vowel or h.
	for i := 0; i+1 < len(words); i++ {
		if (words[i] == "D" || words[i] == "L") && startsVowel(words[i+1]) && isCaps(words[i+1]) {
			words[i] = words[i] + "'" + words[i+1]
			words = append(words[:i+1], words[i+2:]...)
		}
	}
	for i, w := range words {
		words[i] = displayWord(w, i == 0, mixed)
		// "COMMUNE DE LE CATEAU": "de le" is no French, so Le is part of a name.
		if i > 0 && words[i-1] == "de" && (words[i] == "le" || words[i] == "les") {
			words[i] = strings.ToUpper(words[i][:1]) + words[i][1:]
		}
	}
	return strings.Join(words, " ")
}

// displayWord normalises one word (space separated) whose hyphen and
// apostrophe parts are treated one by one.
func displayWord(w string, first, mixed bool) string {
	parts := splitKeep(w)
	if mixed && len(parts) == 1 && utf8.RuneCountInString(w) <= 5 {
		return w // a short capital word in a lower-case name: an acronym
	}
	var b strings.Builder
	afterElision := false
	for k, p := range parts {
		if p == "-" || p == "'" {
			b.WriteString(p)
			continue
		}
		lp := strings.ToLower(p)
		start := first && k == 0
		elision := (lp == "d" || lp == "l" || lp == "qu" || lp == "j") && k+1 < len(parts) && parts[k+1] == "'"
		switch {
		case !isCaps(p):
			b.WriteString(p) // written with lower case letters: as the source wrote it
		case elision && start:
			b.WriteString(strings.ToUpper(lp[:1]) + lp[1:])
		case elision:
			b.WriteString(lp)
		case k > 0 && parts[k-1] == "'" && !afterElision:
			// "INTERM'AIDE": the part after an apostrophe that is not an elision.
			b.WriteString(lp)
		case acronym(p):
			b.WriteString(p)
		case hasDigit(p):
			b.WriteString(lp)
		case shortWords[lp] && !start:
			b.WriteString(lp)
		default:
			if a, ok := accents[lp]; ok {
				lp = a
			}
			r, n := utf8.DecodeRuneInString(lp)
			b.WriteString(string(unicode.ToUpper(r)) + lp[n:])
		}
		afterElision = elision
	}
	return b.String()
}

func isCaps(w string) bool {
	letters := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

func hasDigit(w string) bool { return strings.IndexFunc(w, unicode.IsDigit) >= 0 }

func startsVowel(w string) bool {
	r, _ := utf8.DecodeRuneInString(strings.ToLower(w))
	return strings.ContainsRune("aeiouyhéèêâîôûàœ", r)
}

// splitKeep splits a word at hyphens and apostrophes, keeping them.
func splitKeep(w string) []string {
	var out []string
	start := 0
	for i, r := range w {
		if r == '-' || r == '\'' || r == '’' {
			if i > start {
				out = append(out, w[start:i])
			}
			out = append(out, map[rune]string{'-': "-", '\'': "'", '’': "'"}[r])
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(w) {
		out = append(out, w[start:])
	}
	return out
}

var looseElision = regexp.MustCompile(`\b([dDlL])['’] +`)

var romanNumeral = regexp.MustCompile(`^X{0,3}(IX|IV|V?I{0,3})$`)

// acronym reports whether a capital word is kept in capitals: a known
// acronym, a Roman numeral, a word without a vowel, or a two-letter word
// that is not a French word.
func acronym(p string) bool {
	if acronyms[p] || romanNumeral.MatchString(p) {
		return true
	}
	if utf8.RuneCountInString(p) == 1 {
		return p != "À" // "A G F P A S C": letters
	}
	if hasDigit(p) {
		return false
	}
	if !strings.ContainsAny(strings.ToLower(p), "aeiouyéèêëàâîïôûüœ") {
		return true
	}
	return utf8.RuneCountInString(p) == 2 && !twoLetterWords[strings.ToLower(p)]
}

var acronyms = set("CCAS", "MDSI", "EPN", "CAF", "CSC", "MJC", "PIMMS", "CIAS", "UTPAS", "MSA", "CPAM",
	"EHPAD", "PIJ", "BIJ", "MFR", "RSA", "EPCI", "CC", "CA", "CU", "MDS", "UTAS", "CIDFF", "AFPA", "GRETA",
	"ADIL", "UDAF", "APF", "ESAT", "IME", "CMP", "PMI", "CHRS", "SIAO", "CNFS", "PIMM", "ALSH", "FJT",
	"CDAD", "MJD", "UNA", "ADMR", "AGIR", "CLIC", "PAEJ", "QPV", "TIC", "NTIC", "MSAP", "MSP", "EPSM", "CFA",
	"PAIO", "IRFA", "UFCV", "FLE", "AFEV", "ANPAA", "APEI", "CIO", "PLIE", "SNCF", "LGBT", "SOS", "FACE",
	"UNIS", "ASBL", "SARL", "SAS", "SCIC", "SCOP", "EPCC", "ESS", "UDCCAS", "CDC", "CAPH", "CAB", "CAD",
	"AMELI", "FS", "GIP", "SIVOM", "SIVU", "SIRET", "CIAS", "PMI", "MDPH", "CMS", "UTAMS", "CSAPA", "CD", "FSE", "INSEE", "URSSAF", "ENT", "USB", "PC", "RS")

var shortWords = set("de", "du", "des", "la", "le", "les", "et", "à", "a", "aux", "au", "en", "sur", "sous",
	"pour", "par", "dans", "avec", "ou", "un", "une", "l", "d")

var twoLetterWords = set("de", "du", "la", "le", "et", "au", "en", "un", "ou", "il", "on", "ne", "sa", "se",
	"ma", "mi", "ta", "te", "si", "ni", "ai", "es", "os", "an", "eu", "oc", "ile", "ça", "où", "pa")

// accents restores the accents of frequent words of place names written in
// capitals without them.
var accents = map[string]string{
	"communaute": "communauté", "communautes": "communautés", "agglomeration": "agglomération",
	"mediatheque": "médiathèque", "bibliotheque": "bibliothèque", "departement": "département",
	"departemental": "départemental", "departementale": "départementale", "prefecture": "préfecture",
	"generations": "générations", "equipements": "équipements", "equipement": "équipement", "ecole": "école",
	"region": "région", "regional": "régional", "numerique": "numérique", "numeriques": "numériques",
	"sante": "santé", "reseau": "réseau", "solidarite": "solidarité", "solidarites": "solidarités",
	"cite": "cité", "activites": "activités", "education": "éducation", "insertion": "insertion",
	"emploi": "emploi", "mediation": "médiation", "societe": "société", "securite": "sécurité",
	"maitrise": "maîtrise", "hotel": "hôtel", "pole": "pôle", "ecume": "écume", "espace": "espace",
	"universite": "université", "college": "collège", "lycee": "lycée", "theatre": "théâtre",
	"reussite": "réussite", "senior": "senior", "seniors": "seniors", "cooperative": "coopérative",
	"metropole": "métropole", "europeenne": "européenne", "developpement": "développement",
	"creation": "création", "integration": "intégration", "evenement": "événement", "ressources": "ressources",
}

func set(vs ...string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}
