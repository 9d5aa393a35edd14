package ban

import (
	"context"
	"errors"
	"strings"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/standard"
)

// Cached is the import's geocoder: it answers from a cache of earlier
// answers (loaded from the database) and asks the client only for the
// addresses it has never seen, remembering the new answers so that the
// import stores them with its batch. After MaxFailures consecutive failures
// of the service it stops asking for the rest of the import. Not safe for
// concurrent use.
type Cached struct {
	Ctx    context.Context
	Client *Client
	// Cache holds the known answers by Key; Cached adds the new ones.
	Cache map[string]standard.GeocodeResult
	// Fresh lists the keys answered by the service during this import.
	Fresh []string
	// MaxFailures consecutive service failures stop the queries (default 3).
	MaxFailures int

	failures int
	// Queries and Hits count the service queries and the cache answers.
	Queries, Hits int
}

// Key is the cache key of a query: the folded address, postcode and
// commune code.
func Key(q standard.GeocodeQuery) string {
	return cartonum.Fold(strings.Join(strings.Fields(q.Address), " ")) + "|" + q.Postcode + "|" + q.CityCode
}

// Geocode implements standard.Geocoder.
func (g *Cached) Geocode(q standard.GeocodeQuery) (standard.GeocodeResult, error) {
	k := Key(q)
	if r, ok := g.Cache[k]; ok {
		g.Hits++
		return r, nil
	}
	maxFailures := g.MaxFailures
	if maxFailures <= 0 {
		maxFailures = 3
	}
	if g.failures >= maxFailures {
		return standard.GeocodeResult{}, errors.New("géocodeur abandonné après plusieurs échecs")
	}
	ctx := g.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	text := q.Address
	if q.Postcode != "" {
		text += " " + q.Postcode
	}
	if q.City != "" {
		text += " " + q.City
	}
	g.Queries++
	res, err := g.Client.Search(ctx, Query{Q: text, Limit: 1, CityCode: q.CityCode})
	if err != nil {
		g.failures++
		return standard.GeocodeResult{}, err
	}
	g.failures = 0
	var out standard.GeocodeResult
	if len(res) > 0 {
		b := res[0]
		out = standard.GeocodeResult{Found: true, Point: orb.Point{b.Lon, b.Lat}, Score: b.Score,
			CityCode: b.CityCode, Label: b.Label, Kind: b.Type}
	}
	if g.Cache == nil {
		g.Cache = map[string]standard.GeocodeResult{}
	}
	g.Cache[k] = out
	g.Fresh = append(g.Fresh, k)
	return out, nil
}
