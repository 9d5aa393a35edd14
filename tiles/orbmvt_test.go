package tiles

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"

	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// This file compares Encode with orb's encoding/mvt on the same tiles: the
// communes of region 32, simplified at one tile unit for each zoom, every
// tile covering the region. orb's encoder (and the gogo/protobuf it needs)
// is used by this test only.

// comparison is the input of both encoders for one zoom: for each tile, the
// features Encode takes (world coordinates) and the same features in WGS84
// for orb.
type comparison struct {
	tiles []maptile.Tile
	world [][]Feature
	wgs84 [][]*geojson.Feature
}

func newComparison(tb testing.TB, z maptile.Zoom) comparison {
	cs := communes(tb)
	tolerance := 1 / (Extent * float64(uint64(1)<<z))
	simplified := make([]commune, len(cs))
	for i, c := range cs {
		g := simplify.DouglasPeucker(tolerance).Simplify(orb.Clone(c.Geometry))
		simplified[i] = commune{Feature: Feature{ID: c.ID, Geometry: g, Properties: c.Properties}, bound: c.bound}
	}
	toWGS84 := func(p orb.Point) orb.Point {
		lon, lat := FromWorld(p)
		return orb.Point{lon, lat}
	}
	var cmp comparison
	for _, t := range regionTiles(simplified, z) {
		fs := candidates(simplified, t)
		if len(fs) == 0 {
			continue
		}
		gs := make([]*geojson.Feature, len(fs))
		for i, f := range fs {
			g := geojson.NewFeature(project.Geometry(orb.Clone(f.Geometry), toWGS84))
			g.ID = f.ID
			g.Properties = geojson.Properties(f.Properties)
			gs[i] = g
		}
		cmp.tiles = append(cmp.tiles, t)
		cmp.world = append(cmp.world, fs)
		cmp.wgs84 = append(cmp.wgs84, gs)
	}
	return cmp
}

// orbTile encodes one tile with orb the way its documentation shows, with
// what MVT 2.1 and our tiles need set by hand: version 2, a clip to the
// tile plus Buffer. The features are cloned first: projecting them to the
// tile rewrites their coordinates in place.
func orbTile(t maptile.Tile, fs []*geojson.Feature) ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	for _, f := range fs {
		c := *f
		c.Geometry = orb.Clone(f.Geometry)
		fc.Append(&c)
	}
	l := mvt.NewLayer("communes", fc)
	l.Version = 2
	layers := mvt.Layers{l}
	layers.ProjectToTile(t)
	layers.Clip(orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}})
	layers.RemoveEmpty(1, 1)
	return mvt.Marshal(layers)
}

var comparisonZooms = []maptile.Zoom{6, 8, 10}

// BenchmarkEncodeVersusOrb encodes every tile of the region at z6, z8 and
// z10 with Encode and with orb's encoding/mvt, reporting time and size per
// tile, and the tiles of each that mvtcheck rejects.
func BenchmarkEncodeVersusOrb(b *testing.B) {
	for _, z := range comparisonZooms {
		cmp := newComparison(b, z)
		n := float64(len(cmp.tiles))
		encoders := []struct {
			name   string
			encode func(i int) ([]byte, error)
		}{
			{"tiles.Encode", func(i int) ([]byte, error) {
				return Encode(cmp.tiles[i], []Layer{{Name: "communes", Features: cmp.world[i]}})
			}},
			{"orb-mvt", func(i int) ([]byte, error) { return orbTile(cmp.tiles[i], cmp.wgs84[i]) }},
		}
		for _, enc := range encoders {
			b.Run(fmt.Sprintf("z%d/%s", z, enc.name), func(b *testing.B) {
				var size, invalid int
				b.ReportAllocs()
				for b.Loop() {
					size = 0
					for i := range cmp.tiles {
						data, err := enc.encode(i)
						if err != nil {
							b.Fatal(err)
						}
						size += len(data)
					}
				}
				for i := range cmp.tiles {
					data, _ := enc.encode(i)
					if probs, err := mvtcheck.Validate(data, Extent, Buffer); err != nil || len(probs) > 0 {
						invalid++
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N)/n, "ms/tile")
				b.ReportMetric(float64(size)/n, "B/tile")
				b.ReportMetric(float64(invalid), "invalid-tiles")
				b.ReportMetric(n, "tiles")
			})
		}
	}
}

// TestOrbMVTProblems runs mvtcheck on orb's tiles of the comparison and
// logs the rules they break, which Encode keeps, and how many tiles come
// out as different bytes when encoded again: the reasons Encode exists.
// It fails only if Encode's own tiles break a rule or change.
func TestOrbMVTProblems(t *testing.T) {
	for _, z := range comparisonZooms {
		for _, rfc7946 := range []bool{false, true} {
			name := fmt.Sprintf("z%d", z)
			if rfc7946 {
				name += " RFC 7946 rings"
			}
			t.Run(name, func(t *testing.T) {
				orbProblems(t, z, rfc7946)
			})
		}
	}
}

// orbProblems compares the tiles of one zoom; with rfc7946 the rings are
// first reversed to the orientation of RFC 7946 GeoJSON (the mirror's are
// clockwise).
func orbProblems(t *testing.T, z maptile.Zoom, rfc7946 bool) {
	cmp := newComparison(t, z)
	if rfc7946 {
		for i := range cmp.tiles {
			for k, f := range cmp.wgs84[i] {
				c := *f
				c.Geometry = orb.Clone(f.Geometry)
				reverseRings(c.Geometry)
				cmp.wgs84[i][k] = &c
			}
			for k := range cmp.world[i] {
				g := orb.Clone(cmp.world[i][k].Geometry)
				reverseRings(g)
				cmp.world[i][k].Geometry = g
			}
		}
	}
	rules := map[string]int{}
	bad, unstable := 0, 0
	for i, tile := range cmp.tiles {
		ours, err := Encode(tile, []Layer{{Name: "communes", Features: cmp.world[i]}})
		if err != nil {
			t.Fatal(err)
		}
		if probs, err := mvtcheck.Validate(ours, Extent, Buffer); err != nil || len(probs) > 0 {
			t.Errorf("%v: Encode's tile: %v %s", tile, err, mvtcheck.Summary(probs))
		}
		theirs, err := orbTile(tile, cmp.wgs84[i])
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if again, _ := orbTile(tile, cmp.wgs84[i]); !bytes.Equal(again, theirs) {
				unstable++
				break
			}
		}
		if again, _ := Encode(tile, []Layer{{Name: "communes", Features: cmp.world[i]}}); !bytes.Equal(again, ours) {
			t.Errorf("%v: Encode gave different bytes for the same input", tile)
		}
		probs, err := mvtcheck.Validate(theirs, Extent, Buffer)
		if err != nil {
			rules["undecodable: "+err.Error()]++
		}
		if len(probs) > 0 {
			bad++
		}
		for _, p := range probs {
			rules[p.Rule]++
		}
	}
	keys := make([]string, 0, len(rules))
	for k, n := range rules {
		keys = append(keys, fmt.Sprintf("%s ×%d", k, n))
	}
	slices.Sort(keys)
	t.Logf("orb: %d of %d tiles rejected by mvtcheck (%s); %d tiles not the same bytes when encoded again",
		bad, len(cmp.tiles), strings.Join(keys, ", "), unstable)
}
