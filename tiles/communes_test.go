package tiles

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// mirror returns the directory of the data mirror (CARTONUM_DATA_MIRROR,
// or ../shared/data beside the repository). Without it the test is
// skipped, except under CI where it fails.
func mirror(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("CARTONUM_DATA_MIRROR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "communes-32.geojson")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("data mirror missing under CI: %v", err)
		}
		tb.Skipf("data mirror not found (%v); set CARTONUM_DATA_MIRROR", err)
	}
	return dir
}

// commune is a commune of the mirror, its geometry in world coordinates.
type commune struct {
	Feature
	bound orb.Bound
}

var (
	communesOnce sync.Once
	communesData []commune
	communesErr  error
)

// communes reads the region's communes once per test binary, with ids from
// CommuneID and properties code, nom and population.
func communes(tb testing.TB) []commune {
	tb.Helper()
	dir := mirror(tb)
	communesOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join(dir, "communes-32.geojson"))
		if err != nil {
			communesErr = err
			return
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			communesErr = err
			return
		}
		for _, f := range fc.Features {
			code, _ := f.Properties["code"].(string)
			pop, _ := f.Properties["population"].(float64)
			g := WorldGeometry(f.Geometry)
			communesData = append(communesData, commune{
				Feature: Feature{
					ID:       CommuneID(code),
					Geometry: g,
					Properties: map[string]any{
						"code":       code,
						"nom":        f.Properties["nom"],
						"population": int64(pop),
					},
				},
				bound: g.Bound(),
			})
		}
	})
	if communesErr != nil {
		tb.Fatalf("read communes: %v", communesErr)
	}
	return communesData
}

// candidates returns the communes whose bound meets the tile and its
// buffer: what an index would give Encode.
func candidates(cs []commune, t maptile.Tile) []Feature {
	b := TileBound(t)
	pad := float64(Buffer) / Extent * (b.Max[0] - b.Min[0])
	b = orb.Bound{Min: orb.Point{b.Min[0] - pad, b.Min[1] - pad}, Max: orb.Point{b.Max[0] + pad, b.Max[1] + pad}}
	var out []Feature
	for _, c := range cs {
		if b.Intersects(c.bound) {
			out = append(out, c.Feature)
		}
	}
	return out
}

// regionTiles lists, row by row, the tiles at zoom z covering the bound of
// the communes.
func regionTiles(cs []commune, z maptile.Zoom) []maptile.Tile {
	var b orb.Bound
	for i, c := range cs {
		if i == 0 {
			b = c.bound
		} else {
			b = b.Union(c.bound)
		}
	}
	minLon, maxLat := FromWorld(b.Min)
	maxLon, minLat := FromWorld(b.Max)
	nw := maptile.At(orb.Point{minLon, maxLat}, z)
	se := maptile.At(orb.Point{maxLon, minLat}, z)
	var ts []maptile.Tile
	for y := nw.Y; y <= se.Y; y++ {
		for x := nw.X; x <= se.X; x++ {
			ts = append(ts, maptile.New(x, y, z))
		}
	}
	return ts
}

// TestEncodeCommunes encodes every tile covering the region at zooms 5 to
// 10 from the unsimplified communes and validates each one.
func TestEncodeCommunes(t *testing.T) {
	cs := communes(t)
	for z := maptile.Zoom(5); z <= 10; z++ {
		t.Run(fmt.Sprintf("z%d", z), func(t *testing.T) {
			var n, empty, bytes int
			for _, tile := range regionTiles(cs, z) {
				data, err := Encode(tile, []Layer{{Name: "communes", Features: candidates(cs, tile)}})
				if err != nil {
					t.Fatalf("%v: %v", tile, err)
				}
				if data == nil {
					empty++
					continue
				}
				n++
				bytes += len(data)
				probs, err := mvtcheck.Validate(data, Extent, Buffer)
				if err != nil {
					t.Fatalf("%v: %v", tile, err)
				}
				if len(probs) > 0 {
					t.Errorf("%v: %d problems:\n%s", tile, len(probs), mvtcheck.Summary(probs[:min(len(probs), 10)]))
				}
			}
			if n == 0 {
				t.Fatal("no tile encoded")
			}
			t.Logf("%d tiles, %d empty, %d bytes on average", n, empty, bytes/n)
		})
	}

	// The mirror's rings are clockwise in longitude and latitude; RFC 7946
	// GeoJSON has them the other way round. Encode must not care.
	t.Run("z8 rings reversed", func(t *testing.T) {
		reversed := make([]commune, len(cs))
		for i, c := range cs {
			g := orb.Clone(c.Geometry)
			reverseRings(g)
			reversed[i] = commune{Feature: Feature{ID: c.ID, Geometry: g, Properties: c.Properties}, bound: c.bound}
		}
		for _, tile := range regionTiles(reversed, 8) {
			data, err := Encode(tile, []Layer{{Name: "communes", Features: candidates(reversed, tile)}})
			if err != nil {
				t.Fatalf("%v: %v", tile, err)
			}
			if data != nil {
				validate(t, data)
			}
		}
	})
}

// reverseRings reverses, in place, every ring of a polygon or multipolygon.
func reverseRings(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			slices.Reverse(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			reverseRings(p)
		}
	}
}

// goldens are the tiles whose encoding is kept in testdata.
var goldens = []struct {
	name     string
	lon, lat float64
	z        maptile.Zoom
}{
	{"lille", 3.0573, 50.6366, 8},
	{"amiens", 2.2958, 49.8942, 10},
	{"saint-quentin", 3.2876, 49.8465, 12},
}

// goldenPath returns the testdata path of a golden tile, without extension.
func goldenPath(name string, t maptile.Tile) string {
	return filepath.Join("testdata", fmt.Sprintf("communes-%s-%d-%d-%d", name, t.Z, t.X, t.Y))
}

// TestGolden encodes three fixed tiles of unsimplified communes and
// compares them byte for byte with testdata/*.mvt, and their decoded form
// with the .json beside. Regenerate with go test ./tiles -update.
func TestGolden(t *testing.T) {
	cs := communes(t)
	for _, g := range goldens {
		tile := maptile.At(orb.Point{g.lon, g.lat}, g.z)
		t.Run(g.name, func(t *testing.T) {
			data, err := Encode(tile, []Layer{{Name: "communes", Features: candidates(cs, tile)}})
			if err != nil {
				t.Fatal(err)
			}
			validate(t, data)
			dec, err := mvtcheck.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			js, err := dec.JSON()
			if err != nil {
				t.Fatal(err)
			}
			path := goldenPath(g.name, tile)
			if *update {
				if err := os.WriteFile(path+".mvt", data, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path+".json", js, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			compareGolden(t, path+".mvt", data)
			compareGolden(t, path+".json", js)
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tiles -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs: got %d bytes, want %d (run go test ./tiles -update if the change is intended)", path, len(got), len(want))
	}
}

// nodeTile is the output of testdata/decode.mjs for one file.
type nodeTile struct {
	File   string `json:"file"`
	Layers []struct {
		Name     string `json:"name"`
		Version  uint32 `json:"version"`
		Extent   uint32 `json:"extent"`
		Count    int    `json:"count"`
		Features []struct {
			ID       uint64 `json:"id"`
			Type     int    `json:"type"`
			Parts    []int  `json:"parts"`
			Polygons int    `json:"polygons"`
		} `json:"features"`
	} `json:"layers"`
}

// needTool skips the test when a tool is missing, or fails it under CI.
func needTool(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (required under CI)", args...)
	}
	t.Skipf(format, args...)
}

// TestIndependentDecoder reads the golden tiles with @mapbox/vector-tile
// (the decoder of MapLibre's lineage, run by node from web/node_modules)
// and checks that it sees the same layers, features, ids and rings as
// mvtcheck.Decode.
func TestIndependentDecoder(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		needTool(t, "node not found: %v", err)
	}
	webDir, err := filepath.Abs(filepath.Join("..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"@mapbox/vector-tile", "pbf"} {
		if _, err := os.Stat(filepath.Join(webDir, "node_modules", pkg, "package.json")); err != nil {
			needTool(t, "npm package %s missing (run npm ci in web/): %v", pkg, err)
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.mvt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden tiles in testdata: %v", err)
	}
	cmd := exec.Command(node, append([]string{filepath.Join("testdata", "decode.mjs")}, files...)...)
	cmd.Env = append(os.Environ(), "CARTONUM_WEB_DIR="+webDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node decode.mjs: %v\n%s", err, stderr.String())
	}
	var got []nodeTile
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decode.mjs output: %v\n%.500s", err, out)
	}
	if len(got) != len(files) {
		t.Fatalf("decode.mjs decoded %d files, want %d", len(got), len(files))
	}
	for i, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := mvtcheck.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			nt := got[i]
			if len(nt.Layers) != len(want.Layers) {
				t.Fatalf("node sees %d layers, mvtcheck %d", len(nt.Layers), len(want.Layers))
			}
			for li, wl := range want.Layers {
				nl := nt.Layers[li]
				if nl.Name != wl.Name || nl.Version != wl.Version || nl.Extent != wl.Extent || nl.Count != len(wl.Features) || len(nl.Features) != nl.Count {
					t.Fatalf("layer %d: node sees %q v%d extent %d with %d features, mvtcheck %q v%d extent %d with %d",
						li, nl.Name, nl.Version, nl.Extent, nl.Count, wl.Name, wl.Version, wl.Extent, len(wl.Features))
				}
				for fi, wf := range wl.Features {
					nf := nl.Features[fi]
					wantParts, wantPolygons := nodeCounts(wf)
					if nf.ID != wf.ID || typeNames[nf.Type] != wf.Type || !slices.Equal(nf.Parts, wantParts) || nf.Polygons != wantPolygons {
						t.Errorf("feature %d: node sees id %d type %d parts %v polygons %d; mvtcheck id %d %s parts %v polygons %d",
							fi, nf.ID, nf.Type, nf.Parts, nf.Polygons, wf.ID, wf.Type, wantParts, wantPolygons)
					}
				}
			}
		})
	}
}

var typeNames = []string{"Unknown", "Point", "LineString", "Polygon"}

// nodeCounts returns what loadGeometry should give for a feature decoded
// by mvtcheck: the number of points of each part (one part per point for
// point features, rings with their closing point) and, for polygons, the
// number of exterior rings.
func nodeCounts(f mvtcheck.Feature) (parts []int, polygons int) {
	for _, p := range f.Geometry {
		switch f.Type {
		case "Point":
			for range p {
				parts = append(parts, 1)
			}
		case "Polygon":
			parts = append(parts, len(p)+1)
			var a int64
			for i := range p {
				q, r := p[i], p[(i+1)%len(p)]
				a += q[0]*r[1] - r[0]*q[1]
			}
			if a > 0 {
				polygons++
			}
		default:
			parts = append(parts, len(p))
		}
	}
	return parts, polygons
}

// BenchmarkEncodePolygons encodes every tile covering the region at a zoom,
// from communes simplified for that zoom (Douglas-Peucker at one tile unit,
// as the caller will pass them) and, under raw, unsimplified.
func BenchmarkEncodePolygons(b *testing.B) {
	cs := communes(b)
	for _, z := range []maptile.Zoom{6, 8, 10, 12} {
		tolerance := 1 / (Extent * float64(uint64(1)<<z))
		simplified := make([]commune, len(cs))
		for i, c := range cs {
			g := simplify.DouglasPeucker(tolerance).Simplify(orb.Clone(c.Geometry))
			simplified[i] = commune{Feature: Feature{ID: c.ID, Geometry: g, Properties: c.Properties}, bound: c.bound}
		}
		for _, set := range []struct {
			name string
			cs   []commune
		}{{"", simplified}, {"/raw", cs}} {
			b.Run(fmt.Sprintf("z%d%s", z, set.name), func(b *testing.B) {
				tiles := regionTiles(set.cs, z)
				layers := make([][]Layer, len(tiles))
				var vertices int
				for i, tile := range tiles {
					fs := candidates(set.cs, tile)
					layers[i] = []Layer{{Name: "communes", Features: fs}}
					for _, f := range fs {
						vertices += countPoints(f.Geometry)
					}
				}
				var size, maxSize int
				b.ReportAllocs()
				for b.Loop() {
					size, maxSize = 0, 0
					for i, tile := range tiles {
						data, err := Encode(tile, layers[i])
						if err != nil {
							b.Fatal(err)
						}
						size += len(data)
						maxSize = max(maxSize, len(data))
					}
				}
				n := float64(len(tiles))
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N)/n, "ms/tile")
				b.ReportMetric(float64(size)/n, "B/tile")
				b.ReportMetric(float64(maxSize), "maxB/tile")
				b.ReportMetric(float64(vertices)/n, "vertices/tile")
				b.ReportMetric(n, "tiles")
			})
		}
	}
}

func countPoints(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += countPoints(p)
		}
		return n
	}
	return 0
}

// BenchmarkEncodePoints encodes 2,000 places with a few properties into
// one tile.
func BenchmarkEncodePoints(b *testing.B) {
	tile := maptile.At(orb.Point{3.0573, 50.6366}, 12)
	bound := TileBound(tile)
	kinds := []string{"France Services", "EPN", "BIB", "CCAS", "TIERS_LIEUX"}
	features := make([]Feature, 2000)
	for i := range features {
		// A low-discrepancy spread over the tile and its buffer.
		fx, fy := float64(i)*0.6180339887498949, float64(i)*0.7548776662466927
		fx, fy = fx-float64(int(fx)), fy-float64(int(fy))
		p := orb.Point{
			bound.Min[0] + (fx*1.04-0.02)*(bound.Max[0]-bound.Min[0]),
			bound.Min[1] + (fy*1.04-0.02)*(bound.Max[1]-bound.Min[1]),
		}
		features[i] = Feature{ID: uint64(i + 1), Geometry: p, Properties: map[string]any{
			"nom":       fmt.Sprintf("Lieu %d", i),
			"typologie": kinds[i%len(kinds)],
			"gratuit":   i%3 == 0,
			"services":  int64(i % 9),
		}}
	}
	layers := []Layer{{Name: "lieux", Features: features}}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		data, err := Encode(tile, layers)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "B/tile")
}
