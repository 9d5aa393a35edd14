package mvtcheck

import (
	"errors"
	"fmt"
	"math"
)

// Protobuf wire types.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// errTruncated is returned when a message ends inside a field.
var errTruncated = errors.New("truncated message")

// reader reads the protobuf wire format: just enough of it for vector
// tiles, independently of any protobuf library.
type reader struct {
	b   []byte
	pos int
}

func (r *reader) more() bool { return r.pos < len(r.b) }

func (r *reader) varint() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.pos >= len(r.b) {
			return 0, errTruncated
		}
		c := r.b[r.pos]
		r.pos++
		if shift == 63 && c > 1 {
			return 0, fmt.Errorf("varint overflows 64 bits at byte %d", r.pos-1)
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, fmt.Errorf("varint longer than 10 bytes at byte %d", r.pos)
}

// key reads a field key: its number and wire type.
func (r *reader) key() (field uint64, wire int, err error) {
	at := r.pos
	k, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	field, wire = k>>3, int(k&7)
	if field == 0 {
		return 0, 0, fmt.Errorf("field number 0 at byte %d", at)
	}
	return field, wire, nil
}

// bytes reads a length-delimited field's content.
func (r *reader) bytes() ([]byte, error) {
	n, err := r.varint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.b)-r.pos) {
		return nil, errTruncated
	}
	b := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b, nil
}

func (r *reader) fixed32() (uint32, error) {
	if len(r.b)-r.pos < 4 {
		return 0, errTruncated
	}
	b := r.b[r.pos:]
	r.pos += 4
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24, nil
}

func (r *reader) fixed64() (uint64, error) {
	lo, err := r.fixed32()
	if err != nil {
		return 0, err
	}
	hi, err := r.fixed32()
	return uint64(lo) | uint64(hi)<<32, err
}

// skip skips the content of a field of the given wire type.
func (r *reader) skip(wire int) error {
	var err error
	switch wire {
	case wireVarint:
		_, err = r.varint()
	case wireFixed64:
		_, err = r.fixed64()
	case wireBytes:
		_, err = r.bytes()
	case wireFixed32:
		_, err = r.fixed32()
	default:
		err = fmt.Errorf("unsupported wire type %d at byte %d", wire, r.pos)
	}
	return err
}

// uints reads a repeated uint32 field, packed (wire type 2) or not (wire
// type 0), appending to dst. Values are kept as uint64 so that callers can
// report those that overflow uint32.
func (r *reader) uints(dst []uint64, wire int) ([]uint64, error) {
	switch wire {
	case wireVarint:
		v, err := r.varint()
		return append(dst, v), err
	case wireBytes:
		b, err := r.bytes()
		if err != nil {
			return dst, err
		}
		p := reader{b: b}
		for p.more() {
			v, err := p.varint()
			if err != nil {
				return dst, fmt.Errorf("packed field: %w", err)
			}
			dst = append(dst, v)
		}
		return dst, nil
	}
	return dst, fmt.Errorf("repeated uint32 field with wire type %d", wire)
}

// expect checks that a field has the wire type its definition says.
func expect(field uint64, wire, want int) error {
	if wire != want {
		return fmt.Errorf("field %d has wire type %d, want %d", field, wire, want)
	}
	return nil
}

// rawTile, rawLayer, rawFeature and rawValue hold a tile as read from the
// wire, before any rule is checked.
type rawTile struct {
	layers []rawLayer
}

type rawLayer struct {
	name                  string
	hasName               bool
	version, extent       uint64
	hasVersion, hasExtent bool
	keys                  []string
	values                []rawValue
	features              []rawFeature
}

type rawFeature struct {
	id            uint64
	hasID         bool
	tags          []uint64
	typ           uint64
	hasType       bool
	geometry      []uint64
	geometryCount int // number of geometry fields seen
}

// rawValue is one Tile.Value message. fields counts the value fields set:
// exactly one is valid.
type rawValue struct {
	key    valueKey
	value  any
	fields int
}

// valueKey identifies a value by its encoding, to find duplicates.
type valueKey struct {
	field uint64
	num   uint64
	str   string
}

func readTile(b []byte) (*rawTile, error) {
	t := &rawTile{}
	r := reader{b: b}
	for r.more() {
		field, wire, err := r.key()
		if err != nil {
			return nil, err
		}
		if field != 3 {
			if err := r.skip(wire); err != nil {
				return nil, err
			}
			continue
		}
		if err := expect(field, wire, wireBytes); err != nil {
			return nil, err
		}
		lb, err := r.bytes()
		if err != nil {
			return nil, err
		}
		l, err := readLayer(lb)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", len(t.layers), err)
		}
		t.layers = append(t.layers, l)
	}
	return t, nil
}

func readLayer(b []byte) (rawLayer, error) {
	var l rawLayer
	r := reader{b: b}
	for r.more() {
		field, wire, err := r.key()
		if err != nil {
			return l, err
		}
		switch field {
		case 1, 3: // name, keys
			if err := expect(field, wire, wireBytes); err != nil {
				return l, err
			}
			s, err := r.bytes()
			if err != nil {
				return l, err
			}
			if field == 1 {
				l.name, l.hasName = string(s), true
			} else {
				l.keys = append(l.keys, string(s))
			}
		case 2: // features
			if err := expect(field, wire, wireBytes); err != nil {
				return l, err
			}
			fb, err := r.bytes()
			if err != nil {
				return l, err
			}
			f, err := readFeature(fb)
			if err != nil {
				return l, fmt.Errorf("feature %d: %w", len(l.features), err)
			}
			l.features = append(l.features, f)
		case 4: // values
			if err := expect(field, wire, wireBytes); err != nil {
				return l, err
			}
			vb, err := r.bytes()
			if err != nil {
				return l, err
			}
			v, err := readValue(vb)
			if err != nil {
				return l, fmt.Errorf("value %d: %w", len(l.values), err)
			}
			l.values = append(l.values, v)
		case 5, 15: // extent, version
			if err := expect(field, wire, wireVarint); err != nil {
				return l, err
			}
			v, err := r.varint()
			if err != nil {
				return l, err
			}
			if field == 5 {
				l.extent, l.hasExtent = v, true
			} else {
				l.version, l.hasVersion = v, true
			}
		default:
			if err := r.skip(wire); err != nil {
				return l, err
			}
		}
	}
	return l, nil
}

func readFeature(b []byte) (rawFeature, error) {
	var f rawFeature
	r := reader{b: b}
	for r.more() {
		field, wire, err := r.key()
		if err != nil {
			return f, err
		}
		switch field {
		case 1, 3: // id, type
			if err := expect(field, wire, wireVarint); err != nil {
				return f, err
			}
			v, err := r.varint()
			if err != nil {
				return f, err
			}
			if field == 1 {
				f.id, f.hasID = v, true
			} else {
				f.typ, f.hasType = v, true
			}
		case 2:
			if f.tags, err = r.uints(f.tags, wire); err != nil {
				return f, err
			}
		case 4:
			f.geometryCount++
			if f.geometry, err = r.uints(f.geometry, wire); err != nil {
				return f, err
			}
		default:
			if err := r.skip(wire); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

func readValue(b []byte) (rawValue, error) {
	var v rawValue
	r := reader{b: b}
	for r.more() {
		field, wire, err := r.key()
		if err != nil {
			return v, err
		}
		var want int
		switch field {
		case 1:
			want = wireBytes
		case 2:
			want = wireFixed32
		case 3:
			want = wireFixed64
		case 4, 5, 6, 7:
			want = wireVarint
		default:
			if err := r.skip(wire); err != nil {
				return v, err
			}
			continue
		}
		if err := expect(field, wire, want); err != nil {
			return v, err
		}
		v.fields++
		k := valueKey{field: field}
		switch field {
		case 1:
			s, err := r.bytes()
			if err != nil {
				return v, err
			}
			k.str, v.value = string(s), string(s)
		case 2:
			n, err := r.fixed32()
			if err != nil {
				return v, err
			}
			k.num, v.value = uint64(n), math.Float32frombits(n)
		case 3:
			n, err := r.fixed64()
			if err != nil {
				return v, err
			}
			k.num, v.value = n, math.Float64frombits(n)
		default:
			n, err := r.varint()
			if err != nil {
				return v, err
			}
			k.num = n
			switch field {
			case 4:
				v.value = int64(n)
			case 5:
				v.value = n
			case 6:
				v.value = int64(n>>1) ^ -int64(n&1)
			case 7:
				v.value = n != 0
			}
		}
		v.key = k
	}
	return v, nil
}
