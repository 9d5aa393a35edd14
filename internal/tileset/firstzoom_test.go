package tileset

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// denseSet builds a set of n×n square communes of side degrees each,
// from (lon, lat): a grid dense enough that a low-zoom tile holding it
// weighs more than MaxCommunesTileBytes.
func denseSet(lon, lat, side float64, n int) *Set {
	var communes []cartonum.Commune
	for i := range n {
		for j := range n {
			x, y := lon+float64(i)*side, lat+float64(j)*side
			ring := orb.Ring{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}
			k := i*n + j
			communes = append(communes, cartonum.Commune{
				Code: fmt.Sprintf("%02d%03d", 1+k/900, 1+k%900), Nom: fmt.Sprint("Commune ", k),
				CodeDepartement: fmt.Sprintf("%02d", 1+k/900), CodeRegion: "84", Population: 100 + k,
				Geometry: orb.MultiPolygon{{ring}},
			})
		}
	}
	return New(index.New(index.Data{Version: 1, Communes: communes}), DefaultConfig(), Attributes{})
}

// TestCommunesFirstZoom: 6,400 communes of a few pixels at z5, all in one
// z5 tile, make it weigh more than the limit; the set starts the communes
// layer at the first zoom where every tile fits, leaves it out below and
// says so in LayerInfo.
func TestCommunesFirstZoom(t *testing.T) {
	s := denseSet(1, 42, 0.08, 80)
	first := s.CommunesMinZoom()
	t.Logf("dense communes from zoom %d", first)
	base, _ := Layer(Communes)
	if first <= base.MinZoom {
		t.Fatalf("first zoom %d: the dense communes should not fit at z%d", first, base.MinZoom)
	}
	// The zoom below really is too heavy: measured over every tile.
	largest := func(z int) (int, maptile.Tile) {
		most, at := 0, maptile.Tile{}
		for _, tile := range TilesOver(s.Bounds(), z) {
			feats := s.communeFeatures(tile)
			raw, err := encodeCommunes(tile, feats)
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) > most {
				most, at = len(raw), tile
			}
		}
		return most, at
	}
	if most, at := largest(first - 1); most <= MaxCommunesTileBytes {
		t.Errorf("z%d: the largest tile %d/%d/%d weighs %d bytes: the layer could start there", first-1, at.Z, at.X, at.Y, most)
	}
	for z := first; z <= min(first+3, MaxZoom); z++ {
		for _, tile := range TilesOver(s.Bounds(), z) {
			raw, err := s.Encode(Request{Layers: []string{Communes}, Tile: tile})
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) > MaxCommunesTileBytes {
				t.Errorf("tile %d/%d/%d weighs %d bytes", tile.Z, tile.X, tile.Y, len(raw))
			}
			if z == first && raw == nil && len(s.communeFeatures(tile)) > 0 {
				t.Errorf("tile %d/%d/%d: communes missing at the first zoom", tile.Z, tile.X, tile.Y)
			}
		}
	}
	// Below the first zoom: no communes layer, alone or combined.
	for z := base.MinZoom; z < first; z++ {
		for _, tile := range TilesOver(s.Bounds(), z) {
			raw, err := s.Encode(Request{Layers: []string{Communes}, Tile: tile})
			if err != nil || raw != nil {
				t.Fatalf("tile %d/%d/%d alone: %d bytes, %v", tile.Z, tile.X, tile.Y, len(raw), err)
			}
			raw, err = s.Encode(Request{Layers: []string{Departements, Communes}, Tile: tile})
			if err != nil {
				t.Fatal(err)
			}
			layers := decodedLayers(t, raw)
			if layers[Communes] || !layers[Departements] {
				t.Errorf("tile %d/%d/%d combined: layers %v", tile.Z, tile.X, tile.Y, layers)
			}
		}
	}
	info, _ := s.LayerInfo(Communes)
	if info.MinZoom != first {
		t.Errorf("LayerInfo minzoom %d, want %d", info.MinZoom, first)
	}
	if other, _ := s.LayerInfo(Departements); other.MinZoom != 0 {
		t.Errorf("départements minzoom %d", other.MinZoom)
	}
}

// TestCommunesFirstZoomSparse: a few communes keep the layer from its
// usual first zoom.
func TestCommunesFirstZoomSparse(t *testing.T) {
	s := denseSet(1, 42, 0.08, 10)
	base, _ := Layer(Communes)
	if z := s.CommunesMinZoom(); z != base.MinZoom {
		t.Errorf("first zoom %d, want %d", z, base.MinZoom)
	}
	if info, _ := s.LayerInfo(Communes); info.MinZoom != base.MinZoom {
		t.Errorf("LayerInfo minzoom %d", info.MinZoom)
	}
}

// decodedLayers returns the names of the layers of a tile.
func decodedLayers(t *testing.T, raw []byte) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if raw == nil {
		return out
	}
	dec, err := mvtcheck.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range dec.Layers {
		out[l.Name] = true
	}
	return out
}
