package httpapi

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/tileset"
)

// TestCommunesFirstZoomTileJSON: with communes too dense for low zooms
// (80×80 squares of 0.08°), the TileJSON of the communes says their first
// zoom, in minzoom and vector_layers; below it the communes tile is empty
// (204) and the combined tiles hold the other layers.
func TestCommunesFirstZoomTileJSON(t *testing.T) {
	var d index.Data
	const n, side = 80, 0.08
	for i := range n {
		for j := range n {
			x, y := 1+float64(i)*side, 42+float64(j)*side
			k := i*n + j
			d.Communes = append(d.Communes, cartonum.Commune{
				Code: fmt.Sprintf("%02d%03d", 1+k/900, 1+k%900), Nom: fmt.Sprint("Commune ", k),
				CodeDepartement: fmt.Sprintf("%02d", 1+k/900), CodeRegion: "84", Population: 100 + k,
				Geometry: orb.MultiPolygon{{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}}},
			})
		}
	}
	base := serverOf(t, d)
	type tileJSONAnswer struct {
		MinZoom      int `json:"minzoom"`
		VectorLayers []struct {
			ID      string `json:"id"`
			MinZoom int    `json:"minzoom"`
		} `json:"vector_layers"`
	}
	read := func(name string) tileJSONAnswer {
		_, _, b := get(t, base+"/tiles/"+name+".json")
		var tj tileJSONAnswer
		if err := json.Unmarshal(b, &tj); err != nil {
			t.Fatal(err)
		}
		return tj
	}
	communes := read(tileset.Communes)
	info, _ := tileset.Layer(tileset.Communes)
	first := communes.MinZoom
	if first <= info.MinZoom || len(communes.VectorLayers) != 1 || communes.VectorLayers[0].MinZoom != first {
		t.Fatalf("communes TileJSON: %+v", communes)
	}
	both := read(tileset.Departements + "," + tileset.Communes)
	if both.MinZoom != 0 || len(both.VectorLayers) != 2 || both.VectorLayers[1].ID != tileset.Communes || both.VectorLayers[1].MinZoom != first {
		t.Fatalf("combined TileJSON: %+v", both)
	}
	at := func(z int) maptile.Tile { return maptile.At(orb.Point{4.2, 45.2}, maptile.Zoom(z)) }
	below, from := at(first-1), at(first)
	if resp, _ := do(t, "GET", fmt.Sprintf("%s/tiles/communes/%d/%d/%d.mvt", base, below.Z, below.X, below.Y), nil, nil); resp.StatusCode != 204 {
		t.Errorf("communes below the first zoom: %d", resp.StatusCode)
	}
	if resp, _ := do(t, "GET", fmt.Sprintf("%s/tiles/departements,communes/%d/%d/%d.mvt", base, below.Z, below.X, below.Y), nil, nil); resp.StatusCode != 200 {
		t.Errorf("combined below the first zoom: %d", resp.StatusCode)
	}
	if resp, _ := do(t, "GET", fmt.Sprintf("%s/tiles/communes/%d/%d/%d.mvt", base, from.Z, from.X, from.Y), nil, nil); resp.StatusCode != 200 {
		t.Errorf("communes at the first zoom: %d", resp.StatusCode)
	}
}
