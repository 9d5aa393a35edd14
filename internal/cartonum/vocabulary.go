package cartonum

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vocabulary is an enumeration of the standard: the exact values a
// multi-valued field may hold, in the order of the standard.
type Vocabulary struct {
	Field  string
	Values []string
	byKey  map[string]string
}

func newVocabulary(field string, values ...string) *Vocabulary {
	v := &Vocabulary{Field: field, Values: values, byKey: make(map[string]string, len(values))}
	for _, s := range values {
		v.byKey[Key(s)] = s
	}
	return v
}

// Canonical returns the exact standard spelling of s, matching regardless of
// case, accents, spacing and punctuation, and whether s is a known value.
func (v *Vocabulary) Canonical(s string) (string, bool) {
	c, ok := v.byKey[Key(s)]
	return c, ok
}

// The enumerations of schema v1.0.2, spelled as in its Table Schema.
var (
	Services = newVocabulary("services",
		"Aide aux démarches administratives",
		"Maîtrise des outils numériques du quotidien",
		"Insertion professionnelle via le numérique",
		"Utilisation sécurisée du numérique",
		"Parentalité et éducation avec le numérique",
		"Loisirs et créations numériques",
		"Compréhension du monde numérique",
		"Accès internet et matériel informatique",
		"Acquisition de matériel informatique à prix solidaire")
	Publics = newVocabulary("publics_specifiquement_adresses",
		"Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
	PriseEnCharge = newVocabulary("prise_en_charge_specifique",
		"Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme",
		"Langues étrangères (anglais)", "Langues étrangères (autres)", "Déficience visuelle")
	Frais       = newVocabulary("frais_a_charge", "Gratuit", "Gratuit sous condition", "Payant")
	Itinerance  = newVocabulary("itinerance", "Itinérant", "Fixe")
	Dispositifs = newVocabulary("dispositif_programmes_nationaux",
		"Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX",
		"Conseillers numériques", "Emmaüs Connect", "France Services",
		"Grande école du numérique", "La Croix Rouge", "Point d'accès numérique CAF",
		"Promeneurs du net", "Relais numérique (Emmaüs Connect)")
	FormationsLabels = newVocabulary("formations_labels",
		"Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)",
		"Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
		"Collectif ressources et acteurs réemploi (Normandie)",
		"Étapes numériques(La Poste)", "Fabriques de Territoire",
		"Les Éclaireurs du numérique (Drôme)", "Mes Papiers (Métropole de Lyon)",
		"ORDI 3.0", "SUD LABS (PACA)")
	ModalitesAcces = newVocabulary("modalites_acces",
		"Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
		"Ce lieu n'accueille pas de public", "Envoyer un mail avec une fiche de prescription")
	ModalitesAccompagnement = newVocabulary("modalites_accompagnement",
		"En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance")
)

// The extra columns beyond the standard, as the regional map recorded them.
var (
	Equipements = newVocabulary("equipements",
		"Ordinateurs en libre accès", "Imprimante", "Scanner", "Tablette", "Wifi",
		"Poste de visioconférence")
	Qualifications = newVocabulary("qualifications",
		"Pass numérique (APTIC)", "PictoAccess")
)

// ExtraColumns are the columns Cartonum adds after the standard's in its
// CSV export and reads back on import.
var ExtraColumns = []string{"equipements", "qualifications"}

// Fold lowercases s and removes its accents, for accent- and
// case-insensitive comparisons ("Saint-Quentin" and "SAINT QUENTIN" differ
// only in punctuation after folding).
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		case '’', '‘', 'ʼ':
			r = '\''
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Key folds s and keeps only its letters and digits: the matching key of
// enumeration values and names.
func Key(s string) string {
	f := Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// guaranteedServices are the services a dispositif guarantees whatever its
// places declare: the France Services label requires help with online
// administrative procedures.
var guaranteedServices = map[string][]string{
	"France Services": {"Aide aux démarches administratives"},
}

// OfferedServices returns the services a place offers for search, filters
// and analysis: its own values plus those its dispositifs guarantee (a
// France Services place helps with administrative procedures even when its
// source omits it). The record and the standard export keep the source's
// values.
func (p *Place) OfferedServices() []string {
	out := p.Services
	copied := false
	for _, d := range p.Dispositifs {
		for _, s := range guaranteedServices[d] {
			found := false
			for _, x := range out {
				found = found || x == s
			}
			if found {
				continue
			}
			if !copied {
				out = append([]string(nil), out...)
				copied = true
			}
			out = append(out, s)
		}
	}
	return out
}
