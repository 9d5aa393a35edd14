package tiles

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

func TestToWorld(t *testing.T) {
	cases := []struct {
		name     string
		lon, lat float64
		want     orb.Point
	}{
		{"origin", 0, 0, orb.Point{0.5, 0.5}},
		{"west edge", -180, 0, orb.Point{0, 0.5}},
		{"east edge", 180, 0, orb.Point{1, 0.5}},
		{"north edge", 0, MaxLatitude, orb.Point{0.5, 0}},
		{"south edge", 0, -MaxLatitude, orb.Point{0.5, 1}},
		{"north pole clamped", 0, 90, orb.Point{0.5, 0}},
		{"south pole clamped", 0, -90, orb.Point{0.5, 1}},
		// y = (1 - ln(tan φ + sec φ)/π)/2 for Lille, computed independently.
		{"Lille", 3.0573, 50.6366, orb.Point{(3.0573 + 180) / 360, (1 - math.Log(math.Tan(50.6366*math.Pi/180)+1/math.Cos(50.6366*math.Pi/180))/math.Pi) / 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ToWorld(tc.lon, tc.lat)
			if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-12 {
				t.Errorf("ToWorld(%v, %v) = %v, want %v", tc.lon, tc.lat, got, tc.want)
			}
		})
	}
}

func TestFromWorld(t *testing.T) {
	for _, ll := range [][2]float64{{0, 0}, {3.0573, 50.6366}, {-73.98, 40.75}, {179.9, -85}, {-179.9, 85}} {
		t.Run(fmt.Sprint(ll), func(t *testing.T) {
			lon, lat := FromWorld(ToWorld(ll[0], ll[1]))
			if math.Abs(lon-ll[0]) > 1e-9 || math.Abs(lat-ll[1]) > 1e-9 {
				t.Errorf("round trip of %v gives %v, %v", ll, lon, lat)
			}
		})
	}
}

func TestTileBound(t *testing.T) {
	cases := []struct {
		name string
		tile maptile.Tile
		want orb.Bound
	}{
		{"z0", maptile.New(0, 0, 0), orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}},
		{"z1 south-east", maptile.New(1, 1, 1), orb.Bound{Min: orb.Point{0.5, 0.5}, Max: orb.Point{1, 1}}},
		{"z10", maptile.New(520, 345, 10), orb.Bound{Min: orb.Point{520.0 / 1024, 345.0 / 1024}, Max: orb.Point{521.0 / 1024, 346.0 / 1024}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := TileBound(tc.tile); got != tc.want {
				t.Errorf("TileBound = %v, want %v", got, tc.want)
			}
		})
	}

	// The tile maptile finds for a point contains the point's world position.
	lille := orb.Point{3.0573, 50.6366}
	for z := maptile.Zoom(0); z <= 18; z++ {
		tile := maptile.At(lille, z)
		if b := TileBound(tile); !b.Contains(ToWorld(lille[0], lille[1])) {
			t.Errorf("z%d: TileBound(%v) = %v does not contain Lille", z, tile, b)
		}
	}
}

func TestWorldGeometry(t *testing.T) {
	w := func(lon, lat float64) orb.Point { return ToWorld(lon, lat) }
	ring := orb.Ring{{2, 50}, {3, 50}, {3, 51}, {2, 50}}
	cases := []struct {
		name string
		in   orb.Geometry
		want orb.Geometry
	}{
		{"nil", nil, nil},
		{"point", orb.Point{3, 50}, w(3, 50)},
		{"multipoint", orb.MultiPoint{{3, 50}, {2, 51}}, orb.MultiPoint{w(3, 50), w(2, 51)}},
		{"linestring", orb.LineString{{3, 50}, {2, 51}}, orb.LineString{w(3, 50), w(2, 51)}},
		{"polygon", orb.Polygon{ring}, orb.Polygon{{w(2, 50), w(3, 50), w(3, 51), w(2, 50)}}},
		{"multipolygon", orb.MultiPolygon{{ring}}, orb.MultiPolygon{{{w(2, 50), w(3, 50), w(3, 51), w(2, 50)}}}},
		{"collection", orb.Collection{orb.Point{3, 50}}, orb.Collection{w(3, 50)}},
		{"bound", orb.Bound{Min: orb.Point{2, 50}, Max: orb.Point{3, 51}}, orb.Bound{Min: w(2, 51), Max: w(3, 50)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before orb.Geometry
			if tc.in != nil {
				before = orb.Clone(tc.in)
			}
			got := WorldGeometry(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("WorldGeometry = %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(tc.in, before) {
				t.Errorf("input modified: %v, was %v", tc.in, before)
			}
		})
	}
}

var inseeCode = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)

func TestCommuneID(t *testing.T) {
	cases := []struct {
		code string
		want uint64
	}{
		{"59350", 59350},
		{"02691", 2691},
		{"01001", 1001},
		{"80021", 80021},
		{"97411", 97411},
		{"21231", 21231},
		{"2A004", 20004},
		{"2B033", 120033},
		{"00042", 100042},
		{"00000", 100000},
		// Not valid codes.
		{"20004", 0},
		{"2C004", 0},
		{"2a004", 0},
		{"5935", 0},
		{"593500", 0},
		{"5935x", 0},
		{"", 0},
		{"A9350", 0},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			if got := CommuneID(tc.code); got != tc.want {
				t.Errorf("CommuneID(%q) = %d, want %d", tc.code, got, tc.want)
			}
			if valid := inseeCode.MatchString(tc.code); valid != (tc.want != 0) {
				t.Errorf("code %q: pattern says valid=%v, CommuneID gives %d", tc.code, valid, tc.want)
			}
		})
	}
}

// TestCommuneIDUnique checks every valid code: the id is non-zero, below
// 200000 and unique; and every other 5-character code of the same
// alphabet gives 0.
func TestCommuneIDUnique(t *testing.T) {
	seen := make(map[uint64]string, 110000)
	chars := "0123456789AB"
	for _, a := range chars {
		for _, b := range chars {
			for n := 0; n < 1000; n++ {
				code := fmt.Sprintf("%c%c%03d", a, b, n)
				id := CommuneID(code)
				if !inseeCode.MatchString(code) {
					if id != 0 {
						t.Fatalf("CommuneID(%q) = %d for an invalid code", code, id)
					}
					continue
				}
				if id == 0 || id >= 200000 {
					t.Fatalf("CommuneID(%q) = %d", code, id)
				}
				if other, dup := seen[id]; dup {
					t.Fatalf("CommuneID(%q) = CommuneID(%q) = %d", code, other, id)
				}
				seen[id] = code
			}
		}
	}
	if len(seen) != 100*1000-1000+2*1000 { // 00–99 without 20, plus 2A and 2B
		t.Errorf("%d valid codes, want %d", len(seen), 100*1000-1000+2*1000)
	}
}
