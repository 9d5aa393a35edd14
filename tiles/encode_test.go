package tiles

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// testTile is the tile the Encode cases are drawn in.
var testTile = maptile.New(530, 350, 10)

// tp returns the world point at tile coordinates (x, y) of testTile. With
// a power-of-two zoom and extent the conversion is exact both ways.
func tp(x, y float64) orb.Point {
	n := float64(uint64(1) << testTile.Z)
	return orb.Point{(float64(testTile.X) + x/Extent) / n, (float64(testTile.Y) + y/Extent) / n}
}

// ring builds a closed ring from tile coordinates, as GeoJSON would.
func ring(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i < len(xy); i += 2 {
		r = append(r, tp(xy[i], xy[i+1]))
	}
	return append(r, r[0])
}

// rect is a rectangle ring, clockwise on screen (positive area, y down)
// unless ccw is set.
func rect(x0, y0, x1, y1 float64, ccw bool) orb.Ring {
	if ccw {
		return ring(x0, y0, x0, y1, x1, y1, x1, y0)
	}
	return ring(x0, y0, x1, y0, x1, y1, x0, y1)
}

// parts is decoded geometry: points, lines or rings in tile coordinates.
type parts = [][][2]int64

// canonical rotates every ring of polygon features so that its smallest
// point comes first: clipping may start a ring anywhere, the test only
// cares about the ring and its orientation.
func canonical(t *mvtcheck.Tile) {
	for _, l := range t.Layers {
		for _, f := range l.Features {
			if f.Type != "Polygon" {
				continue
			}
			for _, r := range f.Geometry {
				i := 0
				for j, p := range r {
					if p[0] < r[i][0] || p[0] == r[i][0] && p[1] < r[i][1] {
						i = j
					}
				}
				slices.Reverse(r[:i])
				slices.Reverse(r[i:])
				slices.Reverse(r)
			}
		}
	}
}

// feature is a decoded feature without properties, for the table.
type feature struct {
	ID       uint64
	Type     string
	Geometry parts
}

func TestEncode(t *testing.T) {
	props := map[string]any{"nom": "x"}
	cases := []struct {
		name   string
		layers []Layer
		want   map[string][]feature // by layer; nil for an empty tile
	}{
		{
			name: "polygon crossing the tile edge is clipped within the buffer",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(-1000, 100, 1000, 500, false)}},
				{ID: 2, Geometry: orb.Polygon{rect(3000, 3000, 5000, 5000, false)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{-64, 100}, {1000, 100}, {1000, 500}, {-64, 500}}}},
				{2, "Polygon", parts{{{3000, 3000}, {4160, 3000}, {4160, 4160}, {3000, 4160}}}},
			}},
		},
		{
			name: "polygon covering the tile becomes the buffered square",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(-10000, -10000, 10000, 10000, true)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{-64, -64}, {4160, -64}, {4160, 4160}, {-64, 4160}}}},
			}},
		},
		{
			name: "ring in the wrong orientation is fixed",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 7, Geometry: orb.Polygon{rect(10, 10, 20, 30, true)}},
			}}},
			want: map[string][]feature{"l": {
				{7, "Polygon", parts{{{10, 10}, {20, 10}, {20, 30}, {10, 30}}}},
			}},
		},
		{
			name: "hole stays after its exterior and negative",
			layers: []Layer{{Name: "l", Features: []Feature{
				// GeoJSON orientation: both rings come out wrong in tile coordinates.
				{ID: 1, Geometry: orb.MultiPolygon{
					{rect(0, 0, 100, 100, true), rect(10, 10, 20, 20, false)},
					{rect(200, 0, 300, 100, true)},
				}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{
					{{0, 0}, {100, 0}, {100, 100}, {0, 100}},
					{{10, 10}, {10, 20}, {20, 20}, {20, 10}},
					{{200, 0}, {300, 0}, {300, 100}, {200, 100}},
				}},
			}},
		},
		{
			name: "hole with the same orientation as its exterior is reversed",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(0, 0, 100, 100, false), rect(10, 10, 20, 20, false)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {{10, 10}, {10, 20}, {20, 20}, {20, 10}}}},
			}},
		},
		{
			name: "tiny polygon that rounds to a point is dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(100.1, 100.1, 100.3, 100.4, false)}},
				{ID: 2, Geometry: orb.Polygon{rect(0, 0, 5, 5, false)}},
			}}},
			want: map[string][]feature{"l": {
				{2, "Polygon", parts{{{0, 0}, {5, 0}, {5, 5}, {0, 5}}}},
			}},
		},
		{
			name: "thin polygon that rounds to a line is dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(100, 100.1, 300, 100.3, false)}},
			}}},
			want: nil,
		},
		{
			name: "degenerate hole is dropped, exterior kept",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(0, 0, 100, 100, false), rect(50.1, 50.1, 50.2, 50.2, true)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{0, 0}, {100, 0}, {100, 100}, {0, 100}}}},
			}},
		},
		{
			name: "holes of a dropped exterior are dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.MultiPolygon{
					{rect(100, 100.1, 300, 100.3, false), rect(150, 100, 160, 110, true)},
					{rect(0, 0, 5, 5, false)},
				}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{0, 0}, {5, 0}, {5, 5}, {0, 5}}}},
			}},
		},
		{
			name: "polygon outside the buffer is dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{rect(-500, 0, -65, 100, false)}},
				// Its bound meets the tile, its ring does not.
				{ID: 2, Geometry: orb.Polygon{ring(-300, -300, 4400, -300, -300, -100)}},
			}}},
			want: nil,
		},
		{
			name: "duplicate points are removed",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Polygon{ring(0, 0, 0.2, 0.1, 50, 0, 50, 0, 50.4, 0.3, 50, 50, 0, 50, 0.1, 0.1)}},
				{ID: 2, Geometry: orb.LineString{tp(10, 10), tp(10.2, 10.1), tp(20, 10), tp(20, 10), tp(20, 20)}},
				{ID: 3, Geometry: orb.MultiPoint{tp(1, 1), tp(1.1, 0.9), tp(2, 2), tp(1, 1)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{0, 0}, {50, 0}, {50, 50}, {0, 50}}}},
				{2, "LineString", parts{{{10, 10}, {20, 10}, {20, 20}}}},
				{3, "Point", parts{{{1, 1}, {2, 2}, {1, 1}}}},
			}},
		},
		{
			name: "line that rounds to a point is dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.MultiLineString{{tp(10, 10), tp(10.3, 10.2)}, {tp(0, 0), tp(0, 3)}}},
			}}},
			want: map[string][]feature{"l": {
				{1, "LineString", parts{{{0, 0}, {0, 3}}}},
			}},
		},
		{
			name: "line crossing the tile is clipped within the buffer",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.LineString{tp(-1000, 100), tp(1000, 100), tp(1000, -1000)}},
				{ID: 2, Geometry: orb.LineString{tp(-1000, -1000), tp(-100, -1000)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "LineString", parts{{{-64, 100}, {1000, 100}, {1000, -64}}}},
			}},
		},
		{
			name: "points outside are dropped",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.MultiPoint{tp(-100, 5), tp(-64, 5), tp(4096, 4160), tp(4200, 0), tp(5, 5)}},
				{ID: 2, Geometry: orb.Point(tp(-65, 0))},
				{ID: 3, Geometry: orb.Point(tp(4096+64, 0))},
				{ID: 4, Geometry: orb.Point(tp(100000, 0))},
			}}},
			want: map[string][]feature{"l": {
				{1, "Point", parts{{{-64, 5}, {4096, 4160}, {5, 5}}}},
				{3, "Point", parts{{{4160, 0}}}},
			}},
		},
		{
			name: "bound is encoded as a polygon",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Bound{Min: tp(10, 10), Max: tp(20, 20)}},
			}}},
			want: map[string][]feature{"l": {
				{1, "Polygon", parts{{{10, 10}, {20, 10}, {20, 20}, {10, 20}}}},
			}},
		},
		{
			name: "layers keep their order and empty layers are left out",
			layers: []Layer{
				{Name: "b", Features: []Feature{{ID: 1, Geometry: orb.Point(tp(1, 1))}}},
				{Name: "empty", Features: []Feature{{ID: 1, Geometry: orb.Point(tp(-1000, 1))}, {ID: 2}}},
				{Name: "a", Features: []Feature{{ID: 1, Geometry: orb.Point(tp(2, 2))}}},
			},
			want: map[string][]feature{
				"b": {{1, "Point", parts{{{1, 1}}}}},
				"a": {{1, "Point", parts{{{2, 2}}}}},
			},
		},
		{
			name:   "no layers gives an empty tile",
			layers: nil,
			want:   nil,
		},
		{
			name: "features all outside give an empty tile",
			layers: []Layer{{Name: "l", Features: []Feature{
				{ID: 1, Geometry: orb.Point(tp(-1000, 0)), Properties: props},
				{ID: 2, Geometry: orb.LineString{tp(5000, 0), tp(6000, 0)}},
			}}},
			want: nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tile, err := Encode(testTile, tc.layers)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if tc.want == nil {
				if tile != nil {
					t.Fatalf("Encode = %d bytes, want nil", len(tile))
				}
				return
			}
			validate(t, tile)
			dec, err := mvtcheck.Decode(tile)
			if err != nil {
				t.Fatal(err)
			}
			canonical(dec)
			got := map[string][]feature{}
			var order []string
			for _, l := range dec.Layers {
				order = append(order, l.Name)
				for _, f := range l.Features {
					got[l.Name] = append(got[l.Name], feature{f.ID, f.Type, f.Geometry})
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decoded\n%v\nwant\n%v", got, tc.want)
			}
			var wantOrder []string
			for _, l := range tc.layers {
				if _, ok := tc.want[l.Name]; ok {
					wantOrder = append(wantOrder, l.Name)
				}
			}
			if !slices.Equal(order, wantOrder) {
				t.Errorf("layers %v, want %v", order, wantOrder)
			}
		})
	}
}

// validate fails the test if mvtcheck finds a problem in tile.
func validate(t testing.TB, tile []byte) {
	t.Helper()
	probs, err := mvtcheck.Validate(tile, Extent, Buffer)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(probs) > 0 {
		t.Fatalf("%d problems:\n%s", len(probs), mvtcheck.Summary(probs))
	}
}

func TestEncodeErrors(t *testing.T) {
	pt := orb.Point(tp(1, 1))
	cases := []struct {
		name   string
		layers []Layer
		want   error
	}{
		{"id 0", []Layer{{Name: "l", Features: []Feature{{ID: 1, Geometry: pt}, {ID: 0, Geometry: pt}}}}, ErrZeroID},
		{"id 0 outside the tile", []Layer{{Name: "l", Features: []Feature{{ID: 0, Geometry: orb.Point(tp(-9999, 0))}}}}, ErrZeroID},
		{"id repeated", []Layer{{Name: "l", Features: []Feature{{ID: 3, Geometry: pt}, {ID: 3, Geometry: pt}}}}, ErrDuplicateID},
		{"layer name empty", []Layer{{Name: "", Features: []Feature{{ID: 1, Geometry: pt}}}}, ErrLayerName},
		{"layer name repeated", []Layer{{Name: "l"}, {Name: "l"}}, ErrLayerName},
		{"collection", []Layer{{Name: "l", Features: []Feature{{ID: 1, Geometry: orb.Collection{pt}}}}}, ErrUnsupported},
		{"property of a map type", []Layer{{Name: "l", Features: []Feature{{ID: 1, Geometry: pt, Properties: map[string]any{"m": map[string]any{}}}}}}, ErrUnsupported},
		{"property of a slice type", []Layer{{Name: "l", Features: []Feature{{ID: 1, Geometry: pt, Properties: map[string]any{"s": []string{"a"}}}}}}, ErrUnsupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tile, err := Encode(testTile, tc.layers)
			if !errors.Is(err, tc.want) {
				t.Errorf("Encode error = %v, want %v", err, tc.want)
			}
			if tile != nil {
				t.Errorf("Encode returned %d bytes with an error", len(tile))
			}
		})
	}
}

func TestEncodeProperties(t *testing.T) {
	pt := orb.Point(tp(1, 1))
	layers := []Layer{{Name: "l", Features: []Feature{
		{ID: 1, Geometry: pt, Properties: map[string]any{
			"s": "Saint-Quentin", "b": true, "i": -3, "i64": int64(42), "u": uint64(1 << 63),
			"f": 2.5, "f32": float32(0.5), "u8": uint8(8), "nil": nil,
		}},
		// The same values under other Go types are the same MVT values.
		{ID: 2, Geometry: pt, Properties: map[string]any{"s": "Saint-Quentin", "i": int64(-3), "i64": 42, "u": uint64(1 << 63), "u8": 8}},
		{ID: 3, Geometry: pt},
	}}}
	tile, err := Encode(testTile, layers)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, tile) // no duplicate keys or values
	dec, err := mvtcheck.Decode(tile)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"s": "Saint-Quentin", "b": true, "i": int64(-3), "i64": uint64(42), "u": uint64(1 << 63), "f": 2.5, "f32": float32(0.5), "u8": uint64(8)},
		{"s": "Saint-Quentin", "i": int64(-3), "i64": uint64(42), "u": uint64(1 << 63), "u8": uint64(8)},
		{},
	}
	for i, f := range dec.Layers[0].Features {
		if !reflect.DeepEqual(f.Properties, want[i]) {
			t.Errorf("feature %d properties = %#v, want %#v", i, f.Properties, want[i])
		}
	}

	// Same input, same bytes, whatever the map iteration order.
	for range 20 {
		again, err := Encode(testTile, layers)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(tile) {
			t.Fatal("Encode is not deterministic")
		}
	}
}

// cloneLayers deep-copies layers, geometries and property maps included.
func cloneLayers(layers []Layer) []Layer {
	out := make([]Layer, len(layers))
	for i, l := range layers {
		out[i] = Layer{Name: l.Name, Features: make([]Feature, len(l.Features))}
		for j, f := range l.Features {
			out[i].Features[j] = Feature{ID: f.ID, Geometry: orb.Clone(f.Geometry), Properties: maps.Clone(f.Properties)}
		}
	}
	return out
}

func TestEncodeDoesNotModifyInput(t *testing.T) {
	layers := []Layer{
		{Name: "polygons", Features: []Feature{
			{ID: 1, Geometry: orb.Polygon{rect(-1000, -50, 1000, 500, true), rect(-100, 0, 100, 100, true)}, Properties: map[string]any{"nom": "a", "n": 1}},
			{ID: 2, Geometry: orb.MultiPolygon{{rect(4000, 4000, 9000, 9000, false)}, {rect(5, 5, 5.2, 5.2, false)}}},
			{ID: 3, Geometry: orb.Ring(rect(100, 100, 200, 200, true))},
		}},
		{Name: "lines", Features: []Feature{
			{ID: 1, Geometry: orb.LineString{tp(-1000, 1), tp(1, 1), tp(1.1, 1), tp(5000, 5000)}},
			{ID: 2, Geometry: orb.MultiLineString{{tp(-1000, 1), tp(9000, 1)}}},
		}},
		{Name: "points", Features: []Feature{
			{ID: 1, Geometry: orb.MultiPoint{tp(-1000, 1), tp(1, 1), tp(1, 1)}, Properties: map[string]any{"nil": nil}},
		}},
	}
	before := cloneLayers(layers)
	tile, err := Encode(testTile, layers)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, tile)
	if !reflect.DeepEqual(layers, before) {
		t.Error("Encode modified its input")
	}
}

// TestEncodeConcurrent encodes from several goroutines sharing the
// encoder pool; run with -race.
func TestEncodeConcurrent(t *testing.T) {
	layers := []Layer{{Name: "l", Features: []Feature{
		{ID: 1, Geometry: orb.Polygon{rect(-1000, -50, 1000, 500, true)}, Properties: map[string]any{"nom": "a"}},
		{ID: 2, Geometry: orb.LineString{tp(-1000, 1), tp(5000, 5000)}, Properties: map[string]any{"nom": "b"}},
	}}}
	want, err := Encode(testTile, layers)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 50 {
				got, err := Encode(testTile, layers)
				if err == nil && string(got) != string(want) {
					err = errors.New("different bytes")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestEncodeGrid: a layer with a Grid has every coordinate on multiples
// of it; two neighbours sharing a border still share it once snapped; the
// points of a ring that fall on the same grid point merge; a polygon
// smaller than a grid cell, which would collapse, is kept at unit
// precision.
func TestEncodeGrid(t *testing.T) {
	left := orb.Polygon{ring(100, 100, 203, 100, 205, 150, 203, 300, 100, 300)}
	right := orb.Polygon{ring(203, 100, 400, 100, 400, 300, 203, 300, 205, 150)}
	tiny := orb.Polygon{ring(500, 500, 503, 500, 503, 503)}
	dense := orb.Polygon{ring(600, 600, 601, 600, 602, 601, 603, 600, 640, 600, 640, 640, 600, 640)}
	layers := []Layer{{Name: "g", Grid: 8, Features: []Feature{
		{ID: 1, Geometry: left}, {ID: 2, Geometry: right}, {ID: 3, Geometry: tiny}, {ID: 4, Geometry: dense},
	}}}
	raw, err := Encode(testTile, layers)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, raw)
	dec, err := mvtcheck.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	feats := dec.Layers[0].Features
	if len(feats) != 4 || feats[0].ID != 1 || feats[1].ID != 2 || feats[2].ID != 3 || feats[3].ID != 4 {
		t.Fatalf("features %+v, want 1 to 4", feats)
	}
	if got := feats[2].Geometry; len(got) != 1 || len(got[0]) != 3 {
		t.Errorf("the polygon smaller than a cell: %v, want its 3 points at unit precision", got)
	}
	if got := feats[3].Geometry; len(got) != 1 || len(got[0]) != 4 {
		t.Errorf("the dense polygon: %v, want 4 points (the first four merge on the grid)", got)
	}
	feats = append(feats[:2], feats[3])
	points := map[[2]int64]int{}
	for _, f := range feats {
		for _, r := range f.Geometry {
			for _, p := range r {
				if p[0]%8 != 0 || p[1]%8 != 0 {
					t.Errorf("feature %d: point %v off the grid", f.ID, p)
				}
				points[p]++
			}
		}
	}
	// The shared border (203,100)-(205,150)-(203,300) snaps to
	// (200,104)-(208,152)-(200,304) in both features.
	for _, p := range [][2]int64{{200, 104}, {208, 152}, {200, 304}} {
		if points[p] != 2 {
			t.Errorf("border point %v in %d features, want 2", p, points[p])
		}
	}
	plain, err := Encode(testTile, []Layer{{Name: "g", Features: layers[0].Features}})
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) >= len(plain) {
		t.Errorf("grid tile %d bytes, unsnapped %d", len(raw), len(plain))
	}
}
