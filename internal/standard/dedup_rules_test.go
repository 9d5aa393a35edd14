package standard

import (
	"fmt"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func TestCompareNames(t *testing.T) {
	lille := communeWords("Lille")
	for _, tc := range []struct {
		a, b string
		drop map[string]bool
		want nameRelation
	}{
		{"Cyber base", "Cyberbase", nil, namesSame},
		{"Cyberbase", "Cyber-base Pompidou", nil, namesContained},
		{"Relais Social", "Relais Sociale", nil, namesSame},
		{"Centre social des Sociaux", "centres sociales des sociale", nil, namesSame},
		{"CCAS de Lille", "Centre communal d'action sociale", lille, namesSame},
		{"CTRE COMMUNAL ACTION SOCIALE D'HOUPLINES", "CCAS Houplines", nil, namesSame},
		{"MJC", "Maison des jeunes et de la culture", nil, namesSame},
		{"EPN de Lille", "Espace public numérique", lille, namesSame},
		{"CSC Nelson Mandela", "Centre socio-culturel Nelson Mandela", nil, namesSame},
		{"MDS", "Maison départementale des solidarités", nil, namesSame},
		{"MDSI Poix", "Maison départementale de la solidarité et de l'insertion Poix", nil, namesSame},
		{"Mairie de Lille", "Commune de Lille", lille, namesSame},
		{"Médiathèque", "Médiathèque de Lille", lille, namesSame},
		{"Médiathèque", "Médiathèque de Lille", nil, namesContained},
		{"Lille", "LILLE", lille, namesSame}, // nothing but the commune: kept
		// One typing error in a word of five letters or more, not two, not
		// in a shorter word.
		{"Médiathèque Aragon", "Mediatheque Aragonn", nil, namesSame},
		{"Médiathèque Aragon", "Mediatheque Arigan", nil, namesDiffer},
		{"Espace Lion", "Espace Lyon", nil, namesDiffer},
		// Most words in common: 3 of 5 distinct words is enough, 2 of 4 not.
		{"Espace numérique Pasteur Nord", "Espace numérique Pasteur Sud", nil, namesSimilar},
		{"Espace numérique Nord", "Espace numérique Sud", nil, namesDiffer},
		// Just above and just below the threshold of 0.6 (shared words over
		// distinct words): 4 of 6 is similar, 4 of 7 is not.
		{"Atelier numérique Pasteur Wazemmes Nord", "Atelier numérique Pasteur Wazemmes Sud", nil, namesSimilar},
		{"Atelier numérique Pasteur Wazemmes Nord", "Atelier numérique Pasteur Wazemmes Sud Annexe", nil, namesDiffer},
		{"France Services", "Médiathèque de Laventie", nil, namesDiffer},
		{"CCAS", "Mission locale", nil, namesDiffer},
		{"", "", nil, namesDiffer},
	} {
		t.Run(tc.a+" / "+tc.b, func(t *testing.T) {
			if got := compareNames(tc.a, tc.b, tc.drop); got != tc.want {
				t.Errorf("compareNames = %v, want %v (words %q / %q)", got, tc.want, nameWords(tc.a, tc.drop), nameWords(tc.b, tc.drop))
			}
			if got := compareNames(tc.b, tc.a, tc.drop); got != tc.want {
				t.Errorf("compareNames(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCompareAddresses(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want addressRelation
	}{
		{"4 rue du 11 Novembre", "4 R DU 11 NOVEMBRE", addressesSame},
		{"rue du 11 Novembre", "4 rue du 11 Novembre", addressesNoNumber},
		{"04 rue de Paris", "4 rue de Paris", addressesSame},
		{"1BIS PLACE LEON GONTHIER", "1 place Léon Gonthier", addressesSame},
		{"15-17 rue Emile Zola", "15 rue Emile Zola", addressesSame},
		{"2 B RUE JULES BARNI", "2 rue Jules Barni", addressesSame},
		{"21 Rue d'Abbeville BP 61629", "21 rue d'Abbeville", addressesSame},
		{"6 Rue Emile Zola Appt 422 60000 BEAUVAIS", "6 rue Emile Zola", addressesSame},
		{"40 Place du 8 Mai", "Place du 8 mai 1945", addressesNoNumber},
		{"4 rue de Paris", "6 rue de Paris", addressesOtherNumber},
		{"4 rue de Paris", "4 boulevard Victor Hugo", addressesDiffer},
		{"place de la République", "place de la Mairie", addressesDiffer},
		{"", "", addressesEmpty},
		{"", "1 rue A", addressesUnknown},
	} {
		t.Run(tc.a+" / "+tc.b, func(t *testing.T) {
			drop := communeWords("Beauvais")
			if got := compareAddresses(tc.a, tc.b, drop); got != tc.want {
				t.Errorf("compareAddresses = %v, want %v", got, tc.want)
			}
			if got := compareAddresses(tc.b, tc.a, drop); got != tc.want {
				t.Errorf("compareAddresses(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}

// withPlace returns p changed by f.
func withPlace(p cartonum.Place, f func(*cartonum.Place)) cartonum.Place {
	f(&p)
	return p
}

// TestDuplicateRules checks each rule of Matcher.IsDuplicate on both
// sides of its margins, for IsDuplicate (no frequencies) and for a Matcher
// built from the pair and the extra places given.
func TestDuplicateRules(t *testing.T) {
	const lat, lon = 50.6333, 3.0622
	at := func(id, nom, adresse string, metres float64) cartonum.Place {
		return placeAt(id, nom, adresse, "59350", lat+metresNorth(metres), lon)
	}
	phone := func(tel string) func(*cartonum.Place) { return func(p *cartonum.Place) { p.Telephone = tel } }
	contacts := func(mail, web string) func(*cartonum.Place) {
		return func(p *cartonum.Place) { p.Courriels, p.SiteWeb = []string{mail}, []string{web} }
	}
	pivot := func(s string) func(*cartonum.Place) { return func(p *cartonum.Place) { p.Pivot = s } }
	commune := func(p *cartonum.Place) { p.Provenance.Precision = cartonum.PrecisionCommune }
	// far places of other communes carrying the same value, to make it common.
	elsewhere := func(n int, f func(*cartonum.Place)) []cartonum.Place {
		var out []cartonum.Place
		for i := range n {
			out = append(out, withPlace(placeAt(fmt.Sprint("x", i), "Mairie", "1 place de la Mairie", "62491", 50.0+float64(i)/100, 2.7), f))
		}
		return out
	}
	konexio := contacts("lille@konexio.eu", "https://konexio.eu")
	for _, tc := range []struct {
		name           string
		a, b           cartonum.Place
		others         []cartonum.Place // other records the Matcher counts
		plain, matcher bool             // want from IsDuplicate, from the Matcher
	}{
		// 1. Similar names and compatible addresses within 50 m.
		{name: "similar, 49 m", a: at("a", "Espace numérique", "1 rue A", 0), b: at("b", "Espace numérique", "1 rue A", 49), plain: true, matcher: true},
		{name: "similar, 51 m", a: at("a", "Espace numérique", "1 rue A", 0), b: at("b", "Espace numérique", "1 rue A", 51)},
		{name: "split word, same address", a: at("a", "Cyber-base Pompidou", "5 Rue Edouard Branly", 0), b: at("b", "Cyberbase", "5 rue edouard branly", 0), plain: true, matcher: true},
		{name: "3 words of 5 in common", a: at("a", "Espace numérique Pasteur Nord", "1 rue A", 0), b: at("b", "Espace numérique Pasteur Sud", "1 rue A", 0), plain: true, matcher: true},
		{name: "2 words of 4 in common", a: at("a", "Espace numérique Nord", "1 rue A", 0), b: at("b", "Espace numérique Sud", "1 rue A", 0)},
		{name: "other house number", a: at("a", "Espace numérique", "4 rue de Paris", 0), b: at("b", "Espace numérique", "6 rue de Paris", 0)},

		// 2. Same name and street, one address without its number, within 150 m.
		{name: "no house number, 149 m", a: at("a", "La maison du numérique", "rue jean jaurès", 0), b: at("b", "LA MAISON DU NUMERIQUE", "52 RUE JEAN JAURES", 149), plain: true, matcher: true},
		{name: "no house number, 151 m", a: at("a", "La maison du numérique", "rue jean jaurès", 0), b: at("b", "LA MAISON DU NUMERIQUE", "52 RUE JEAN JAURES", 151)},
		{name: "no house number, name only contained, 89 m", a: at("a", "Maison du numérique", "rue jean jaurès", 0), b: at("b", "Maison du numérique Pasteur", "52 rue Jean Jaurès", 89)},
		{name: "other house numbers, 89 m", a: at("a", "Maison du numérique", "48 rue jean jaurès", 0), b: at("b", "Maison du numérique", "52 rue Jean Jaurès", 89)},

		// 3. Same point and name, other address: a shared value decides.
		{name: "same name, point and phone, 9 m", a: withPlace(at("a", "Relais Sociale", "17 rue de la Rochefoucauld", 0), phone("+33322490110")), b: withPlace(at("b", "Relais Social", "400 boulevard Beauvillé", 9), phone("+33322490110")), plain: true, matcher: true},
		{name: "same name and phone, 11 m", a: withPlace(at("a", "Relais Sociale", "17 rue de la Rochefoucauld", 0), phone("+33322490110")), b: withPlace(at("b", "Relais Social", "400 boulevard Beauvillé", 11), phone("+33322490110"))},
		{name: "same name and point, nothing shared", a: at("a", "Relais Sociale", "17 rue de la Rochefoucauld", 0), b: at("b", "Relais Social", "400 boulevard Beauvillé", 0)},
		{
			name: "same name and point, phone of 3 sites",
			a:    withPlace(at("a", "Permanence numérique", "17 rue de la Gare", 0), phone("+33610508303")), b: withPlace(at("b", "Permanence numérique", "3 place de la Mairie", 0), phone("+33610508303")),
			others: elsewhere(2, phone("+33610508303")), plain: true, matcher: false,
		},

		// 4. Same point and address, other names: a specific e-mail and another value.
		{name: "building-named record with the e-mail and website, 9 m", a: withPlace(at("a", "Maison des associations de Lille", "27 rue jean bart", 0), konexio), b: withPlace(at("b", "KONEXIO", "27 RUE JEAN BART", 9), konexio), matcher: true},
		{name: "building-named record with the e-mail and website, 11 m", a: withPlace(at("a", "Maison des associations de Lille", "27 rue jean bart", 0), konexio), b: withPlace(at("b", "KONEXIO", "27 RUE JEAN BART", 11), konexio)},
		{name: "only the e-mail shared", a: withPlace(at("a", "Maison des associations", "27 rue jean bart", 0), contacts("lille@konexio.eu", "")), b: withPlace(at("b", "KONEXIO", "27 RUE JEAN BART", 0), konexio)},
		{name: "e-mail and website of 3 sites", a: withPlace(at("a", "Maison des associations", "27 rue jean bart", 0), konexio), b: withPlace(at("b", "KONEXIO", "27 RUE JEAN BART", 0), konexio), others: elsewhere(2, konexio)},
		{name: "e-mail and website, other house number", a: withPlace(at("a", "Maison des associations", "25 rue jean bart", 0), konexio), b: withPlace(at("b", "KONEXIO", "27 RUE JEAN BART", 0), konexio)},
		{
			name: "CCAS and mission locale sharing the switchboard and the town website",
			a:    withPlace(withPlace(at("a", "CCAS", "1 place de la Mairie", 0), phone("+33320000000")), contacts("ccas@ville.fr", "https://ville.fr")),
			b:    withPlace(withPlace(at("b", "Mission locale", "1 place de la Mairie", 0), phone("+33320000000")), contacts("ml@ville.fr", "https://ville.fr")),
		},

		// SIRETs.
		{name: "two SIRETs, same name and address", a: withPlace(at("a", "Espace numérique", "1 rue A", 0), pivot("11111111100011")), b: withPlace(at("b", "Espace numérique", "1 rue A", 0), pivot("11111111100029")), plain: true, matcher: true},
		{name: "two SIRETs, similar names", a: withPlace(at("a", "Espace numérique Pasteur Nord", "1 rue A", 0), pivot("11111111100011")), b: withPlace(at("b", "Espace numérique Pasteur Sud", "1 rue A", 0), pivot("11111111100029"))},
		{name: "a SIRET and the unknown one", a: withPlace(at("a", "Espace numérique Pasteur", "1 rue A", 0), pivot("11111111100011")), b: at("b", "Espace numérique Pasteur", "1 rue A", 0), plain: true, matcher: true},
		{name: "town hall and its Cyberbase 250 m apart, one SIRET", a: withPlace(at("a", "Commune de Lille", "place Vaillant Couturier", 0), pivot("21590253700012")), b: withPlace(at("b", "Cyberbase", "409 rue Edgard Loubry", 250), pivot("21590253700012"))},

		// Without coordinates (both placed at the commune's centre).
		{name: "commune precision, same address", a: withPlace(at("a", "Espace numérique", "4 rue A", 0), commune), b: withPlace(at("b", "Espace numérique", "4 rue A", 0), commune), plain: true, matcher: true},
		{name: "commune precision, other addresses", a: withPlace(at("a", "Espace numérique", "4 rue A", 0), commune), b: withPlace(at("b", "Espace numérique", "8 rue B", 0), commune)},
		{name: "commune precision, same name and phone, other addresses", a: withPlace(withPlace(at("a", "Relais", "4 rue A", 0), commune), phone("+33322490110")), b: withPlace(withPlace(at("b", "Relais", "8 rue B", 0), commune), phone("+33322490110"))},

		// Structures sharing a building.
		{name: "France Services and the médiathèque", a: withPlace(at("a", "France Services", "4 rue du 11 Novembre", 0), contacts("fs@laventie.fr", "https://www.laventie.fr")), b: withPlace(at("b", "Médiathèque de Laventie", "4 rue du 11 novembre", 0), contacts("bibliotheque@laventie.fr", "https://www.laventie.fr/"))},
		{name: "maison des associations and the CCAS", a: at("a", "Maison des associations", "27 rue Jean Bart", 0), b: at("b", "CCAS", "27 rue Jean Bart", 0)},
		{name: "CCAS and the mission locale", a: at("a", "Centre communal d'action sociale", "27 rue Jean Bart", 0), b: at("b", "Mission locale", "27 rue Jean Bart", 0)},
		{name: "other communes", a: at("a", "Mairie", "1 place de la Mairie", 0), b: placeAt("b", "Mairie", "1 place de la Mairie", "62491", lat, lon)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Distance(tc.a.Latitude, tc.a.Longitude, tc.b.Latitude, tc.b.Longitude)
			if got := IsDuplicate(&tc.a, &tc.b); got != tc.plain {
				t.Errorf("IsDuplicate = %v, want %v (%.1f m)", got, tc.plain, d)
			}
			if got := IsDuplicate(&tc.b, &tc.a); got != tc.plain {
				t.Errorf("IsDuplicate(b, a) = %v, want %v: not symmetric", got, tc.plain)
			}
			m := NewMatcher(append([]cartonum.Place{tc.a, tc.b}, tc.others...))
			if got := m.IsDuplicate(&tc.a, &tc.b); got != tc.matcher {
				t.Errorf("Matcher.IsDuplicate = %v, want %v (%.1f m)", got, tc.matcher, d)
			}
			if got := m.IsDuplicate(&tc.b, &tc.a); got != tc.matcher {
				t.Errorf("Matcher.IsDuplicate(b, a) = %v, want %v: not symmetric", got, tc.matcher)
			}
		})
	}
}

// TestMatcherSites: a value counts the distinct sites carrying it, records
// of one site (within StreetDistance) counting once.
func TestMatcherSites(t *testing.T) {
	const lat, lon = 50.6333, 3.0622
	tel := func(p cartonum.Place) cartonum.Place { p.Telephone = "+33344425630"; return p }
	places := []cartonum.Place{
		tel(placeAt("a", "Cyber-base", "1 rue A", "59350", lat, lon)),
		tel(placeAt("b", "Cyber-base", "1 rue A", "59350", lat+metresNorth(StreetDistance-1), lon)),
		tel(placeAt("c", "Mairie", "1 rue B", "59350", lat+metresNorth(2*StreetDistance+1), lon)),
		tel(placeAt("d", "Mairie", "1 rue C", "62491", 50.62, 2.77)),
	}
	if got := NewMatcher(places).sites["tel:+33344425630"]; got != 3 {
		t.Errorf("sites = %d, want 3", got)
	}
	if got := NewMatcher(places[:2]).sites["tel:+33344425630"]; got != 1 {
		t.Errorf("sites of one place's records = %d, want 1", got)
	}
}

func BenchmarkIsDuplicate(b *testing.B) {
	p := placeAt("a", "Centre communal d'action sociale de Lille", "1BIS PLACE LEON GONTHIER", "59350", 50.6333, 3.0622)
	q := placeAt("b", "CCAS LILLE", "1 place Léon Gonthier", "59350", 50.6334, 3.0622)
	m := NewMatcher([]cartonum.Place{p, q})
	b.ReportAllocs()
	for b.Loop() {
		m.IsDuplicate(&p, &q)
	}
}
