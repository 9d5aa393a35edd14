package tileset

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/testmirror"
	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// regionSet builds the tiles of region 32 with its places, straight from
// the mirror files (no database needed).
func regionSet(tb testing.TB) *Set {
	tb.Helper()
	dir := mirror(tb)
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { f.Close() })
		return f
	}
	communes, err := territory.ReadCommunes(open("communes-32.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	epcis, err := territory.ReadEPCIs(open("epci-32.json"))
	if err != nil {
		tb.Fatal(err)
	}
	deps, err := territory.ReadDepartements(open("departements-32.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	src, err := standard.Read("lieux-32-v1.csv", open("lieux-32-v1.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	terr := index.New(index.Data{Communes: append(communes[:0:0], communes...)})
	res, err := standard.Import(nil, []*standard.Source{src}, terr, standard.Options{Region: "32"})
	if err != nil {
		tb.Fatal(err)
	}
	snap := index.New(index.Data{Version: 1, Communes: communes, EPCIs: epcis, Departements: deps, Places: res.Upserts})
	return New(snap, DefaultConfig(), Attributes{})
}

var allLayers = []string{Departements, EPCI, Communes, Sites}

// regionTiles lists the tiles of zoom z covering the region's bounds.
func regionTiles(s *Set, z int) []maptile.Tile { return TilesOver(s.Bounds(), z) }

// regionFeatures calls fn with every feature of one layer over the tiles
// covering the region at zoom z, as encoded and decoded.
func regionFeatures(t *testing.T, s *Set, layer string, z int, fn func(f mvtcheck.Feature)) {
	t.Helper()
	for _, tile := range regionTiles(s, z) {
		raw, err := s.Encode(Request{Layers: []string{layer}, Tile: tile})
		if err != nil {
			t.Fatal(err)
		}
		if raw == nil {
			continue
		}
		dec, err := mvtcheck.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range dec.Layers[0].Features {
			fn(f)
		}
	}
}

// TestEveryTileValid encodes every tile covering the region from z5 to
// z14 with all layers and checks each against the MVT 2.1 rules with the
// independent validator.
func TestEveryTileValid(t *testing.T) {
	s := regionSet(t)
	maxZ := 14
	if testing.Short() {
		maxZ = 11
	}
	for z := 5; z <= maxZ; z++ {
		n, empty, bytes := 0, 0, 0
		for _, tile := range regionTiles(s, z) {
			raw, err := s.Encode(Request{Layers: allLayers, Tile: tile})
			if err != nil {
				t.Fatalf("%v: %v", tile, err)
			}
			if raw == nil {
				empty++
				continue
			}
			n++
			bytes += len(raw)
			probs, err := mvtcheck.Validate(raw, tiles.Extent, tiles.Buffer)
			if err != nil {
				t.Fatalf("%v: undecodable: %v", tile, err)
			}
			for _, p := range probs {
				t.Errorf("%v: %+v", tile, p)
			}
			if len(probs) > 0 {
				t.FailNow()
			}
		}
		t.Logf("z%d: %d tiles valid (%d empty), mean %d bytes", z, n, empty, bytes/max(n, 1))
	}
}

// TestTileSizeLimits: every communes tile covering the region weighs at
// most 100 KB uncompressed at every zoom, the whole-region z6 tile
// included (170 KB when the low zooms were simplified at a quarter of a
// pixel with the properties from z8, 200 KB for the densest z8 tile), and
// the combined base-map request (departements,epci,communes,sites) at most
// 150 KB, from zoom 0. The communes and EPCI carry the indicator
// attributes with distinct values, as the server's tiles do.
func TestTileSizeLimits(t *testing.T) {
	s := regionSet(t)
	s = New(s.snap, DefaultConfig(), distinctAttributes(s.snap))
	// A region keeps its communes from the layer's usual first zoom.
	if base, _ := Layer(Communes); s.CommunesMinZoom() != base.MinZoom {
		t.Errorf("region 32: communes from zoom %d, want %d", s.CommunesMinZoom(), base.MinZoom)
	}
	maxZ := MaxZoom
	if testing.Short() {
		maxZ = 11
	}
	limits := []struct {
		layers []string
		max    int
	}{
		{[]string{Communes}, 100_000},
		{allLayers, 150_000},
	}
	for _, l := range limits {
		for z := 0; z <= maxZ; z++ {
			largest, at := 0, maptile.Tile{}
			for _, tile := range regionTiles(s, z) {
				raw, err := s.Encode(Request{Layers: l.layers, Tile: tile})
				if err != nil {
					t.Fatal(err)
				}
				if len(raw) > largest {
					largest, at = len(raw), tile
				}
			}
			if largest > l.max {
				t.Errorf("%s z%d: tile %d/%d/%d weighs %d bytes, more than %d", strings.Join(l.layers, ","), z, at.Z, at.X, at.Y, largest, l.max)
			}
			if z == RegionZoom && largest < l.max/4 {
				t.Errorf("%s z%d: largest tile %d bytes: the whole region is not drawn", strings.Join(l.layers, ","), z, largest)
			}
		}
	}
}

// TestClustersAtLowZoom: a whole-region tile of places carries a few
// clusters whose counts add up to every place.
func TestClustersAtLowZoom(t *testing.T) {
	s := regionSet(t)
	places := len(s.Snapshot().Places())
	for _, z := range []int{5, 7, 9} {
		count := 0
		regionFeatures(t, s, Sites, z, func(f mvtcheck.Feature) {
			// count each cluster once: in the tile holding its centre
			x, y := float64(f.Geometry[0][0][0]), float64(f.Geometry[0][0][1])
			if x < 0 || y < 0 || x >= tiles.Extent || y >= tiles.Extent {
				return
			}
			if c, ok := f.Properties["point_count"]; ok {
				count += asInt(t, c)
			} else {
				count++
			}
		})
		if count != places {
			t.Errorf("z%d: clusters and points count %d places, want %d", z, count, places)
		}
	}
}

// TestFilterChangesSites: the site filters are part of the tile.
func TestFilterChangesSites(t *testing.T) {
	s := regionSet(t)
	tile := maptile.At(orb.Point{3.0573, 50.6366}, 12) // Lille
	all, err := s.Get(Request{Layers: []string{Sites}, Tile: tile})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.Get(Request{Layers: []string{Sites}, Tile: tile, Filter: index.Filter{Dispositifs: []string{"France Services"}}})
	if err != nil {
		t.Fatal(err)
	}
	if all.ETag == fs.ETag || all.Size <= fs.Size {
		t.Errorf("filtered tile %d bytes, unfiltered %d: the filter was ignored", fs.Size, all.Size)
	}
	if _, _, hits, _ := s.Stats(); hits != 0 {
		t.Errorf("%d cache hits for distinct requests", hits)
	}
	again, _ := s.Get(Request{Layers: []string{Sites}, Tile: tile})
	if again.ETag != all.ETag {
		t.Error("same request, different tile")
	}
	if _, _, hits, _ := s.Stats(); hits != 1 {
		t.Errorf("%d cache hits, want 1", hits)
	}
}

func TestCacheBound(t *testing.T) {
	c := NewCache(1000)
	for i := 0; i < 100; i++ {
		c.Add(string(rune('a'+i%26))+string(rune('a'+i/26)), Tile{Gzip: make([]byte, 100)})
	}
	if b, n, _, _ := c.Stats(); b > 1000 || n == 0 {
		t.Fatalf("cache holds %d bytes in %d tiles, bound 1000", b, n)
	}
}

// BenchmarkTile encodes, uncached, the tiles covering the region per layer
// and zoom (cycling through them), after every zoom is generalised.
func BenchmarkTile(b *testing.B) {
	s := regionSet(b)
	s.Warm()
	for _, layer := range allLayers {
		for _, z := range []int{6, 8, 10, 12, 14} {
			ts := regionTiles(s, z)
			b.Run(fmt.Sprintf("%s/z%02d", layer, z), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := s.Encode(Request{Layers: []string{layer}, Tile: ts[i%len(ts)]}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkNewFrom makes the set of a new data version with the same
// territories, as after a contribution: the territories' key, the
// features' properties and the layers' content keys, the generalisation
// being shared.
func BenchmarkNewFrom(b *testing.B) {
	s := regionSet(b)
	b.ReportAllocs()
	for b.Loop() {
		if next := NewFrom(s, s.Snapshot(), DefaultConfig(), Attributes{}); next.gen != s.gen {
			b.Fatal("territories not shared")
		}
	}
}

// distinctAttributes gives every commune and EPCI the tiles' indicator
// attributes, with values distinct per territory, as real figures mostly
// are.
func distinctAttributes(snap *index.Snapshot) Attributes {
	attrs := Attributes{Communes: map[string]map[string]any{}, EPCI: map[string]map[string]any{}}
	add := func(to map[string]map[string]any, i int, code string) {
		a := map[string]any{}
		for k, f := range analysis.Fields {
			if f.Tile != "" {
				a[f.Tile] = float64(i*7+k) / 10
			}
		}
		to[code] = a
	}
	for i, c := range snap.Communes() {
		add(attrs.Communes, i, c.Code)
	}
	for i, e := range snap.EPCIs() {
		add(attrs.EPCI, i, e.Code)
	}
	return attrs
}

// TestEPCIPropertiesByZoom: below EPCIDetailZoom an EPCI feature carries
// its id (the SIREN) alone; from it, its properties and indicators.
func TestEPCIPropertiesByZoom(t *testing.T) {
	s := regionSet(t)
	s = New(s.snap, DefaultConfig(), distinctAttributes(s.snap))
	for _, z := range []int{0, EPCIDetailZoom - 1, EPCIDetailZoom, DetailZoom} {
		features := 0
		regionFeatures(t, s, EPCI, z, func(f mvtcheck.Feature) {
			features++
			code := strconv.FormatUint(f.ID, 10)
			switch {
			case z < EPCIDetailZoom && len(f.Properties) != 0:
				t.Fatalf("z%d: EPCI %d carries %v", z, f.ID, f.Properties)
			case z >= EPCIDetailZoom && (f.Properties["code"] != code || f.Properties["nom"] == nil || len(f.Properties) < 6):
				t.Fatalf("z%d: EPCI %d carries %v", z, f.ID, f.Properties)
			}
		})
		if features == 0 {
			t.Errorf("z%d: no EPCI drawn", z)
		}
	}
}

// TestSharedLevels: once every zoom is generalised, the polygons a zoom
// shares with its neighbour are the ones it would have alone, at every
// zoom and in every layer, and the deep zooms do share memory.
func TestSharedLevels(t *testing.T) {
	s := regionSet(t)
	s.Warm()
	sharing := 0
	for z := 0; z <= MaxZoom; z++ {
		alone := New(s.snap, DefaultConfig(), Attributes{}).level(z)
		got := s.level(z)
		for _, l := range []struct {
			name       string
			got, alone []orb.MultiPolygon
		}{{Communes, got.communes, alone.communes}, {EPCI, got.epci, alone.epci}, {Departements, got.deps, alone.deps}} {
			if len(l.got) != len(l.alone) {
				t.Fatalf("z%d %s: %d geometries, %d alone", z, l.name, len(l.got), len(l.alone))
			}
			for i := range l.got {
				if !l.got[i].Equal(l.alone[i]) {
					t.Fatalf("z%d %s %d: shared geometry differs from the zoom's own", z, l.name, i)
				}
			}
		}
		if z > 0 {
			prev := s.level(z - 1)
			for i := range got.communes {
				if len(got.communes[i]) > 0 && len(prev.communes) > i && len(prev.communes[i]) > 0 && &got.communes[i][0][0][0] == &prev.communes[i][0][0][0] {
					sharing++
				}
			}
		}
	}
	if sharing == 0 {
		t.Error("no commune shares its polygon with the next zoom")
	}
	t.Logf("%d commune polygons shared between neighbouring zooms", sharing)
}

func asInt(t *testing.T, v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case uint64:
		return int(n)
	case float64:
		return int(n)
	}
	t.Fatalf("point_count %v (%T) is not a number", v, v)
	return 0
}

// mirror returns the data mirror directory.
func mirror(tb testing.TB) string {
	tb.Helper()
	return testmirror.Dir(tb)
}

// TestEveryCommuneDrawn: at the low zooms, where polygons are snapped to
// the pixel grid, a commune smaller than a pixel is still drawn (at unit
// precision), so that the map can outline a chosen commune at any zoom.
// (At z5 two communes of Hauts-de-France are smaller than one tile unit,
// 300 m, and have no area left to draw.)
func TestEveryCommuneDrawn(t *testing.T) {
	s := regionSet(t)
	for _, z := range []int{RegionZoom, RegionZoom + 1, DetailZoom - 1} {
		ids := map[uint64]bool{}
		regionFeatures(t, s, Communes, z, func(f mvtcheck.Feature) {
			ids[f.ID] = true
		})
		if len(ids) != len(s.communes) {
			t.Errorf("z%d: %d communes drawn of %d", z, len(ids), len(s.communes))
		}
	}
}

// TestExportTileIDsCoverData: every tile of z0–10 that holds data, looked
// for one tile beyond the region's bounds on each side, is among the tiles
// an export looks at.
func TestExportTileIDsCoverData(t *testing.T) {
	s := regionSet(t)
	ids := s.exportTileIDs(0, 10)
	listed := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		listed[id] = true
	}
	b := s.DataBounds()
	layers := make([]string, len(Layers))
	for i, l := range Layers {
		layers[i] = l.ID
	}
	full := 0
	for z := 0; z <= 10; z++ {
		lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
		hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
		last := uint32(1)<<z - 1
		for x := max(lo.X, 1) - 1; x <= min(hi.X+1, last); x++ {
			for y := max(lo.Y, 1) - 1; y <= min(hi.Y+1, last); y++ {
				raw, err := s.Encode(Request{Layers: layers, Tile: maptile.New(x, y, maptile.Zoom(z))})
				if err != nil {
					t.Fatal(err)
				}
				if raw == nil {
					continue
				}
				full++
				if !listed[pmtiles.ZxyToID(uint8(z), x, y)] {
					t.Errorf("%d/%d/%d holds data but is not exported", z, x, y)
				}
			}
		}
	}
	t.Logf("%d tiles with data, %d looked at by the export", full, len(ids))
}

// TestCenterStaysWithTheCommunes: the centre of a map of metropolitan
// communes and one overseas commune is among the metropolitan ones, not
// in the ocean between them as the middle of the bounds would be.
func TestCenterStaysWithTheCommunes(t *testing.T) {
	square := func(code string, lon, lat float64) cartonum.Commune {
		return cartonum.Commune{Code: code, Nom: code, CodeDepartement: code[:2], CodeEpci: "200000001",
			Geometry: orb.MultiPolygon{{{{lon, lat}, {lon + 0.1, lat}, {lon + 0.1, lat + 0.1}, {lon, lat + 0.1}, {lon, lat}}}}}
	}
	communes := []cartonum.Commune{square("80001", 2.0, 49.0), square("80002", 2.1, 49.0), square("80003", 2.2, 49.1),
		square("80004", 2.3, 49.2), square("97101", -61.5, 16.2)}
	s := New(index.New(index.Data{Version: 1, Communes: communes}), DefaultConfig(), Attributes{})
	c := s.Center()
	if c[0] < 2 || c[0] > 2.4 || c[1] < 49 || c[1] > 49.3 {
		t.Errorf("centre %v, want among the communes near 2.2, 49.1 (bounds %v)", c, s.Bounds())
	}
}
