package tileset

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestTopologyEncoding checks that a decoded topology is the built one and
// makes the same tiles, byte for byte.
func TestTopologyEncoding(t *testing.T) {
	s := regionSet(t)
	snap := s.Snapshot()
	communes := snap.Communes()
	built := NewTopology(communes)
	data, err := built.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeTopology(communes, data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, built) {
		t.Fatal("decoded topology differs from the built one")
	}

	decoded := NewWith(nil, PrepareTerritoriesFrom(nil, snap, got), snap, DefaultConfig(), Attributes{})
	if decoded.gen.topo != got.topo {
		t.Fatal("the set did not take the decoded topology")
	}
	n := 0
	for _, z := range []int{0, 5, 6, 8, 10, 12} {
		for _, tile := range regionTiles(s, z) {
			r := Request{Layers: []string{Departements, EPCI, Communes}, Tile: tile}
			want, err := s.Encode(r)
			if err != nil {
				t.Fatal(err)
			}
			have, err := decoded.Encode(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(have, want) {
				t.Fatalf("tile %v differs with the decoded topology", tile)
			}
			n++
		}
	}
	t.Logf("%d communes, topology %d KB, %d tiles compared", len(communes), len(data)>>10, n)
	if a, b := decoded.Outlines(); !reflect.DeepEqual(a, firstOf(s.Outlines())) || len(b) == 0 {
		t.Error("outlines differ with the decoded topology")
	}
}

func firstOf[A, B any](a A, _ B) A { return a }

// TestTopologyEncodingRefused checks that an encoding for other communes,
// of another format or damaged is refused.
func TestTopologyEncodingRefused(t *testing.T) {
	communes := regionSet(t).Snapshot().Communes()
	data, err := NewTopology(communes).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeTopology(communes[:len(communes)-1], data); err == nil {
		t.Error("decoded for one commune less")
	}
	for _, at := range []int{0, len(topologyMagic) - 1, len(topologyMagic) + 3, len(data) / 2, len(data) - 1} {
		bad := bytes.Clone(data)
		bad[at] ^= 0x40
		if _, err := DecodeTopology(communes, bad); err == nil {
			t.Errorf("byte %d of %d altered: decoded", at, len(data))
		}
	}
	for _, n := range []int{0, 10, len(data) - 1} {
		if _, err := DecodeTopology(communes, data[:n]); err == nil {
			t.Errorf("truncated to %d bytes: decoded", n)
		}
	}
}

// TestTopologyKey checks that the key changes with any contour and only
// with the contours.
func TestTopologyKey(t *testing.T) {
	communes := regionSet(t).Snapshot().Communes()
	key := TopologyKey(communes)
	if !bytes.Equal(TopologyKey(communes), key) {
		t.Fatal("key not stable")
	}
	other := make([]cartonum.Commune, len(communes))
	copy(other, communes)
	other[7].Nom, other[7].Population = "Autre nom", 1
	if !bytes.Equal(TopologyKey(other), key) {
		t.Error("key changed with a name and a population")
	}
	moved := other[len(other)/2].Geometry.Clone()
	moved[0][0][1][0] += 1e-9
	other[len(other)/2].Geometry = moved
	if bytes.Equal(TopologyKey(other), key) {
		t.Error("key unchanged after a vertex moved")
	}
	if bytes.Equal(TopologyKey(communes[1:]), key) || bytes.Equal(TopologyKey(nil), key) {
		t.Error("key unchanged with other communes")
	}
}

func BenchmarkTopologyEncoding(b *testing.B) {
	communes := regionSet(b).Snapshot().Communes()
	topo := NewTopology(communes)
	data, _ := topo.MarshalBinary()
	b.Run("key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			TopologyKey(communes)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := DecodeTopology(communes, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewTopology(communes)
		}
	})
}
