package httpapi

import (
	"net/http"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
)

// vocabularies are the enumerations of the standard the API filters on,
// served by /api/config so that the web app does not copy them.
var vocabularies = []*cartonum.Vocabulary{
	cartonum.Services, cartonum.Publics, cartonum.PriseEnCharge, cartonum.Frais, cartonum.Itinerance,
	cartonum.Dispositifs, cartonum.FormationsLabels, cartonum.ModalitesAcces, cartonum.ModalitesAccompagnement,
}

// config answers what the server offers and the tables the web app reads
// instead of copying them: the vocabularies of the filters (by field of
// the standard), the bounds and defaults of the analysis parameters, and
// the indicator fields (analysis.Fields: JSON name, CSV column, tile
// attribute, French label, unit, decimals).
func (s *Server) config(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	snap := s.idx.Current()
	region := ""
	if cs := snap.Communes(); len(cs) > 0 {
		region = cs[0].CodeRegion
	}
	vocab := make(map[string][]string, len(vocabularies))
	for _, v := range vocabularies {
		vocab[v.Field] = v.Values
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"region": region, "data_version": snap.Version(), "geocoder": s.cfg.GeocoderURL != "",
		"vocabularies": vocab,
		"params":       map[string]any{"bounds": analysis.ParamBounds(), "defaults": analysis.DefaultParams()},
		"indicators":   analysis.Fields,
	})
	return nil
}
