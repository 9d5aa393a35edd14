package mvtcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Tile is a decoded vector tile, in a form meant to be read by people:
// properties resolved from the key and value tables, geometry in tile
// coordinates.
type Tile struct {
	Layers []Layer `json:"layers"`
}

// Layer is a decoded layer.
type Layer struct {
	Name     string    `json:"name"`
	Version  uint32    `json:"version"`
	Extent   uint32    `json:"extent"`
	Features []Feature `json:"features"`
}

// Feature is a decoded feature.
type Feature struct {
	// ID is the feature id, 0 when it has none.
	ID uint64 `json:"id"`

	// Type is "Point", "LineString", "Polygon" or "Unknown".
	Type string `json:"type"`

	// Properties maps keys to string, bool, float32, float64, int64 or
	// uint64 values, as encoded.
	Properties map[string]any `json:"properties"`

	// Geometry holds the parts in tile coordinates: for a point feature a
	// single part with every point, for a line feature one part per line,
	// for a polygon feature one part per ring, in order, without the
	// closing point.
	Geometry [][][2]int64 `json:"geometry"`
}

// Decode decodes an uncompressed tile. It fails on bytes that are not a
// vector tile, on tag indexes out of range and on command streams it
// cannot follow; it does not check the other rules (see Validate). A
// missing version reads as 1 and a missing extent as 4096, the defaults of
// the specification.
func Decode(tile []byte) (*Tile, error) {
	raw, err := readTile(tile)
	if err != nil {
		return nil, fmt.Errorf("mvtcheck: %w", err)
	}
	t := &Tile{Layers: make([]Layer, 0, len(raw.layers))}
	for _, rl := range raw.layers {
		l := Layer{Name: rl.name, Version: 1, Extent: 4096, Features: make([]Feature, 0, len(rl.features))}
		if rl.hasVersion {
			l.Version = uint32(rl.version)
		}
		if rl.hasExtent {
			l.Extent = uint32(rl.extent)
		}
		for fi, rf := range rl.features {
			f := Feature{ID: rf.id, Type: typeName(rf.typ), Properties: map[string]any{}}
			if len(rf.tags)%2 != 0 {
				return nil, fmt.Errorf("mvtcheck: layer %q feature %d: odd number of tags", rl.name, fi)
			}
			for i := 0; i < len(rf.tags); i += 2 {
				k, v := rf.tags[i], rf.tags[i+1]
				if k >= uint64(len(rl.keys)) || v >= uint64(len(rl.values)) {
					return nil, fmt.Errorf("mvtcheck: layer %q feature %d: tag index out of range", rl.name, fi)
				}
				f.Properties[rl.keys[k]] = rl.values[v].value
			}
			g := walkGeometry(rf.typ, rf.geometry, nil)
			if g.fatal {
				return nil, fmt.Errorf("mvtcheck: layer %q feature %d: %s", rl.name, fi, g.issues[len(g.issues)-1].detail)
			}
			f.Geometry = g.parts
			l.Features = append(l.Features, f)
		}
		t.Layers = append(t.Layers, l)
	}
	return t, nil
}

func typeName(t uint64) string {
	switch t {
	case typePoint:
		return "Point"
	case typeLineString:
		return "LineString"
	case typePolygon:
		return "Polygon"
	}
	return "Unknown"
}

// JSON returns the tile as indented JSON with one feature a line, stable
// for the same tile (properties sorted by key), for golden files that
// show well in a diff.
func (t *Tile) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteString("{\"layers\": [")
	for li, l := range t.Layers {
		if li > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n  {\"name\": ")
		if err := enc.Encode(l.Name); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode ends with a newline
		fmt.Fprintf(&b, ", \"version\": %d, \"extent\": %d, \"features\": [", l.Version, l.Extent)
		for fi := range l.Features {
			if fi > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n    ")
			if err := enc.Encode(&l.Features[fi]); err != nil {
				return nil, err
			}
			b.Truncate(b.Len() - 1)
		}
		b.WriteString("\n  ]}")
	}
	b.WriteString("\n]}\n")
	return b.Bytes(), nil
}
