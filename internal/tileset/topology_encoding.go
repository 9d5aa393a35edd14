package tileset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/zeebo/xxh3"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/tiles/topology"
)

// The topology of the communes is what a server's first generation spends
// the most on (about a second for the 35,000 communes of France), and it
// changes only when the communes' contours do. It can therefore be kept
// between processes: MarshalBinary encodes it, TopologyKey identifies the
// contours it was built from, and DecodeTopology gives it back for the
// same communes.

// topologyMagic starts an encoded Topology (format version last).
const topologyMagic = "CTSTOPO\x01"

// TopologyKey returns a 128-bit key (xxh3) of what the topology of
// communes is built from: the contours of the communes, in order. Two
// lists with the same key have the same topology.
func TopologyKey(communes []cartonum.Commune) []byte {
	h := xxh3.New()
	var buf []byte
	u64 := func(v uint64) { buf = binary.LittleEndian.AppendUint64(buf, v) }
	u64(uint64(len(communes)))
	for i := range communes {
		g := communes[i].Geometry
		u64(uint64(len(g)))
		for _, p := range g {
			u64(uint64(len(p)))
			for _, r := range p {
				u64(uint64(len(r)))
				for _, pt := range r {
					u64(math.Float64bits(pt[0]))
					u64(math.Float64bits(pt[1]))
				}
				h.Write(buf)
				buf = buf[:0]
			}
		}
	}
	h.Write(buf)
	sum := h.Sum128().Bytes()
	return append([]byte(topologyMagic), sum[:]...)
}

// MarshalBinary encodes t, without its communes: DecodeTopology gives it
// back for communes of the same TopologyKey.
func (t *Topology) MarshalBinary() ([]byte, error) {
	topo, err := t.topo.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(topologyMagic)+8+32*(len(t.communeBounds)+1)+len(topo)+16)
	b = append(b, topologyMagic...)
	b = appendBound(b, t.bounds)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(t.communeBounds)))
	for _, cb := range t.communeBounds {
		b = appendBound(b, cb)
	}
	b = append(b, topo...)
	// A checksum of the whole: a damaged copy is refused, not served.
	sum := xxh3.Hash128(b).Bytes()
	return append(b, sum[:]...), nil
}

func appendBound(b []byte, bd orb.Bound) []byte {
	for _, v := range [4]float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func readBound(b []byte) orb.Bound {
	f := func(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])) }
	return orb.Bound{Min: orb.Point{f(0), f(1)}, Max: orb.Point{f(2), f(3)}}
}

// errTopology is the error of every encoding DecodeTopology refuses.
var errTopology = errors.New("tileset: invalid topology encoding")

// DecodeTopology returns the topology of communes that data encodes
// (Topology.MarshalBinary of the topology of communes of the same
// TopologyKey, which the caller checks). A damaged encoding, one of another
// format version or of another number of communes is an error.
func DecodeTopology(communes []cartonum.Commune, data []byte) (*Topology, error) {
	const sumSize = 16
	if len(data) < len(topologyMagic)+32+8+sumSize || string(data[:len(topologyMagic)]) != topologyMagic {
		return nil, fmt.Errorf("%w: not of this format version", errTopology)
	}
	body, sum := data[:len(data)-sumSize], data[len(data)-sumSize:]
	if want := xxh3.Hash128(body).Bytes(); string(want[:]) != string(sum) {
		return nil, fmt.Errorf("%w: checksum", errTopology)
	}
	b := body[len(topologyMagic):]
	t := &Topology{communes: communes, bounds: readBound(b)}
	b = b[32:]
	n := binary.LittleEndian.Uint64(b)
	b = b[8:]
	if n != uint64(len(communes)) || n > uint64(len(b)/32) {
		return nil, fmt.Errorf("%w: %d communes encoded, %d given", errTopology, n, len(communes))
	}
	t.communeBounds = make([]orb.Bound, n)
	for i := range t.communeBounds {
		t.communeBounds[i] = readBound(b[32*i:])
	}
	b = b[32*n:]
	t.topo = new(topology.Topology)
	if err := t.topo.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("%w: %w", errTopology, err)
	}
	if t.topo.NumInputs() != len(communes) {
		return nil, fmt.Errorf("%w: %d polygons for %d communes", errTopology, t.topo.NumInputs(), len(communes))
	}
	return t, nil
}
