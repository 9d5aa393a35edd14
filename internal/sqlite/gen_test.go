package sqlite

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/paulmach/orb"
)

// testPlace returns a place with every field set, accents and other
// non-ASCII text included.
func testPlace(id string) cartonum.Place {
	return cartonum.Place{
		ID:                      id,
		Pivot:                   "21320107300015",
		Nom:                     "Médiathèque « Émile-Zola » — l'Œuf",
		Commune:                 "Auch",
		CodePostal:              "32000",
		CodeInsee:               "32013",
		Adresse:                 "12 rue de l'Égalité",
		ComplementAdresse:       "Bâtiment B, 2ᵉ étage",
		Latitude:                43.64638,
		Longitude:               0.58557,
		Typologie:               []string{"BIB", "TIERS_LIEUX"},
		Telephone:               "+33562000000",
		Courriels:               []string{"contact@mediatheque-auch.fr", "numérique@auch.fr"},
		SiteWeb:                 []string{"https://mediatheque.auch.fr", "https://example.org/a?b=c&d=é"},
		Horaires:                "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00",
		PresentationResume:      "Ateliers numériques pour tous 📚",
		PresentationDetail:      "Ligne 1\nLigne 2\t« guillemets » \"doubles\" et \\ barre\u0001",
		Source:                  "Hub Occitanie",
		Itinerance:              []string{"Fixe"},
		StructureParente:        "Ville d'Auch",
		DateMaj:                 "2024-05-17",
		Services:                []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		Publics:                 []string{"Seniors", "Familles et/ou enfants"},
		PriseEnCharge:           []string{"Surdité", "Langues étrangères (anglais)"},
		Frais:                   []string{"Gratuit"},
		Dispositifs:             []string{"Conseillers numériques", "France Services"},
		FormationsLabels:        []string{"Formé à « Mon Espace Santé »"},
		AutresFormationsLabels:  []string{"漢字のラベル", "label, avec virgule", "[crochets]"},
		ModalitesAcces:          []string{"Se présenter", "Téléphoner"},
		ModalitesAccompagnement: []string{"Accompagnement individuel", "À distance"},
		FicheAccesLibre:         "https://acceslibre.beta.gouv.fr/app/32-auch/a/bibliotheque/erp/x/",
		PriseRdv:                "https://rdv.example.fr/",
		Equipements:             []string{"Imprimante", "Wifi « libre »"},
		Qualifications:          []string{"Pass numérique"},
		Provenance: cartonum.Provenance{
			SourceIDs:       []string{id, id + "-dora", id + "-cartographie"},
			Sources:         []string{"Hub Occitanie", "dora"},
			Precision:       cartonum.PrecisionExact,
			OutsideRegion:   true,
			HorairesInvalid: true,
			Repairs: []cartonum.Repair{
				{Field: "telephone", Message: "05 62 00 00 00 → +33562000000", Record: "hub-occitanie:42"},
				{Field: "services", Message: "« aide démarches » reconnu"},
			},
		},
	}
}

// testCommune returns a commune with a small square contour.
func testCommune(code string) cartonum.Commune {
	return cartonum.Commune{
		Code:            code,
		Nom:             "Commune " + code,
		CodeDepartement: code[:2],
		CodeRegion:      "76",
		CodeEpci:        "243200599",
		CodesPostaux:    []string{"32000"},
		Population:      22000,
		Geometry: orb.MultiPolygon{{{
			{0.5, 43.6}, {0.7, 43.6}, {0.7, 43.7}, {0.5, 43.7}, {0.5, 43.6},
		}}},
	}
}

// genPlaces returns n varied places, the same ones for the same seed.
func genPlaces(n int, seed uint64) []cartonum.Place {
	r := rand.New(rand.NewPCG(seed, 42))
	pick := func(v *cartonum.Vocabulary, most int) []string {
		k := r.IntN(most + 1)
		if k == 0 {
			return nil
		}
		out := make([]string, 0, k)
		for _, i := range r.Perm(len(v.Values))[:min(k, len(v.Values))] {
			out = append(out, v.Values[i])
		}
		return out
	}
	places := make([]cartonum.Place, n)
	for i := range places {
		id := fmt.Sprintf("lieu-%06d", i)
		insee := fmt.Sprintf("%05d", 1000+r.IntN(3782))
		p := cartonum.Place{
			ID:                      id,
			Pivot:                   fmt.Sprintf("%014d", r.Int64N(1e14)),
			Nom:                     fmt.Sprintf("Espace numérique n°%d", i),
			Commune:                 "Commune " + insee,
			CodePostal:              insee,
			CodeInsee:               insee,
			Adresse:                 fmt.Sprintf("%d avenue de la République", 1+r.IntN(200)),
			Latitude:                42 + 3*r.Float64(),
			Longitude:               -1 + 5*r.Float64(),
			Typologie:               []string{"MUNI"},
			Telephone:               fmt.Sprintf("+3356%07d", r.IntN(1e7)),
			Courriels:               []string{fmt.Sprintf("contact%d@example.fr", i)},
			Horaires:                "Mo-Fr 09:00-12:00,14:00-17:30",
			PresentationResume:      "Accompagnement au numérique pour tous les publics.",
			Source:                  "Hub régional",
			Itinerance:              pick(cartonum.Itinerance, 1),
			DateMaj:                 "2024-03-01",
			Services:                pick(cartonum.Services, 4),
			Publics:                 pick(cartonum.Publics, 2),
			Frais:                   pick(cartonum.Frais, 1),
			Dispositifs:             pick(cartonum.Dispositifs, 2),
			ModalitesAcces:          pick(cartonum.ModalitesAcces, 2),
			ModalitesAccompagnement: pick(cartonum.ModalitesAccompagnement, 2),
			Provenance: cartonum.Provenance{
				SourceIDs: []string{id},
				Sources:   []string{"Hub régional"},
				Precision: cartonum.PrecisionExact,
			},
		}
		if i%5 == 0 {
			p.Provenance.SourceIDs = append(p.Provenance.SourceIDs, id+"-bis")
			p.Provenance.Sources = append(p.Provenance.Sources, "dora")
			p.PresentationDetail = "Un texte plus long décrivant le lieu, ses ateliers et ses horaires d'ouverture."
		}
		if i%10 == 0 {
			p.Provenance.Repairs = []cartonum.Repair{{Field: "telephone", Message: "numéro normalisé"}}
		}
		places[i] = p
	}
	return places
}

// genCommunes returns n communes with about vertices points in all: most
// are one ring, every 10th has a hole and every 15th two polygons.
func genCommunes(n, vertices int) []cartonum.Commune {
	per := max(8, vertices/n)
	ring := func(cx, cy, radius float64, k int) orb.Ring {
		r := make(orb.Ring, k+1)
		for j := range k {
			a := 2 * math.Pi * float64(j) / float64(k)
			rr := radius * (1 + 0.2*math.Sin(5*a))
			r[j] = orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)}
		}
		r[k] = r[0]
		return r
	}
	communes := make([]cartonum.Commune, n)
	for i := range communes {
		code := fmt.Sprintf("%05d", 1000+i)
		cx, cy := -1+float64(i%60)*0.08, 42+float64(i/60)*0.05
		var mp orb.MultiPolygon
		switch {
		case i%15 == 0:
			mp = orb.MultiPolygon{
				{ring(cx, cy, 0.02, per/2)},
				{ring(cx+0.03, cy, 0.005, per-per/2)},
			}
		case i%10 == 0:
			mp = orb.MultiPolygon{{ring(cx, cy, 0.02, per*3/4), ring(cx, cy, 0.005, per-per*3/4)}}
		default:
			mp = orb.MultiPolygon{{ring(cx, cy, 0.02, per)}}
		}
		communes[i] = cartonum.Commune{
			Code:            code,
			Nom:             "Commune " + code,
			CodeDepartement: code[:2],
			CodeRegion:      "76",
			CodeEpci:        fmt.Sprintf("2400%05d", i/20),
			CodesPostaux:    []string{code},
			Population:      100 + i*7,
			Geometry:        mp,
		}
	}
	return communes
}
