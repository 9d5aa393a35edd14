package standard

import (
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// legacyServices maps the 15 services of schema v0.1 to the 9 of v1.0.2
// (the standard's official mapping), by matching key.
var legacyServices = keyed(map[string]string{
	"Devenir autonome dans les démarches administratives":            "Aide aux démarches administratives",
	"Réaliser des démarches administratives avec un accompagnement":  "Aide aux démarches administratives",
	"Accompagner les démarches de santé":                             "Aide aux démarches administratives",
	"Prendre en main un smartphone ou une tablette":                  "Maîtrise des outils numériques du quotidien",
	"Prendre en main un ordinateur":                                  "Maîtrise des outils numériques du quotidien",
	"Utiliser le numérique au quotidien":                             "Maîtrise des outils numériques du quotidien",
	"Approfondir ma culture numérique":                               "Compréhension du monde numérique",
	"Promouvoir la citoyenneté numérique":                            "Compréhension du monde numérique",
	"Favoriser mon insertion professionnelle":                        "Insertion professionnelle via le numérique",
	"Créer et développer mon entreprise":                             "Insertion professionnelle via le numérique",
	"Accéder à une connexion internet":                               "Accès internet et matériel informatique",
	"Accéder à du matériel":                                          "Accès internet et matériel informatique",
	"S'équiper en matériel informatique":                             "Acquisition de matériel informatique à prix solidaire",
	"Créer avec le numérique":                                        "Loisirs et créations numériques",
	"Soutenir la parentalité et l'éducation avec le numérique":       "Parentalité et éducation avec le numérique",
	"Sécuriser ses usages du numérique":                              "Utilisation sécurisée du numérique",
	"Accompagner les démarches administratives":                      "Aide aux démarches administratives",
	"Comprehension du monde numerique":                               "Compréhension du monde numérique",
	"Acceder a une connexion internet et a du materiel informatique": "Accès internet et matériel informatique",
})

// legacyLabels maps v0.1 national labels to v1.0.2 dispositifs.
var legacyLabels = keyed(map[string]string{
	"CNFS":                                  "Conseillers numériques",
	"Conseiller numérique":                  "Conseillers numériques",
	"Conseiller numérique France Services":  "Conseillers numériques",
	"Point numérique CAF":                   "Point d'accès numérique CAF",
	"Point d'accès numérique CAF":           "Point d'accès numérique CAF",
	"PIX":                                   "Certification PIX",
	"Grande École du Numérique":             "Grande école du numérique",
	"Bibliothèques numériques de référence": "Bibliothèques numérique de référence",
	"Croix Rouge":                           "La Croix Rouge",
	"Croix-Rouge":                           "La Croix Rouge",
	"Relais numérique":                      "Relais numérique (Emmaüs Connect)",
	"Promeneurs du Net":                     "Promeneurs du net",
	"Emmaüs Connect":                        "Emmaüs Connect",
})

// legacyPublics maps v0.1 publics_accueillis to publics (P) or prise en
// charge spécifique (C), by the key of the text before " : ".
var legacyPublics = keyed(map[string]string{
	"Jeunes (16-26 ans)":                   "P:Jeunes",
	"Jeunes":                               "P:Jeunes",
	"Étudiants":                            "P:Étudiants",
	"Familles/enfants":                     "P:Familles et/ou enfants",
	"Familles":                             "P:Familles et/ou enfants",
	"Seniors (+ 65 ans)":                   "P:Seniors",
	"Seniors":                              "P:Seniors",
	"Femmes":                               "P:Femmes",
	"Surdité":                              "C:Surdité",
	"Handicaps moteurs":                    "C:Handicaps moteurs",
	"Handicaps mentaux":                    "C:Handicaps mentaux",
	"Personnes en situation d'illettrisme": "C:Illettrisme",
	"Illettrisme":                          "C:Illettrisme",
	"Public langues étrangères":            "C:Langues étrangères (autres)",
	"Public anglophone":                    "C:Langues étrangères (anglais)",
	"Déficience visuelle":                  "C:Déficience visuelle",
})

// legacyAccompagnement maps v0.1 modalites_accompagnement (text before
// " : ") to v1.0.2 values.
var legacyAccompagnement = keyed(map[string]string{
	"Seul":            "En autonomie",
	"Avec de l'aide":  "Accompagnement individuel",
	"A ma place":      "Accompagnement individuel",
	"À ma place":      "Accompagnement individuel",
	"Dans un atelier": "Dans un atelier collectif",
	"À distance":      "À distance",
})

// legacyFrais maps v0.1 conditions_acces (text before " : ") to frais.
var legacyFrais = keyed(map[string]string{
	"Gratuit":                "Gratuit",
	"Gratuit sous condition": "Gratuit sous condition",
	"Payant":                 "Payant",
	"Adhésion":               "Payant",
})

// equipementSpellings map the usual other spellings of the equipment in
// the regional map's files to the values of cartonum.Equipements.
var equipementSpellings = keyed(map[string]string{
	"Ordinateur":                "Ordinateurs en libre accès",
	"Ordinateurs":               "Ordinateurs en libre accès",
	"Ordinateur en libre accès": "Ordinateurs en libre accès",
	"Postes informatiques":      "Ordinateurs en libre accès",
	"Imprimantes":               "Imprimante",
	"Scanners":                  "Scanner",
	"Tablettes":                 "Tablette",
	"Accès wifi":                "Wifi",
	"Wifi gratuit":              "Wifi",
	"Visioconférence":           "Poste de visioconférence",
	"Postes de visioconférence": "Poste de visioconférence",
})

// qualificationSpellings map the usual other spellings of the
// qualifications to the values of cartonum.Qualifications.
var qualificationSpellings = keyed(map[string]string{
	"Pass numérique":       "Pass numérique (APTIC)",
	"Pass numériques":      "Pass numérique (APTIC)",
	"APTIC":                "Pass numérique (APTIC)",
	"Chèques APTIC":        "Pass numérique (APTIC)",
	"Pass numérique APTIC": "Pass numérique (APTIC)",
	"Picto Access":         "PictoAccess",
})

func keyed(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[cartonum.Key(k)] = v
	}
	return out
}

// head returns the text before " : " in a v0.1 value such as
// "Gratuit : Je peux accéder gratuitement au lieu".
func head(v string) string {
	if i := strings.Index(v, ":"); i > 0 {
		return strings.TrimSpace(v[:i])
	}
	return v
}
