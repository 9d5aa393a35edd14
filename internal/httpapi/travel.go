package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/cartonum/cartonum/analysis"
)

// travelFailure is the status and French message of a routing engine's
// failure: 503 when the engine cannot be reached or answers too slowly,
// 502 when it answers wrongly. Either way the request has no figures:
// crow-fly ones never stand in for road times.
func travelFailure(err error) (status int, msg string, ok bool) {
	var te *analysis.TravelError
	if !errors.As(err, &te) {
		return 0, "", false
	}
	if te.Unavailable() {
		return http.StatusServiceUnavailable, fmt.Sprintf("temps de trajet par la route indisponibles : le calculateur d'itinéraires (%s) ne répond pas (%v) ; réessayez dans quelques minutes", te.Model, te.Err), true
	}
	return http.StatusBadGateway, fmt.Sprintf("temps de trajet par la route indisponibles : le calculateur d'itinéraires (%s) a répondu par une erreur (%v)", te.Model, te.Err), true
}
