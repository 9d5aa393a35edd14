package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
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
// Base Adresse Nationale API shape: GET {url}?q=…&limit=… answering a
// GeoJSON FeatureCollection with label, score, type, citycode, postcode,
// city). Without a geocoder it answers 404, and the web app offers commune
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
	u, err := url.Parse(s.cfg.GeocoderURL)
	if err != nil {
		return fmt.Errorf("geocoder URL: %w", err)
	}
	gq := u.Query()
	gq.Set("q", q)
	gq.Set("limit", fmt.Sprint(limit))
	u.RawQuery = gq.Encode()
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.httpClient.Do(req)
	if err != nil {
		return &upstreamError{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &upstreamError{fmt.Errorf("geocoder answered %s", resp.Status)}
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Label    string  `json:"label"`
				Score    float64 `json:"score"`
				Type     string  `json:"type"`
				CityCode string  `json:"citycode"`
				Postcode string  `json:"postcode"`
				City     string  `json:"city"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&fc); err != nil {
		return &upstreamError{fmt.Errorf("geocoder answer: %w", err)}
	}
	out := []geocodeResult{}
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		if len(c) < 2 || c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 {
			continue
		}
		p := f.Properties
		out = append(out, geocodeResult{Label: p.Label, Type: p.Type, Score: p.Score, Centre: [2]float64{c[0], c[1]},
			CodeInsee: p.CityCode, Postcode: p.Postcode, City: p.City})
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": q, "results": out})
	return nil
}

// upstreamError is a failure of an external service: 502 for the client.
type upstreamError struct{ err error }

func (e *upstreamError) Error() string { return "géocodeur injoignable : " + e.err.Error() }
func (e *upstreamError) Unwrap() error { return e.err }

// config tells the web app what this server offers.
func (s *Server) config(w http.ResponseWriter, r *http.Request) error {
	snap := s.idx.Current()
	region := ""
	if cs := snap.Communes(); len(cs) > 0 {
		region = cs[0].CodeRegion
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"region": region, "data_version": snap.Version(), "geocoder": s.cfg.GeocoderURL != "",
	})
	return nil
}
