package standard

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Columns are the columns of schema v1.0.2, in the standard's order.
var Columns = []string{
	"id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse",
	"complement_adresse", "latitude", "longitude", "typologie", "telephone", "courriels",
	"site_web", "horaires", "presentation_resume", "presentation_detail", "source",
	"itinerance", "structure_parente", "date_maj", "services",
	"publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
	"dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
	"modalites_acces", "modalites_accompagnement", "fiche_acces_libre", "prise_rdv",
}

// ExportColumns are the columns of Cartonum's CSV export: the standard's,
// then the extra columns (cartonum.ExtraColumns). A reader of the standard
// ignores the extras; Read reads them back.
var ExportColumns = append(append([]string(nil), Columns...), cartonum.ExtraColumns...)

// Row returns p as the values of a v1.0.2 CSV row, in Columns order.
func Row(p *cartonum.Place) []string {
	list := func(v []string) string { return strings.Join(v, "|") }
	coord := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	return []string{
		p.ID, p.Pivot, p.Nom, p.Commune, p.CodePostal, p.CodeInsee, p.Adresse,
		p.ComplementAdresse, coord(p.Latitude), coord(p.Longitude), list(p.Typologie),
		p.Telephone, list(p.Courriels), list(p.SiteWeb), p.Horaires, p.PresentationResume,
		p.PresentationDetail, p.Source, list(p.Itinerance), p.StructureParente, p.DateMaj,
		list(p.Services), list(p.Publics), list(p.PriseEnCharge), list(p.Frais),
		list(p.Dispositifs), list(p.FormationsLabels), list(p.AutresFormationsLabels),
		list(p.ModalitesAcces), list(p.ModalitesAccompagnement), p.FicheAccesLibre, p.PriseRdv,
	}
}

// ExportRow returns p as the values of an export row, in ExportColumns
// order: Row, then the extra columns.
func ExportRow(p *cartonum.Place) []string {
	return append(Row(p), strings.Join(p.Equipements, "|"), strings.Join(p.Qualifications, "|"))
}

// CSVWriter writes places as a v1.0.2 CSV file (UTF-8, comma, header row,
// "|" between list values) with the extra columns after the standard's
// (ExportColumns), the format importing reads back unchanged.
type CSVWriter struct {
	w      *csv.Writer
	header bool
}

// NewCSVWriter returns a writer of standard CSV to w.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{w: csv.NewWriter(w)} }

// Write writes one place, after the header on the first call.
func (cw *CSVWriter) Write(p *cartonum.Place) error {
	if !cw.header {
		cw.header = true
		if err := cw.w.Write(ExportColumns); err != nil {
			return err
		}
	}
	return cw.w.Write(ExportRow(p))
}

// Flush writes the header if nothing was written, and flushes.
func (cw *CSVWriter) Flush() error {
	if !cw.header {
		cw.header = true
		if err := cw.w.Write(ExportColumns); err != nil {
			return err
		}
	}
	cw.w.Flush()
	return cw.w.Error()
}
