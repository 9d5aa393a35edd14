// Package ban is a client of the Base Adresse Nationale search API
// (https://api-adresse.data.gouv.fr/search/, or any server answering in its
// shape: GET {url}?q=…&limit=…[&citycode=…] → a GeoJSON FeatureCollection
// whose features carry label, score, type, citycode, postcode and city).
// The import uses it to place addresses, the HTTP API to search them.
package ban

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client queries one BAN-shaped search service.
type Client struct {
	// URL is the search endpoint.
	URL string
	// HTTP is the client used; nil means one with Timeout.
	HTTP *http.Client
	// Timeout bounds one query when HTTP is nil (default 5 s).
	Timeout time.Duration
}

// Query is one address search.
type Query struct {
	Q        string
	Limit    int    // 1–20, default 5
	CityCode string // restrict to the commune of this INSEE code
	Postcode string // restrict to this postcode
}

// Result is one address found.
type Result struct {
	Label    string
	Type     string // housenumber, street, locality, municipality
	Score    float64
	Lon, Lat float64
	CityCode string
	Postcode string
	City     string
}

// ErrUpstream marks a failure of the geocoding service (unreachable, bad
// status, unreadable answer), as opposed to a query with no result.
var ErrUpstream = errors.New("géocodeur injoignable ou en erreur")

// Search runs q and returns the results, best first.
func (c *Client) Search(ctx context.Context, q Query) ([]Result, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return nil, fmt.Errorf("geocoder URL: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 5
	}
	v := u.Query()
	v.Set("q", strings.TrimSpace(q.Q))
	v.Set("limit", fmt.Sprint(limit))
	if q.CityCode != "" {
		v.Set("citycode", q.CityCode)
	}
	if q.Postcode != "" {
		v.Set("postcode", q.Postcode)
	}
	u.RawQuery = v.Encode()
	hc := c.HTTP
	if hc == nil {
		timeout := c.Timeout
		if timeout <= 0 {
			timeout = 5 * time.Second
		}
		hc = &http.Client{Timeout: timeout}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUpstream, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, fmt.Errorf("%w: réponse %s", ErrUpstream, resp.Status)
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
		return nil, fmt.Errorf("%w: réponse illisible: %v", ErrUpstream, err)
	}
	out := []Result{}
	for _, f := range fc.Features {
		co := f.Geometry.Coordinates
		if len(co) < 2 || co[0] < -180 || co[0] > 180 || co[1] < -90 || co[1] > 90 {
			continue
		}
		p := f.Properties
		out = append(out, Result{Label: p.Label, Type: p.Type, Score: p.Score, Lon: co[0], Lat: co[1],
			CityCode: p.CityCode, Postcode: p.Postcode, City: p.City})
	}
	return out, nil
}
