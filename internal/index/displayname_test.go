package index

import "testing"

// TestDisplayName is table-tested on names of ../shared/data/lieux-32-v1.csv.
func TestDisplayName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"COMMUNE DE MONS EN BAROEUL", "Commune de Mons en Baroeul"},
		{"CCAS", "CCAS"},
		{"CENTRE SOCIAL ET CULTUREL DE SAINT OMER", "Centre Social et Culturel de Saint Omer"},
		{"Commune d'HAZEBROUCK", "Commune d'Hazebrouck"},
		{"COMMUNE D'AMIENS", "Commune d'Amiens"},
		{"ASSOCIATION INTERM'AIDE", "Association Interm'aide"},
		{"EPN MAËS", "EPN Maës"},
		{"COMMUNAUTE D'AGGLOMERATION DE LESN LIEVIN", "Communauté d'Agglomération de Lesn Lievin"},
		{"MAIRIE NOYELLES-SUR-ESCAUT", "Mairie Noyelles-sur-Escaut"},
		{"ABEJ MAISON RELAIS Le Chemin", "ABEJ Maison Relais Le Chemin"},
		{"CC PEVELE-CAREMBAULT", "CC Pevele-Carembault"},
		{"CENTRE COMMUNAL D ACTION SOCIALE", "Centre Communal d'Action Sociale"},
		{"Commune de FLAVY-LE-MARTEL", "Commune de Flavy-le-Martel"},
		{"COMMUNAUTE COMMUNES REGION D AUDRUICQ", "Communauté Communes Région d'Audruicq"},
		{"L'ECUME DU JOUR", "L'Écume du Jour"},
		{"CENTRE SOCIAL INTERCOMMUNAL DE L'EST DE LA SOMME", "Centre Social Intercommunal de l'Est de la Somme"},
		{"DEPARTEMENT DE L AISNE", "Département de l'Aisne"},
		{"YOANN VOREAUX CNFS EMMAUS CONNECT", "Yoann Voreaux CNFS Emmaus Connect"},
		{"Centre des Arts Plastiques_le quARTier_ FabLAB", "Centre des Arts Plastiques le quARTier FabLAB"},
		{"ADOMA_RS", "Adoma RS"},
		{"APREMIS_PF_Lemerchier", "Apremis PF Lemerchier"},
		{"MJC DU 1ER ARRONDISSEMENT", "MJC du 1er Arrondissement"},
		{"MAISON FRANCE SERVICES II", "Maison France Services II"},
		{"Espace public numérique de Lens", "Espace public numérique de Lens"},
		{"Point info CIDFF", "Point info CIDFF"},
		{"LA POSTE", "La Poste"},
		{"Mairie d' Amiens", "Mairie d'Amiens"},
		{"A G F P A S C", "A G F P A S C"},
		{"COMMUNE DE LE CATEAU", "Commune de Le Cateau"},
		{"SIVOM DE LA REGION D'ARLEUX", "SIVOM de la Région d'Arleux"},
		{"COMMUNE D HAUTMONT", "Commune d'Hautmont"},
		{"  ", ""},
	} {
		if got := DisplayName(c.in); got != c.want {
			t.Errorf("DisplayName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
