package standard

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Patterns of the standard's Table Schema (v1.0.2), written out here so
// that the fuzz tests check the package against the standard, not against
// its own regular expressions.
var (
	schemaCodePostal = regexp.MustCompile(`^\d{5}$`)
	schemaCodeInsee  = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	schemaPivot      = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	schemaTelephone  = regexp.MustCompile(`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$`)
	isoDate          = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func FuzzRead(f *testing.F) {
	for _, s := range []string{
		csvOf(header1, "l1,Espace numérique,Saint-Quentin,02100,1 rue de la Sellerie,49.8467,3.2876,2024-01-02"),
		"\xEF\xBB\xBFid;nom;commune;code_postal;adresse;latitude;longitude;date_maj\r\nl1;\"Espace ; 2\";Lille;59000;1 rue A;50,63;3,06;02/05/2022\r\n;;;;;;;\r\n",
		"id\tnom\tcommune\tcode_postal\tadresse\tdate_maj\nl1\tM\xe9diath\xe8que\tLille\t59000\t1 rue A\t2024-01-02\n",
		csvOf("id,nom,commune,code_postal,adresse,presentation_detail,date_maj", `l1,"Espace, numérique",Lille,59000,"1 rue A","Ligne 1`, `ligne 2",2024-01-02`, `l2,"Maison`),
		csvOf(header1, "l1,Espace,Lille", "l2,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02,en trop"),
		`[{"id": "a1", "nom": "ESCALE", "commune": "AUBY", "code_postal": 59950, "adresse": "place de la république", "latitude": 50.414308, "longitude": 3.053973, "labels_nationaux": "CNFS", "date_maj": "2022-05-02"}, 42]`,
		`{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "f1", "geometry": {"type": "Point", "coordinates": [3.0622, 50.6333]}, "properties": {"nom": "Médiathèque", "commune": "Lille", "adresse": "1 rue A", "services": ["A", null]}}]}`,
		"[\n {\"id\": \"a1\",\n  \"nom\": }\n]",
		"a,b,c\n1,2,3\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Add(utf16LE(csvOf(header1, "l1,Espace,Lille,59000,1 rue A,50.63,3.06,2024-01-02")))
	for _, name := range []string{"lieux-import.csv", "lieux-v0.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	terr := newFakeTerritory()
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := Read("fuzz", bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrUnreadable) {
				t.Fatalf("error %v does not wrap ErrUnreadable", err)
			}
			return
		}
		if len(src.Records) == 0 {
			t.Fatal("no records and no error")
		}
		if src.Schema != "1.0.2" && src.Schema != "0.1" {
			t.Fatalf("schema %q", src.Schema)
		}
		prev := 0
		for i, rec := range src.Records {
			switch src.Format {
			case "csv":
				if rec.Line < 2 || rec.Line <= prev {
					t.Fatalf("CSV record %d at line %d after line %d", i, rec.Line, prev)
				}
			case "json":
				if rec.Line < 1 || rec.Line < prev {
					t.Fatalf("JSON record %d at line %d after line %d", i, rec.Line, prev)
				}
			default:
				t.Fatalf("format %q", src.Format)
			}
			prev = rec.Line
			if rec.Fields == nil && rec.Problem == "" {
				t.Fatalf("record %d: nil fields without a problem", i)
			}
			for k := range rec.Fields {
				if !knownColumns[k] {
					t.Fatalf("record %d: unknown column %q in the fields", i, k)
				}
			}
			// Whatever was read must not make normalisation panic.
			Normalize(rec, terr, Options{Region: "32", KeepOutside: i%2 == 0})
		}
	})
}

func FuzzNormalize(f *testing.F) {
	type seed struct {
		id, pivot, nom, commune, cp, insee, adresse, lat, lon, date  string
		tel, courriels, site, fiche, rdv, services, horaires, resume string
		keepOutside                                                  bool
	}
	for _, s := range []seed{
		{"626fc4a7cc2a0205c7bef589", "00000000000000", "ESCALE", "Lille", "59000", "", "place de la république", "50.6333", "3.0622", "2022-05-02",
			"+33327996050", "", "https://www.auby.fr", "", "", "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique",
			"Tu-Fr 14:00-17:00; We 10:00-12:00,14:00-17:00; Sa 10:00-12:00", "", false},
		{"6270e361da550c06ed368c96", "24620036400080", "CCAS de Roubaix", "ROUBAIX", "59100", "59512", "21 RUE MARCEL SEMBAT", "3,18", "50,69", "03/05/2022",
			"03 20 00 00 00 / 06 00 00 00 00", "ccas@ville-roubaix.fr; x@", "www.ville-roubaix.fr", "javascript:alert(1)", "data:text/html,<b>", "Prendre en main un ordinateur;Cours de cuisine",
			"lundi 9h-12h", strings.Repeat("Ateliers numériques. ", 20), false},
		{"l3", "", "Médiathèque de Laventie", "LAVENTIE CEDEX", "62840", "", "4 rue du 11 Novembre", "", "", "2024-01-10T10:00:00Z",
			"0590 12 34 56", "", "", "https://acceslibre.beta.gouv.fr/x", "https://www.rdv-solidarites.fr/", "aide aux demarches administratives",
			"", "", false},
		{"l4", "", "Espace Paris", "Paris", "75001", "75101", "1 rue de Rivoli", "48.8566", "2.3522", "2024-01-01",
			"", "", "", "", "", "", "", "", true},
		{"l5", "", "Lambert", "Lille", "2100", "9350", "1 rue A", "7059000", "704000", "1800-01-01",
			"12", "", "http://", "", "", "", "", "", false},
		{"l6", "x", "a", "", "", "", "b", "0", "0", "2024-01-01", "", "", "", "", "", "", "", "", true},
	} {
		f.Add(s.id, s.pivot, s.nom, s.commune, s.cp, s.insee, s.adresse, s.lat, s.lon, s.date,
			s.tel, s.courriels, s.site, s.fiche, s.rdv, s.services, s.horaires, s.resume, s.keepOutside)
	}
	terr := newFakeTerritory()
	f.Fuzz(func(t *testing.T, id, pivot, nom, commune, cp, insee, adresse, lat, lon, date,
		tel, courriels, site, fiche, rdv, services, horaires, resume string, keepOutside bool) {
		rec := Record{Line: 2, Fields: map[string]string{
			"id": id, "pivot": pivot, "nom": nom, "commune": commune, "code_postal": cp, "code_insee": insee,
			"adresse": adresse, "latitude": lat, "longitude": lon, "date_maj": date, "telephone": tel,
			"courriels": courriels, "site_web": site, "fiche_acces_libre": fiche, "prise_rdv": rdv,
			"services": services, "horaires": horaires, "presentation_resume": resume,
		}}
		o := Options{Region: "32", KeepOutside: keepOutside}
		p, rej := Normalize(rec, terr, o)
		q, rej2 := Normalize(rec, terr, o)
		if (rej == nil) != (rej2 == nil) || fingerprint(&p) != fingerprint(&q) {
			t.Fatalf("Normalize is not deterministic")
		}
		if rej != nil {
			if rej.Reason == "" {
				t.Fatalf("rejection without a reason: %+v", rej)
			}
			return
		}
		checkPlace(t, &p, terr, keepOutside)
	})
}

// checkPlace fails unless an accepted place satisfies the standard and the
// promises of Normalize.
func checkPlace(t *testing.T, p *cartonum.Place, terr *fakeTerritory, keepOutside bool) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s\nplace: %+v", fmt.Sprintf(format, args...), p)
	}
	if strings.TrimSpace(p.ID) == "" || strings.TrimSpace(p.Nom) == "" || strings.TrimSpace(p.Adresse) == "" || strings.TrimSpace(p.Commune) == "" {
		fail("a required field is empty")
	}
	if !schemaCodePostal.MatchString(p.CodePostal) {
		fail("code_postal %q does not match ^\\d{5}$", p.CodePostal)
	}
	if !isoDate.MatchString(p.DateMaj) {
		fail("date_maj %q is not YYYY-MM-DD", p.DateMaj)
	}
	if !schemaPivot.MatchString(p.Pivot) {
		fail("pivot %q does not match the standard", p.Pivot)
	}
	if p.CodeInsee != "" && !schemaCodeInsee.MatchString(p.CodeInsee) {
		fail("code_insee %q does not match the standard", p.CodeInsee)
	}
	if p.Telephone != "" && !schemaTelephone.MatchString(p.Telephone) {
		fail("telephone %q does not match the standard", p.Telephone)
	}
	if n := utf8.RuneCountInString(p.PresentationResume); n > maxResume {
		fail("presentation_resume of %d runes", n)
	}
	if p.Provenance.OutsideRegion {
		if !keepOutside {
			fail("outside the region without KeepOutside")
		}
	} else {
		if _, ok := terr.Commune(p.CodeInsee); !ok {
			fail("code_insee %q is not a commune of the territory", p.CodeInsee)
		}
		if !terr.nearTerritory(orb.Point{p.Longitude, p.Latitude}) {
			fail("(%v, %v) is outside the territory", p.Latitude, p.Longitude)
		}
	}
	if p.Provenance.Precision != cartonum.PrecisionExact && p.Provenance.Precision != cartonum.PrecisionCommune {
		fail("precision %q", p.Provenance.Precision)
	}
	webs := append([]string{p.FicheAccesLibre, p.PriseRdv}, p.SiteWeb...)
	for _, s := range webs {
		if s == "" {
			continue
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, "<>\"' \t\n") {
			fail("web address %q is not a plain http(s) URL", s)
		}
	}
	for _, e := range p.Courriels {
		if !strings.Contains(e, "@") || strings.ContainsAny(e, "|; ,") {
			fail("courriel %q", e)
		}
	}
	for _, l := range []struct {
		v      *cartonum.Vocabulary
		values []string
	}{
		{cartonum.Services, p.Services}, {cartonum.Publics, p.Publics}, {cartonum.PriseEnCharge, p.PriseEnCharge},
		{cartonum.Frais, p.Frais}, {cartonum.Itinerance, p.Itinerance}, {cartonum.Dispositifs, p.Dispositifs},
		{cartonum.FormationsLabels, p.FormationsLabels}, {cartonum.ModalitesAcces, p.ModalitesAcces},
		{cartonum.ModalitesAccompagnement, p.ModalitesAccompagnement},
	} {
		for _, x := range l.values {
			if c, ok := l.v.Canonical(x); !ok || c != x {
				fail("%s holds %q, not a value of the standard", l.v.Field, x)
			}
		}
	}
	for _, r := range p.Provenance.Repairs {
		if r.Field == "" || r.Message == "" || r.Record != p.ID {
			fail("repair %+v", r)
		}
	}
	if len(p.Provenance.SourceIDs) != 1 || p.Provenance.SourceIDs[0] != p.ID {
		fail("source ids %q", p.Provenance.SourceIDs)
	}
}
