package tiles_test

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

func ExampleEncode() {
	// A place and a commune-like square around Lille, in WGS84 as read
	// from GeoJSON, converted once to world coordinates.
	square := orb.Polygon{{{3.05, 50.63}, {3.07, 50.63}, {3.07, 50.64}, {3.05, 50.64}, {3.05, 50.63}}}
	layers := []tiles.Layer{
		{Name: "communes", Features: []tiles.Feature{{
			ID:         tiles.CommuneID("59350"),
			Geometry:   tiles.WorldGeometry(square),
			Properties: map[string]any{"code": "59350", "nom": "Lille"},
		}}},
		{Name: "lieux", Features: []tiles.Feature{{
			ID:         1,
			Geometry:   tiles.ToWorld(3.0573, 50.6366),
			Properties: map[string]any{"nom": "Médiathèque", "gratuit": true},
		}}},
	}

	tile := maptile.At(orb.Point{3.0573, 50.6366}, 12)
	data, err := tiles.Encode(tile, layers)
	if err != nil {
		panic(err)
	}

	probs, _ := mvtcheck.Validate(data, tiles.Extent, tiles.Buffer)
	dec, _ := mvtcheck.Decode(data)
	fmt.Printf("tile %d/%d/%d: %d bytes, %d problems\n", tile.Z, tile.X, tile.Y, len(data), len(probs))
	for _, l := range dec.Layers {
		f := l.Features[0]
		fmt.Println(l.Name, f.ID, f.Type, f.Geometry)
	}
	// Output:
	// tile 12/2082/1377: 146 bytes, 0 problems
	// communes 59350 Polygon [[[2876 2999] [3808 2999] [3808 3734] [2876 3734]]]
	// lieux 1 Point [[[3217 3249]]]
}

func ExampleToWorld() {
	p := tiles.ToWorld(3.0573, 50.6366) // Lille
	fmt.Printf("world %.6f %.6f\n", p[0], p[1])

	// The tile of zoom z holding p is (floor(x·2^z), floor(y·2^z)).
	fmt.Println(tiles.TileBound(maptile.New(130, 86, 8)).Contains(p))

	lon, lat := tiles.FromWorld(p)
	fmt.Printf("back %.4f %.4f\n", lon, lat)
	// Output:
	// world 0.508493 0.336375
	// true
	// back 3.0573 50.6366
}

func ExampleCommuneID() {
	for _, code := range []string{"59350", "02691", "2A004", "2B033", "20004"} {
		fmt.Println(code, tiles.CommuneID(code))
	}
	// Output:
	// 59350 59350
	// 02691 2691
	// 2A004 20004
	// 2B033 120033
	// 20004 0
}
