package cartonum

import "time"

// PlaceFilter selects places. Within one field any listed value matches;
// all non-empty fields must match.
type PlaceFilter struct {
	Services                []string
	Dispositifs             []string
	Publics                 []string
	PriseEnCharge           []string
	Frais                   []string
	ModalitesAccompagnement []string
	ModalitesAcces          []string
	// Equipements and Qualifications filter on the extra columns beyond
	// the standard.
	Equipements    []string
	Qualifications []string
	Communes       []string
	EPCIs          []string
	Departements   []string
	// Text matches, accent- and case-insensitively, every word of it in the
	// place's name or commune.
	Text string
	// OpenAt, when not zero, keeps the places whose opening hours say they
	// are open at that instant (Europe/Paris wall clock, French public
	// holidays); places with missing or unreadable hours are left out.
	OpenAt time.Time
}
