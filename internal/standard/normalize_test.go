package standard

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func TestNormalizeClean(t *testing.T) {
	p, rej := Normalize(Record{Line: 2, Fields: lilleFields()}, newFakeTerritory(), Options{Region: "32"})
	if rej != nil {
		t.Fatalf("rejected: %+v", rej)
	}
	if len(p.Provenance.Repairs) != 0 {
		t.Errorf("a clean record got repairs: %+v", p.Provenance.Repairs)
	}
	want := cartonum.Place{
		ID: "lieu-lille-1", Pivot: "21590350100017", Nom: "Médiathèque Jean Lévy", Commune: "Lille",
		CodePostal: "59000", CodeInsee: "59350", Adresse: "32 rue Édouard Delesalle",
		Latitude: 50.6333, Longitude: 3.0622, Telephone: "+33320155700",
		Courriels: []string{"contact@mairie-lille.fr"}, SiteWeb: []string{"https://www.lille.fr"},
		Horaires: "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00", Source: "conseiller-numerique",
		DateMaj:  "2024-03-01",
		Services: []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		Provenance: cartonum.Provenance{
			SourceIDs: []string{"lieu-lille-1"}, Sources: []string{"conseiller-numerique"},
			Precision: cartonum.PrecisionExact,
		},
	}
	if got, w := fingerprint(&p), fingerprint(&want); got != w {
		t.Errorf("Normalize =\n%s\nwant\n%s", got, w)
	}
}

func TestNormalize(t *testing.T) {
	base := lilleFields()
	longResume := strings.Repeat("La médiathèque accompagne les habitants dans leurs démarches en ligne. ", 6)

	for _, tc := range []struct {
		name   string
		fields map[string]string
		opts   Options
		// rejected names the field of the expected rejection; "" when the
		// record must be accepted.
		rejected string
		// repairs are fields that must each carry a repair.
		repairs []string
		check   func(t *testing.T, p *cartonum.Place)
	}{
		{
			name:    "swapped latitude and longitude",
			fields:  with(base, "latitude", "3.0622", "longitude", "50.6333"),
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Latitude != 50.6333 || p.Longitude != 3.0622 || p.CodeInsee != "59350" {
					t.Errorf("got (%v, %v) in %s, want (50.6333, 3.0622) in 59350", p.Latitude, p.Longitude, p.CodeInsee)
				}
			},
		},
		{
			name:    "Lambert-93 reprojected",
			fields:  with(base, "latitude", "7059000", "longitude", "704000"),
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if math.Abs(p.Latitude-50.637) > 0.01 || math.Abs(p.Longitude-3.06) > 0.01 || p.CodeInsee != "59350" {
					t.Errorf("got (%v, %v) in %s, want about (50.637, 3.06) in 59350", p.Latitude, p.Longitude, p.CodeInsee)
				}
				if p.Provenance.Precision != cartonum.PrecisionExact {
					t.Errorf("precision %q, want exact", p.Provenance.Precision)
				}
			},
		},
		{
			name:    "Lambert-93 in swapped columns",
			fields:  with(base, "latitude", "704000", "longitude", "7059000"),
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if math.Abs(p.Latitude-50.637) > 0.01 || math.Abs(p.Longitude-3.06) > 0.01 {
					t.Errorf("got (%v, %v), want about (50.637, 3.06)", p.Latitude, p.Longitude)
				}
			},
		},
		{
			name:    "decimal comma",
			fields:  with(base, "latitude", "50,6333", "longitude", "3,0622"),
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Latitude != 50.6333 || p.Longitude != 3.0622 {
					t.Errorf("got (%v, %v), want (50.6333, 3.0622)", p.Latitude, p.Longitude)
				}
			},
		},
		{
			name:    "code_insee derived from the coordinates",
			fields:  with(base, "code_insee", ""),
			repairs: []string{"code_insee"},
			check:   wantInsee("59350"),
		},
		{
			name:    "code_insee with a lost zero",
			fields:  with(base, "code_insee", "9350"),
			repairs: []string{"code_insee"},
			check:   wantInsee("59350"),
		},
		{
			name:    "code_insee inconsistent with the coordinates",
			fields:  with(base, "code_insee", "59512"),
			repairs: []string{"code_insee"},
			check:   wantInsee("59350"),
		},
		{
			name:    "code_insee invalid",
			fields:  with(base, "code_insee", "Lille"),
			repairs: []string{"code_insee"},
			check:   wantInsee("59350"),
		},
		{
			name:    "no coordinates, commune by code",
			fields:  with(base, "latitude", "", "longitude", "", "code_insee", "59512", "commune", "Roubaix", "code_postal", "59100"),
			repairs: []string{"latitude"},
			check:   wantAnchored(roubaix),
		},
		{
			name:    "no coordinates, commune by name and postcode",
			fields:  with(base, "latitude", "", "longitude", "", "code_insee", "", "commune", "ROUBAIX", "code_postal", "59100"),
			repairs: []string{"latitude", "code_insee"},
			check:   wantAnchored(roubaix),
		},
		{
			name:    "no coordinates, CEDEX commune and postcode",
			fields:  with(base, "latitude", "", "longitude", "", "code_insee", "", "commune", "LILLE CEDEX", "code_postal", "59034"),
			repairs: []string{"latitude", "code_postal", "code_insee"},
			check: func(t *testing.T, p *cartonum.Place) {
				wantAnchored(lille)(t, p)
				if p.CodePostal != "59034" || p.Commune != "LILLE CEDEX" {
					t.Errorf("commune %q %q, want the declared LILLE CEDEX 59034", p.CodePostal, p.Commune)
				}
			},
		},
		{
			name:    "impossible coordinates, commune by code",
			fields:  with(base, "latitude", "0", "longitude", "0"),
			repairs: []string{"latitude"},
			check:   wantAnchored(lille),
		},
		{
			name:    "unreadable coordinates, commune by code",
			fields:  with(base, "latitude", "nord", "longitude", "3.06"),
			repairs: []string{"latitude"},
			check:   wantAnchored(lille),
		},
		{
			name:    "coordinates far from the declared commune",
			fields:  with(base, "latitude", "48.8566", "longitude", "2.3522"),
			repairs: []string{"latitude"},
			check:   wantAnchored(lille),
		},
		{
			name:    "coordinates just outside the declared commune",
			fields:  with(base, "latitude", "50.675", "longitude", "3.05"),
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Latitude != 50.675 || p.Longitude != 3.05 || p.CodeInsee != "59350" || p.Provenance.Precision != cartonum.PrecisionExact {
					t.Errorf("got (%v, %v) %s %s, want the coordinates kept in 59350", p.Latitude, p.Longitude, p.CodeInsee, p.Provenance.Precision)
				}
			},
		},
		{
			name:     "outside the region",
			fields:   with(base, "latitude", "48.8566", "longitude", "2.3522", "code_insee", "", "commune", "Paris", "code_postal", "75001"),
			rejected: "latitude",
		},
		{
			name:    "outside the region, kept on request",
			fields:  with(base, "latitude", "48.8566", "longitude", "2.3522", "code_insee", "75101", "commune", "Paris", "code_postal", "75001"),
			opts:    Options{Region: "32", KeepOutside: true},
			repairs: []string{"latitude"},
			check: func(t *testing.T, p *cartonum.Place) {
				if !p.Provenance.OutsideRegion || p.Latitude != 48.8566 || p.Longitude != 2.3522 || p.CodeInsee != "75101" || p.Commune != "Paris" || p.CodePostal != "75001" {
					t.Errorf("got outside=%v (%v, %v) %s %s %s, want kept in Paris", p.Provenance.OutsideRegion, p.Latitude, p.Longitude, p.CodeInsee, p.Commune, p.CodePostal)
				}
			},
		},
		{
			name:     "commune outside the region, no coordinates",
			fields:   with(base, "latitude", "", "longitude", "", "code_insee", "75101", "commune", "Paris", "code_postal", "75001"),
			opts:     Options{Region: "32", KeepOutside: true},
			rejected: "code_insee",
		},
		{
			name:     "unknown commune, no coordinates",
			fields:   with(base, "latitude", "", "longitude", "", "code_insee", "", "commune", "Atlantide", "code_postal", "99999"),
			rejected: "latitude",
		},
		{name: "id missing", fields: with(base, "id", "  "), rejected: "id"},
		{name: "id too long", fields: with(base, "id", strings.Repeat("x", 201)), rejected: "id"},
		{name: "nom missing", fields: with(base, "nom", ""), rejected: "nom"},
		{name: "adresse missing", fields: with(base, "adresse", "\t"), rejected: "adresse"},
		{name: "date_maj missing", fields: with(base, "date_maj", ""), rejected: "date_maj"},
		{name: "date_maj unreadable", fields: with(base, "date_maj", "hier"), rejected: "date_maj"},
		{
			name:     "code_postal invalid outside the region",
			fields:   with(base, "latitude", "48.8566", "longitude", "2.3522", "code_insee", "", "commune", "Paris", "code_postal", "Paris"),
			opts:     Options{KeepOutside: true},
			rejected: "code_postal",
		},
		{
			name:    "date_maj in French form",
			fields:  with(base, "date_maj", "01/03/2024"),
			repairs: []string{"date_maj"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.DateMaj != "2024-03-01" {
					t.Errorf("date_maj %q, want 2024-03-01", p.DateMaj)
				}
			},
		},
		{
			name:    "commune missing, from the code",
			fields:  with(base, "commune", ""),
			repairs: []string{"commune"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Commune != "Lille" {
					t.Errorf("commune %q, want Lille", p.Commune)
				}
			},
		},
		{
			name:    "code_postal missing, from the commune",
			fields:  with(base, "code_postal", ""),
			repairs: []string{"code_postal"},
			check:   wantField(func(p *cartonum.Place) string { return p.CodePostal }, "59000"),
		},
		{
			name:    "code_postal with a space",
			fields:  with(base, "code_postal", "59 000"),
			repairs: []string{"code_postal"},
			check:   wantField(func(p *cartonum.Place) string { return p.CodePostal }, "59000"),
		},
		{
			name:    "pivot empty",
			fields:  with(base, "pivot", ""),
			repairs: []string{"pivot"},
			check:   wantField(func(p *cartonum.Place) string { return p.Pivot }, "00000000000000"),
		},
		{
			name:    "pivot invalid",
			fields:  with(base, "pivot", "inconnu"),
			repairs: []string{"pivot"},
			check:   wantField(func(p *cartonum.Place) string { return p.Pivot }, "00000000000000"),
		},
		{
			name:    "pivot with spaces",
			fields:  with(base, "pivot", "215 903 501 00017"),
			repairs: []string{"pivot"},
			check:   wantField(func(p *cartonum.Place) string { return p.Pivot }, "21590350100017"),
		},
		{
			name:    "telephone in national form",
			fields:  with(base, "telephone", "03 20 15 57 00"),
			repairs: []string{"telephone"},
			check:   wantField(func(p *cartonum.Place) string { return p.Telephone }, "+33320155700"),
		},
		{
			name:    "two telephones",
			fields:  with(base, "telephone", "03 20 15 57 00 / 06 00 00 00 00"),
			repairs: []string{"telephone"},
			check:   wantField(func(p *cartonum.Place) string { return p.Telephone }, "+33320155700"),
		},
		{
			name:    "telephone invalid",
			fields:  with(base, "telephone", "12"),
			repairs: []string{"telephone"},
			check:   wantField(func(p *cartonum.Place) string { return p.Telephone }, ""),
		},
		{
			name:    "courriels with an invalid one",
			fields:  with(base, "courriels", "contact@mairie-lille.fr; accueil@"),
			repairs: []string{"courriels"},
			check:   wantList(func(p *cartonum.Place) []string { return p.Courriels }, "contact@mairie-lille.fr"),
		},
		{
			name:    "unknown enumeration value dropped",
			fields:  with(base, "services", "Cours de cuisine|Aide aux démarches administratives"),
			repairs: []string{"services"},
			check:   wantList(func(p *cartonum.Place) []string { return p.Services }, "Aide aux démarches administratives"),
		},
		{
			name:    "enumeration value differing by case and accents",
			fields:  with(base, "services", "aide aux demarches administratives", "modalites_acces", "SE PRESENTER|telephoner"),
			repairs: []string{"services", "modalites_acces"},
			check: func(t *testing.T, p *cartonum.Place) {
				wantList(func(p *cartonum.Place) []string { return p.Services }, "Aide aux démarches administratives")(t, p)
				wantList(func(p *cartonum.Place) []string { return p.ModalitesAcces }, "Se présenter", "Téléphoner")(t, p)
			},
		},
		{
			name:   "enumeration values put in the standard's order, once",
			fields: with(base, "services", "Loisirs et créations numériques|Aide aux démarches administratives|Loisirs et créations numériques", "frais_a_charge", "Payant|Gratuit"),
			check: func(t *testing.T, p *cartonum.Place) {
				wantList(func(p *cartonum.Place) []string { return p.Services }, "Aide aux démarches administratives", "Loisirs et créations numériques")(t, p)
				wantList(func(p *cartonum.Place) []string { return p.Frais }, "Gratuit", "Payant")(t, p)
			},
		},
		{
			name:   "v0.1 services mapped to v1",
			fields: with(base, "services", "Prendre en main un ordinateur;Accéder à une connexion internet;Prendre en main un smartphone ou une tablette;Accompagner les démarches de santé"),
			check: wantList(func(p *cartonum.Place) []string { return p.Services },
				"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien", "Accès internet et matériel informatique"),
		},
		{
			name:    "labels_nationaux",
			fields:  with(base, "labels_nationaux", "CNFS;France Services;APTIC;Point numérique CAF", "labels_autres", "Label et la bête"),
			repairs: []string{"labels_nationaux"},
			check: func(t *testing.T, p *cartonum.Place) {
				wantList(func(p *cartonum.Place) []string { return p.Dispositifs }, "Conseillers numériques", "France Services", "Point d'accès numérique CAF")(t, p)
				wantList(func(p *cartonum.Place) []string { return p.AutresFormationsLabels }, "APTIC", "Label et la bête")(t, p)
			},
		},
		{
			name:   "conditions_acces",
			fields: with(base, "conditions_acces", "Gratuit : Je peux accéder gratuitement au lieu et à ses services;Adhésion : L'accès au lieu et à ses services nécessite d'adhérer au lieu"),
			check:  wantList(func(p *cartonum.Place) []string { return p.Frais }, "Gratuit", "Payant"),
		},
		{
			name:    "conditions_acces without equivalent",
			fields:  with(base, "conditions_acces", "Gratuit : Je peux accéder gratuitement au lieu;Pass numérique : Je peux payer avec des pass numériques"),
			repairs: []string{"conditions_acces"},
			check:   wantList(func(p *cartonum.Place) []string { return p.Frais }, "Gratuit"),
		},
		{
			name:    "publics_accueillis",
			fields:  with(base, "publics_accueillis", "Seniors (+ 65 ans);Jeunes (16-26 ans);Surdité;Public anglophone;Personnes en situation d'illettrisme;Tout public"),
			repairs: []string{"publics_accueillis"},
			check: func(t *testing.T, p *cartonum.Place) {
				wantList(func(p *cartonum.Place) []string { return p.Publics }, "Jeunes", "Seniors")(t, p)
				wantList(func(p *cartonum.Place) []string { return p.PriseEnCharge }, "Surdité", "Illettrisme", "Langues étrangères (anglais)")(t, p)
			},
		},
		{
			name:   "v0.1 modalites_accompagnement",
			fields: with(base, "modalites_accompagnement", "Dans un atelier : J'apprends collectivement à utiliser les services numériques;Seul : j'ai accès à du matériel;Avec de l'aide : je suis accompagné"),
			check: wantList(func(p *cartonum.Place) []string { return p.ModalitesAccompagnement },
				"En autonomie", "Accompagnement individuel", "Dans un atelier collectif"),
		},
		{
			name:    "invalid horaires kept and flagged",
			fields:  with(base, "horaires", "lundi 9h-12h"),
			repairs: []string{"horaires"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Horaires != "lundi 9h-12h" || !p.Provenance.HorairesInvalid {
					t.Errorf("horaires %q invalid=%v, want kept and flagged", p.Horaires, p.Provenance.HorairesInvalid)
				}
			},
		},
		{
			name:    "unsupported horaires kept, not flagged",
			fields:  with(base, "horaires", "Jan-Mar Mo-Fr 09:00-12:00"),
			repairs: []string{"horaires"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Horaires != "Jan-Mar Mo-Fr 09:00-12:00" || p.Provenance.HorairesInvalid {
					t.Errorf("horaires %q invalid=%v, want kept, not flagged", p.Horaires, p.Provenance.HorairesInvalid)
				}
			},
		},
		{
			name:    "long presentation_resume truncated and moved",
			fields:  with(base, "presentation_resume", longResume),
			repairs: []string{"presentation_resume"},
			check: func(t *testing.T, p *cartonum.Place) {
				if n := utf8.RuneCountInString(p.PresentationResume); n > 280 {
					t.Errorf("resume has %d runes", n)
				}
				if p.PresentationDetail != strings.TrimSpace(longResume) {
					t.Errorf("detail %q, want the full resume", p.PresentationDetail)
				}
			},
		},
		{
			name:    "long presentation_resume truncated, detail kept",
			fields:  with(base, "presentation_resume", longResume, "presentation_detail", "Détail."),
			repairs: []string{"presentation_resume"},
			check: func(t *testing.T, p *cartonum.Place) {
				if n := utf8.RuneCountInString(p.PresentationResume); n > 280 || p.PresentationDetail != "Détail." {
					t.Errorf("resume of %d runes, detail %q", n, p.PresentationDetail)
				}
			},
		},
		{
			name:    "script in site_web dropped",
			fields:  with(base, "site_web", "javascript:alert(document.cookie)|www.lille.fr"),
			repairs: []string{"site_web"},
			check:   wantList(func(p *cartonum.Place) []string { return p.SiteWeb }, "https://www.lille.fr"),
		},
		{
			name:    "script in fiche_acces_libre and prise_rdv dropped",
			fields:  with(base, "fiche_acces_libre", "javascript:alert(1)", "prise_rdv", `data:text/html,<script>alert(1)</script>`),
			repairs: []string{"fiche_acces_libre", "prise_rdv"},
			check: func(t *testing.T, p *cartonum.Place) {
				if p.FicheAccesLibre != "" || p.PriseRdv != "" {
					t.Errorf("fiche %q rdv %q, want both dropped", p.FicheAccesLibre, p.PriseRdv)
				}
			},
		},
		{
			name:   "typologie upper-cased once",
			fields: with(base, "typologie", "bib|BIB|Tiers_Lieux"),
			check:  wantList(func(p *cartonum.Place) []string { return p.Typologie }, "BIB", "TIERS_LIEUX"),
		},
		{
			name:   "white space collapsed in single-line fields",
			fields: with(base, "nom", "  Médiathèque\n Jean   Lévy ", "adresse", "32 rue\tÉdouard Delesalle"),
			check: func(t *testing.T, p *cartonum.Place) {
				if p.Nom != "Médiathèque Jean Lévy" || p.Adresse != "32 rue Édouard Delesalle" {
					t.Errorf("nom %q adresse %q", p.Nom, p.Adresse)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if opts.Region == "" {
				opts.Region = "32"
			}
			p, rej := Normalize(Record{Line: 7, Fields: tc.fields}, newFakeTerritory(), opts)
			if tc.rejected != "" {
				if rej == nil {
					t.Fatalf("accepted, want a rejection on %q: %+v", tc.rejected, p)
				}
				if rej.Field != tc.rejected || rej.Reason == "" {
					t.Errorf("rejection %+v, want field %q with a reason", rej, tc.rejected)
				}
				return
			}
			if rej != nil {
				t.Fatalf("rejected: %+v", rej)
			}
			for _, f := range tc.repairs {
				hasRepair(t, &p, f)
			}
			for _, r := range p.Provenance.Repairs {
				if !slices.Contains(tc.repairs, r.Field) {
					t.Errorf("unexpected repair on %q: %s", r.Field, r.Message)
				}
			}
			if !slices.Equal(p.Provenance.SourceIDs, []string{p.ID}) {
				t.Errorf("source ids %q, want the place's id", p.Provenance.SourceIDs)
			}
			if tc.check != nil {
				tc.check(t, &p)
			}
		})
	}
}

func TestNormalizeProblem(t *testing.T) {
	_, rej := Normalize(Record{Line: 3, Fields: lilleFields(), Problem: "3 champs au lieu des 8 de l'en-tête"}, newFakeTerritory(), Options{})
	if rej == nil || rej.Reason != "3 champs au lieu des 8 de l'en-tête" {
		t.Fatalf("rejection %+v, want the record's problem", rej)
	}
}

func wantInsee(code string) func(*testing.T, *cartonum.Place) {
	return wantField(func(p *cartonum.Place) string { return p.CodeInsee }, code)
}

func wantField(get func(*cartonum.Place) string, want string) func(*testing.T, *cartonum.Place) {
	return func(t *testing.T, p *cartonum.Place) {
		t.Helper()
		if got := get(p); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func wantList(get func(*cartonum.Place) []string, want ...string) func(*testing.T, *cartonum.Place) {
	return func(t *testing.T, p *cartonum.Place) {
		t.Helper()
		if got := get(p); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

// wantAnchored checks that the place was put at the anchor of commune c.
func wantAnchored(c cartonum.Commune) func(*testing.T, *cartonum.Place) {
	return func(t *testing.T, p *cartonum.Place) {
		t.Helper()
		at := c.Geometry.Bound().Center()
		if p.CodeInsee != c.Code || p.Latitude != at[1] || p.Longitude != at[0] || p.Provenance.Precision != cartonum.PrecisionCommune {
			t.Errorf("got %s (%v, %v) precision %q, want %s at its anchor (%v, %v), precision commune",
				p.CodeInsee, p.Latitude, p.Longitude, p.Provenance.Precision, c.Code, at[1], at[0])
		}
	}
}

// TestNormalizeHomonyms: among communes of the same name, the postcode
// chooses; without a matching postcode the commune stays unknown.
func TestNormalizeHomonyms(t *testing.T) {
	terr := newFakeTerritory()
	terr.communes = append(terr.communes,
		&cartonum.Commune{Code: "59522", Nom: "Saint-Aubin", CodesPostaux: []string{"59440"}, Geometry: square(3.90, 50.20, 3.95, 50.25)},
		&cartonum.Commune{Code: "62744", Nom: "Saint-Aubin", CodesPostaux: []string{"62170"}, Geometry: square(1.65, 50.45, 1.70, 50.50)},
	)
	base := with(lilleFields(), "latitude", "", "longitude", "", "code_insee", "", "commune", "ST AUBIN")
	for _, tc := range []struct {
		name, cp, want string
	}{
		{name: "Nord", cp: "59440", want: "59522"},
		{name: "Pas-de-Calais", cp: "62170", want: "62744"},
		{name: "postcode of neither", cp: "80000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, rej := Normalize(Record{Line: 2, Fields: with(base, "commune", "Saint-Aubin", "code_postal", tc.cp)}, terr, Options{Region: "32"})
			if tc.want == "" {
				if rej == nil || rej.Field != "latitude" {
					t.Errorf("got %s, rejection %+v; want a rejection on latitude", p.CodeInsee, rej)
				}
				return
			}
			if rej != nil {
				t.Fatalf("rejected: %+v", rej)
			}
			if p.CodeInsee != tc.want || p.Provenance.Precision != cartonum.PrecisionCommune {
				t.Errorf("got %s precision %s, want %s at commune precision", p.CodeInsee, p.Provenance.Precision, tc.want)
			}
		})
	}
}
