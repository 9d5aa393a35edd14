package index

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// realCommunes reads the region's communes of the shared test data
// (../shared/data/communes-32.geojson beside the checkout), nil when absent.
var realCommunes = sync.OnceValue(func() []cartonum.Commune {
	raw, err := os.ReadFile("../../../shared/data/communes-32.geojson")
	if err != nil {
		return nil
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil
	}
	out := make([]cartonum.Commune, 0, len(fc.Features))
	for _, f := range fc.Features {
		var c cartonum.Commune
		b, _ := json.Marshal(f.Properties)
		if json.Unmarshal(b, &c) != nil {
			continue
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			c.Geometry = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			c.Geometry = g
		}
		out = append(out, c)
	}
	return out
})

func realSnapshot(tb testing.TB) *Snapshot {
	cs := realCommunes()
	if cs == nil {
		tb.Skip("../shared/data/communes-32.geojson absent")
	}
	return New(Data{Communes: append([]cartonum.Commune(nil), cs...)})
}

// BenchmarkSearchCommunes measures the search box over the region's 3,700
// communes: a prefix, a postcode and a misspelt name.
func BenchmarkSearchCommunes(b *testing.B) {
	s := realSnapshot(b)
	for _, q := range []string{"amie", "80100", "abbevile", "saint quentin"} {
		b.Run(q, func(b *testing.B) {
			for range b.N {
				s.SearchCommunes(q, 8)
			}
		})
	}
}

// BenchmarkSearchNear measures a list around a point: 2,000 places, 10 km.
func BenchmarkSearchNear(b *testing.B) {
	cs := realCommunes()
	if cs == nil {
		b.Skip("../shared/data/communes-32.geojson absent")
	}
	r := rand.New(rand.NewPCG(1, 2))
	c := orb.Point{2.3, 49.9}
	s := New(Data{Communes: append([]cartonum.Commune(nil), cs...), Places: randomPlaces(r, 2000, c, 1)})
	for range b.N {
		s.Search(Query{Near: &c, Radius: 10000, Limit: 1000})
	}
}
