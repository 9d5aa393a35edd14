package topology

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// A Topology is encoded as a header, magic and format version, then its
// arrays in a fixed order, each as its length and its little-endian
// values. What can be derived in one linear pass (the rings using each arc,
// the bound) is not stored: UnmarshalBinary derives it again.

// encodingMagic starts an encoded Topology; its last byte is the format
// version, to change with the format or with what Build computes.
const encodingMagic = "CTOPO\x00\x00\x01"

// MarshalBinary encodes t for UnmarshalBinary (encoding.BinaryMarshaler):
// a topology can be kept, with what it was built from, instead of being
// built again.
func (t *Topology) MarshalBinary() ([]byte, error) {
	n := len(encodingMagic) + 9*8 + len(t.pts)*24 + len(t.area)*8 +
		4*(len(t.arcOff)+len(t.refs)+len(t.ringOff)+len(t.ringIn)+len(t.polyOff)+len(t.partOff))
	b := make([]byte, 0, n)
	b = append(b, encodingMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(t.pts)))
	for _, p := range t.pts {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
	}
	b = appendFloats(b, t.thr)
	b = appendInts(b, t.arcOff)
	b = appendInts(b, t.refs)
	b = appendInts(b, t.ringOff)
	b = appendInts(b, t.ringIn)
	b = appendFloats(b, t.area)
	b = appendInts(b, t.polyOff)
	b = appendInts(b, t.partOff)
	return b, nil
}

func appendFloats(b []byte, v []float64) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(v)))
	for _, f := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

func appendInts(b []byte, v []int32) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(v)))
	for _, i := range v {
		b = binary.LittleEndian.AppendUint32(b, uint32(i))
	}
	return b
}

// errEncoding is the error of every malformed encoding.
var errEncoding = errors.New("topology: invalid encoding")

// decoder reads the arrays of an encoding, failing once for all.
type decoder struct {
	b   []byte
	err error
}

// count reads a length of values of size bytes each.
func (d *decoder) count(size int) int {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.err = fmt.Errorf("%w: truncated", errEncoding)
		return 0
	}
	n := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	if n > uint64(len(d.b)/size) || n > math.MaxInt32 {
		d.err = fmt.Errorf("%w: %d values announced, %d bytes left", errEncoding, n, len(d.b))
		return 0
	}
	return int(n)
}

// values reads a length, then as many values of size bytes each.
func values[T any](d *decoder, size int, value func(b []byte) T) []T {
	n := d.count(size)
	v := make([]T, n)
	for i := range v {
		v[i] = value(d.b[size*i:])
	}
	d.b = d.b[size*n:]
	return v
}

func float(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

func (d *decoder) points() []orb.Point {
	return values(d, 16, func(b []byte) orb.Point { return orb.Point{float(b), float(b[8:])} })
}

func (d *decoder) floats() []float64 { return values(d, 8, float) }

func (d *decoder) ints() []int32 {
	return values(d, 4, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
}

// UnmarshalBinary decodes what MarshalBinary encoded into t
// (encoding.BinaryUnmarshaler). It checks the structure: every offset and
// index in range, finite points and thresholds, arc ends never dropped.
// It does not check that a ring's arcs join nor that its geometry is what
// Build would make of the input: an encoding altered there decodes into a
// topology that simplifies wrongly, or panics. A caller that keeps
// encodings where they can be altered checks them (the tileset's copy of
// the communes' topology carries a checksum).
func (t *Topology) UnmarshalBinary(data []byte) error {
	if len(data) < len(encodingMagic) || string(data[:len(encodingMagic)]) != encodingMagic {
		return fmt.Errorf("%w: not a topology of this format version", errEncoding)
	}
	d := decoder{b: data[len(encodingMagic):]}
	u := Topology{pts: d.points(), thr: d.floats(), arcOff: d.ints(), refs: d.ints(), ringOff: d.ints(),
		ringIn: d.ints(), area: d.floats(), polyOff: d.ints(), partOff: d.ints()}
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d bytes after the end", errEncoding, len(d.b))
	}
	if err := u.check(); err != nil {
		return err
	}
	u.indexUses()
	if len(u.pts) > 0 {
		u.bound = orb.MultiPoint(u.pts).Bound()
	}
	*t = u
	return nil
}

// check verifies what Build guarantees of the arrays: offsets from zero to
// the end of what they index, arcs of two points or more with finite
// points and thresholds, +Inf at their ends, every ring with an arc, every
// polygon with a ring, references in range and each ring's input polygon
// the one whose polygons hold it.
func (t *Topology) check() error {
	bad := func(what string) error { return fmt.Errorf("%w: %s", errEncoding, what) }
	if len(t.thr) != len(t.pts) {
		return bad("thresholds and points differ in number")
	}
	if !offsets(t.arcOff, len(t.pts), 2) {
		return bad("arc offsets")
	}
	for i, p := range t.pts {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) || math.IsNaN(t.thr[i]) || t.thr[i] < 0 {
			return bad("a point or threshold that is not a finite number")
		}
	}
	for a := 0; a+1 < len(t.arcOff); a++ {
		if !math.IsInf(t.thr[t.arcOff[a]], 1) || !math.IsInf(t.thr[t.arcOff[a+1]-1], 1) {
			return bad("an arc end that can be dropped")
		}
	}
	nArcs := int32(len(t.arcOff) - 1)
	for _, ref := range t.refs {
		if arcOf(ref) >= nArcs {
			return bad("arc reference out of range")
		}
	}
	if !offsets(t.ringOff, len(t.refs), 1) {
		return bad("ring offsets")
	}
	nRings := len(t.ringOff) - 1
	if len(t.ringIn) != nRings || len(t.area) != nRings {
		return bad("ring attributes and rings differ in number")
	}
	if !offsets(t.partOff, nRings, 1) {
		return bad("polygon offsets")
	}
	if !offsets(t.polyOff, len(t.partOff)-1, 0) {
		return bad("input polygon offsets")
	}
	for i := 0; i+1 < len(t.polyOff); i++ {
		for p := t.polyOff[i]; p < t.polyOff[i+1]; p++ {
			for r := t.partOff[p]; r < t.partOff[p+1]; r++ {
				if t.ringIn[r] != int32(i) {
					return bad("ring's input polygon")
				}
			}
		}
	}
	return nil
}

// offsets reports whether off starts at 0, ends at end and grows by at
// least step between two values.
func offsets(off []int32, end, step int) bool {
	if len(off) == 0 || off[0] != 0 || int(off[len(off)-1]) != end {
		return false
	}
	for i := 1; i < len(off); i++ {
		if int(off[i])-int(off[i-1]) < step {
			return false
		}
	}
	return true
}
