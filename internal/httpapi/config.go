package httpapi

import (
	"net/http"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/generation"
)

// vocabularies are the enumerations of the standard the API filters on,
// and those of the extra columns, served by /api/config so that the web
// app does not copy them.
var vocabularies = []*cartonum.Vocabulary{
	cartonum.Services, cartonum.Publics, cartonum.PriseEnCharge, cartonum.Frais, cartonum.Itinerance,
	cartonum.Dispositifs, cartonum.FormationsLabels, cartonum.ModalitesAcces, cartonum.ModalitesAccompagnement,
	cartonum.Equipements, cartonum.Qualifications,
}

// vocabularyLabels are the French names of the vocabularies, by field, as
// a sheet or a filter titles them.
var vocabularyLabels = map[string]string{
	"services":                        "Services",
	"publics_specifiquement_adresses": "Publics spécifiquement adressés",
	"prise_en_charge_specifique":      "Prise en charge spécifique",
	"frais_a_charge":                  "Frais à charge",
	"itinerance":                      "Itinérance",
	"dispositif_programmes_nationaux": "Dispositifs et programmes nationaux",
	"formations_labels":               "Formations et labels",
	"modalites_acces":                 "Modalités d'accès",
	"modalites_accompagnement":        "Modalités d'accompagnement",
	"equipements":                     "Équipements",
	"qualifications":                  "Qualifications",
}

// config answers what the server offers and the tables the web app reads
// instead of copying them: the loaded regions and the top level of the
// dashboard, the vocabularies of the filters (by field of
// the standard or extra column) and their French names, the bounds and defaults of the analysis parameters, and
// the indicator fields (analysis.Fields: JSON name, CSV column, tile
// attribute, French label, unit, decimals).
func (s *Server) config(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	gen := s.idx.Load()
	snap := gen.Snapshot()
	// top is the dashboard's top level: the region, or the national total
	// when several regions are loaded; region stays the first region's code.
	top := gen.Top()
	regions := gen.Regions()
	region := ""
	if len(regions) > 0 {
		region = regions[0].Code
	}
	if regions == nil {
		regions = []generation.Region{}
	}
	vocab := make(map[string][]string, len(vocabularies))
	for _, v := range vocabularies {
		vocab[v.Field] = v.Values
	}
	body := map[string]any{
		"region": region, "regions": regions, "top": top,
		"data_version": snap.Version(), "geocoder": s.cfg.GeocoderURL != "",
		"vocabularies": vocab, "vocabulary_labels": vocabularyLabels,
		"params":     map[string]any{"bounds": analysis.ParamBounds(), "defaults": analysis.DefaultParams()},
		"indicators": analysis.Fields,
		// directions_url is the template of the "Itinéraire" links on
		// desktops ({lat}, {lon}, {nom}); phones get a geo: URI.
		"directions_url": s.directionsURL(),
	}
	// pmtiles_url, when the pages' handler is configured with a PMTiles
	// archive (serve --pmtiles-url), is where the web map reads the
	// territories' tiles (departements, epci, communes, libelles) instead
	// of /tiles; the places keep coming from /tiles/sites.
	if p, ok := s.pages.(pmtilesSource); ok && p.PMTilesURL() != "" {
		body["pmtiles_url"] = p.PMTilesURL()
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// pmtilesSource is a pages handler that knows a PMTiles archive
// (internal/webui's).
type pmtilesSource interface{ PMTilesURL() string }

// DefaultDirectionsURL is the directions service of the "Itinéraire"
// links when none is configured: OpenStreetMap's, to the place.
const DefaultDirectionsURL = "https://www.openstreetmap.org/directions?to={lat},{lon}"

func (s *Server) directionsURL() string {
	if s.cfg.DirectionsURL != "" {
		return s.cfg.DirectionsURL
	}
	return DefaultDirectionsURL
}
