package tileset

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// TestFilterExtraColumnsTiles: the filters on equipment and qualifications
// give their own tiles, not the cached unfiltered one, nor each other's.
func TestFilterExtraColumnsTiles(t *testing.T) {
	ring := orb.Ring{{3.0, 50.6}, {3.1, 50.6}, {3.1, 50.7}, {3.0, 50.7}, {3.0, 50.6}}
	communes := []cartonum.Commune{{Code: "59350", Nom: "Lille", CodeDepartement: "59", CodeRegion: "32",
		Geometry: orb.MultiPolygon{{ring}}}}
	places := []cartonum.Place{
		{ID: "wifi", Nom: "Wifi", Longitude: 3.05, Latitude: 50.65, CodeInsee: "59350", Equipements: []string{"Wifi"}},
		{ID: "picto", Nom: "Picto", Longitude: 3.06, Latitude: 50.64, CodeInsee: "59350", Qualifications: []string{"PictoAccess"}},
		{ID: "rien", Nom: "Rien", Longitude: 3.04, Latitude: 50.66, CodeInsee: "59350"},
	}
	s := New(index.New(index.Data{Version: 1, Communes: communes, Places: places}), DefaultConfig(), Attributes{})
	tile := maptile.At(orb.Point{3.05, 50.65}, 11)
	get := func(f index.Filter) Tile {
		t.Helper()
		tl, err := s.Get(Request{Layers: []string{Sites}, Tile: tile, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		return tl
	}
	all := get(index.Filter{})
	wifi := get(index.Filter{Equipements: []string{"Wifi"}})
	picto := get(index.Filter{Qualifications: []string{"PictoAccess"}})
	none := get(index.Filter{Equipements: []string{"Tablette"}})
	if _, _, hits, _ := s.Stats(); hits != 0 {
		t.Errorf("%d cache hits for four distinct filters", hits)
	}
	if wifi.ETag == all.ETag || picto.ETag == all.ETag || wifi.ETag == picto.ETag {
		t.Errorf("a filter on the extra columns gives the same tile as another request")
	}
	if wifi.Size >= all.Size || picto.Size >= all.Size {
		t.Errorf("filtered tiles of %d and %d bytes, unfiltered %d: the filter was ignored", wifi.Size, picto.Size, all.Size)
	}
	if none.Gzip != nil {
		t.Errorf("no place has a tablet, yet the tile holds %d bytes", none.Size)
	}
}
