// Package cartonum holds the domain types shared by every part of Cartonum:
// places in the national standard of digital-inclusion places (schema
// v1.0.2), the territories they belong to, the import report, and the small
// set of error kinds that the HTTP layer maps to statuses.
package cartonum

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Place is a digital-inclusion place ("lieu de médiation numérique") in the
// v1.0.2 model of the national standard, plus its provenance.
type Place struct {
	ID                      string   `json:"id"`
	Pivot                   string   `json:"pivot"`
	Nom                     string   `json:"nom"`
	Commune                 string   `json:"commune"`
	CodePostal              string   `json:"code_postal"`
	CodeInsee               string   `json:"code_insee,omitempty"`
	Adresse                 string   `json:"adresse"`
	ComplementAdresse       string   `json:"complement_adresse,omitempty"`
	Latitude                float64  `json:"latitude"`
	Longitude               float64  `json:"longitude"`
	Typologie               []string `json:"typologie,omitempty"`
	Telephone               string   `json:"telephone,omitempty"`
	Courriels               []string `json:"courriels,omitempty"`
	SiteWeb                 []string `json:"site_web,omitempty"`
	Horaires                string   `json:"horaires,omitempty"`
	PresentationResume      string   `json:"presentation_resume,omitempty"`
	PresentationDetail      string   `json:"presentation_detail,omitempty"`
	Source                  string   `json:"source,omitempty"`
	Itinerance              []string `json:"itinerance,omitempty"`
	StructureParente        string   `json:"structure_parente,omitempty"`
	DateMaj                 string   `json:"date_maj"`
	Services                []string `json:"services,omitempty"`
	Publics                 []string `json:"publics_specifiquement_adresses,omitempty"`
	PriseEnCharge           []string `json:"prise_en_charge_specifique,omitempty"`
	Frais                   []string `json:"frais_a_charge,omitempty"`
	Dispositifs             []string `json:"dispositif_programmes_nationaux,omitempty"`
	FormationsLabels        []string `json:"formations_labels,omitempty"`
	AutresFormationsLabels  []string `json:"autres_formations_labels,omitempty"`
	ModalitesAcces          []string `json:"modalites_acces,omitempty"`
	ModalitesAccompagnement []string `json:"modalites_accompagnement,omitempty"`
	FicheAccesLibre         string   `json:"fiche_acces_libre,omitempty"`
	PriseRdv                string   `json:"prise_rdv,omitempty"`

	// Equipements and Qualifications are beyond the standard (the
	// regional map's extra columns, exported after the standard's): the
	// equipment open to the public and the qualifications the place holds.
	Equipements    []string `json:"equipements,omitempty"`
	Qualifications []string `json:"qualifications,omitempty"`

	Provenance Provenance `json:"provenance"`
}

// Precision says how a place's coordinates were obtained.
type Precision string

// Coordinate precisions.
const (
	PrecisionExact   Precision = "exact"   // coordinates from the source (possibly repaired)
	PrecisionCommune Precision = "commune" // no usable coordinates: placed at its commune
)

// Provenance records where a place comes from and what was done to it.
type Provenance struct {
	// SourceIDs are the ids of every input record merged into this place,
	// the place's own id first.
	SourceIDs []string `json:"source_ids"`
	// Sources are the distinct `source` values of the merged records.
	Sources   []string  `json:"sources,omitempty"`
	Precision Precision `json:"precision"`
	// OutsideRegion is set when the place lies outside the region's
	// communes and was kept on explicit request.
	OutsideRegion bool `json:"outside_region,omitempty"`
	// HorairesInvalid is set when `horaires` is not valid opening_hours.
	HorairesInvalid bool `json:"horaires_invalid,omitempty"`
	// Repairs lists what the import changed or flagged, per field.
	Repairs []Repair `json:"repairs,omitempty"`
	// BatchID is the import that last changed the place.
	BatchID int64 `json:"batch_id,omitempty"`
}

// Repair is one change or warning the import recorded on a field.
type Repair struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Record is the id of the input record the repair was made on.
	Record string `json:"record,omitempty"`
}

// Commune is a French commune with its contour and legal population.
type Commune struct {
	Code            string   `json:"code"`
	Nom             string   `json:"nom"`
	CodeDepartement string   `json:"codeDepartement"`
	CodeRegion      string   `json:"codeRegion"`
	CodeEpci        string   `json:"codeEpci,omitempty"`
	CodesPostaux    []string `json:"codesPostaux"`
	Population      int      `json:"population"`
	// Geometry is the contour, WGS84, as a MultiPolygon.
	Geometry orb.MultiPolygon `json:"-"`
	// Fragility is the commune's digital-fragility score (cartonum
	// import-fragility), 0 when unknown.
	Fragility float64 `json:"-"`
}

// EPCI is an intercommunal body (établissement public de coopération
// intercommunale) with its member communes.
type EPCI struct {
	Code       string   `json:"code"`
	Nom        string   `json:"nom"`
	Type       string   `json:"type"`
	Population int      `json:"population"`
	Membres    []string `json:"membres"`
}

// Departement is a French département with its contour.
type Departement struct {
	Code     string           `json:"code"`
	Nom      string           `json:"nom"`
	Geometry orb.MultiPolygon `json:"-"`
}

// ErrorKind classifies errors so that callers, and the HTTP layer, can react
// to them without reading messages.
type ErrorKind int

// Error kinds.
const (
	KindInternal ErrorKind = iota
	KindInvalid
	KindNotFound
	KindConflict
)

// Error is an error with a kind and a message meant for users.
type Error struct {
	Kind    ErrorKind
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind.
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err, KindInternal when it carries none.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
