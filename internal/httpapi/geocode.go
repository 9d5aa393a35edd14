package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cartonum/cartonum/internal/ban"
)

// geocodeResult is one address found by the configured geocoder.
type geocodeResult struct {
	Label     string     `json:"label"`
	Type      string     `json:"type"`
	Score     float64    `json:"score"`
	Centre    [2]float64 `json:"centre"`
	CodeInsee string     `json:"code_insee,omitempty"`
	Postcode  string     `json:"code_postal,omitempty"`
	City      string     `json:"commune,omitempty"`
}

// geocode forwards an address search to the configured geocoder (the
// Base Adresse Nationale API shape, through internal/ban). Without a geocoder it answers 404, and the web app offers commune
// and postcode search only.
func (s *Server) geocode(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.GeocoderURL == "" {
		return notFound("aucun géocodeur configuré : recherche d'adresse indisponible (communes et codes postaux : /api/search)")
	}
	v := r.URL.Query()
	if err := unknownParams(v, "q", "limit"); err != nil {
		return err
	}
	q := strings.TrimSpace(v.Get("q"))
	if utf8.RuneCountInString(q) < 3 || utf8.RuneCountInString(q) > 200 {
		return invalid("paramètre q : une adresse de 3 à 200 caractères")
	}
	limit, err := intParam(v, "limit", 5, 1, 20)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	client := ban.Client{URL: s.cfg.GeocoderURL, HTTP: s.httpClient}
	found, err := client.Search(ctx, ban.Query{Q: q, Limit: limit})
	if errors.Is(err, ban.ErrUpstream) {
		return &upstreamError{err}
	} else if err != nil {
		return err
	}
	out := make([]geocodeResult, 0, len(found))
	for _, f := range found {
		out = append(out, geocodeResult{Label: f.Label, Type: f.Type, Score: f.Score, Centre: [2]float64{f.Lon, f.Lat},
			CodeInsee: f.CityCode, Postcode: f.Postcode, City: f.City})
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": q, "results": out})
	return nil
}

// upstreamError is a failure of an external service: 502 for the client.
type upstreamError struct{ err error }

func (e *upstreamError) Error() string { return e.err.Error() }
func (e *upstreamError) Unwrap() error { return e.err }
