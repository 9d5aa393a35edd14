package topology

import (
	"encoding/binary"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// withHole is a square with a hole filled by a second polygon, beside a
// third: rings of one arc shared both ways, holes, junctions.
func withHole() []orb.MultiPolygon {
	return []orb.MultiPolygon{
		poly(rect(0, 0, 4, 4), reversed(rect(1, 1, 2, 2))),
		poly(rect(1, 1, 2, 2)),
		{orb.Polygon{rect(4, 0, 6, 4)}, orb.Polygon{rect(7, 0, 8, 1)}},
		nil,                    // no geometry: no polygon
		poly(rect(4, 4, 6, 4)), // degenerate: left out
	}
}

func roundTrip(t *testing.T, topo *Topology) *Topology {
	t.Helper()
	var got Topology
	if err := got.UnmarshalBinary(mustMarshal(t, topo)); err != nil {
		t.Fatalf("UnmarshalBinary: %v", err)
	}
	return &got
}

func mustMarshal(t *testing.T, topo *Topology) []byte {
	t.Helper()
	b, err := topo.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodingRoundTrip(t *testing.T) {
	for name, polys := range map[string][]orb.MultiPolygon{"grid": grid3(), "hole": withHole(), "empty": nil} {
		t.Run(name, func(t *testing.T) {
			topo := Build(polys)
			got := roundTrip(t, topo)
			// (Build leaves some arrays nil when empty, decoding never.)
			if len(polys) > 0 && !reflect.DeepEqual(got, topo) {
				t.Fatalf("decoded topology differs from the built one:\n got %+v\nwant %+v", got, topo)
			}
			if a, _ := got.MarshalBinary(); !reflect.DeepEqual(a, mustMarshal(t, topo)) {
				t.Fatal("the decoded topology encodes differently")
			}
			for _, tol := range []float64{0, 0.5, 3} {
				if a, b := got.Simplify(tol), topo.Simplify(tol); !reflect.DeepEqual(a, b) {
					t.Errorf("Simplify(%g) differs after decoding", tol)
				}
			}
		})
	}
}

func TestEncodingCommunes(t *testing.T) {
	c := realCommunes(t)
	topo := communesTopology()
	got := roundTrip(t, topo)
	if !reflect.DeepEqual(got, topo) {
		t.Fatal("decoded communes topology differs from the built one")
	}
	groups := c.departement
	if a, b := got.Dissolve(groups, zoomTol(8)), topo.Dissolve(groups, zoomTol(8)); !reflect.DeepEqual(a, b) {
		t.Error("Dissolve differs after decoding")
	}
}

// TestEncodingDamaged checks that truncated, extended or altered encodings
// are errors, never a topology.
func TestEncodingDamaged(t *testing.T) {
	b, _ := Build(withHole()).MarshalBinary()
	var topo Topology
	for n := 0; n < len(b); n++ {
		if err := topo.UnmarshalBinary(b[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
		}
	}
	if err := topo.UnmarshalBinary(append(b[:len(b):len(b)], 0)); err == nil {
		t.Error("a byte after the end: no error")
	}
	older := append([]byte(nil), b...)
	older[len(encodingMagic)-1]--
	if err := topo.UnmarshalBinary(older); err == nil {
		t.Error("another format version: no error")
	}

	// Each array's values altered one at a time: an offset or reference
	// out of place must be refused.
	at := len(encodingMagic)
	sizes := []int{16, 8, 4, 4, 4, 4, 8, 4, 4} // pts, thr, arcOff, refs, ringOff, ringIn, area, polyOff, partOff
	names := []string{"pts", "thr", "arcOff", "refs", "ringOff", "ringIn", "area", "polyOff", "partOff"}
	for k, size := range sizes {
		n := int(binary.LittleEndian.Uint64(b[at:]))
		at += 8
		if size == 4 {
			values := []int32{-1, 1 << 20} // an offset or polygon index out of range
			if names[k] == "refs" {
				values = []int32{1 << 20, ^(1 << 20)} // an arc out of range, either way
			}
			for i := range n {
				for _, v := range values {
					bad := append([]byte(nil), b...)
					binary.LittleEndian.PutUint32(bad[at+4*i:], uint32(v))
					var u Topology
					if u.UnmarshalBinary(bad) == nil {
						t.Errorf("%s[%d] = %d accepted", names[k], i, v)
					}
				}
			}
		}
		at += n * size
	}
	if at != len(b) {
		t.Fatalf("walked %d of %d bytes", at, len(b))
	}

	// A threshold that is not a number, or an arc end that could be
	// dropped, is refused; so is a point that is not finite.
	built := Build(withHole())
	for name, alter := range map[string]func(u *Topology){
		"NaN threshold":  func(u *Topology) { u.thr[1] = math.NaN() },
		"finite arc end": func(u *Topology) { u.thr[u.arcOff[1]-1] = 1 },
		"infinite point": func(u *Topology) { u.pts[2][1] = math.Inf(-1) },
	} {
		u := *built
		u.thr, u.pts = slices.Clone(built.thr), slices.Clone(built.pts)
		alter(&u)
		var got Topology
		if got.UnmarshalBinary(mustMarshal(t, &u)) == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// FuzzUnmarshal checks that no input makes UnmarshalBinary panic.
func FuzzUnmarshal(f *testing.F) {
	for _, polys := range [][]orb.MultiPolygon{grid3(), withHole(), nil} {
		b, _ := Build(polys).MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var topo Topology
		if topo.UnmarshalBinary(b) == nil {
			topo.NumArcs()
		}
	})
}

func BenchmarkEncoding(b *testing.B) {
	realCommunes(b)
	topo := communesTopology()
	data, _ := topo.MarshalBinary()
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			topo.MarshalBinary()
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var u Topology
			if err := u.UnmarshalBinary(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
