package mvtcheck

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// pb is a tiny protobuf writer, to build tiles by hand, good and bad.
type pb []byte

func (b pb) raw(v uint64) pb {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func (b pb) varint(field int, v uint64) pb { return b.raw(uint64(field) << 3).raw(v) }

func (b pb) bytes(field int, p []byte) pb {
	return append(b.raw(uint64(field)<<3|2).raw(uint64(len(p))), p...)
}

func (b pb) str(field int, s string) pb { return b.bytes(field, []byte(s)) }

func (b pb) packed(field int, vs ...uint64) pb {
	var p pb
	for _, v := range vs {
		p = p.raw(v)
	}
	return b.bytes(field, p)
}

func (b pb) fixed64(field int, v uint64) pb {
	b = b.raw(uint64(field)<<3 | 1)
	for i := 0; i < 64; i += 8 {
		b = append(b, byte(v>>i))
	}
	return b
}

// Geometry helpers: a command integer and a zigzag-encoded parameter.
func cmd(id, count int) uint64 { return uint64(count)<<3 | uint64(id) }
func zz(v int64) uint64        { return uint64(v<<1) ^ uint64(v>>63) }

// feat is a feature to encode; nil slices and -1 numbers leave fields out.
type feat struct {
	id   int64 // -1: no id
	tags []uint64
	typ  int64 // -1: no type
	geom []uint64
}

func (f feat) bytes() pb {
	var b pb
	if f.id >= 0 {
		b = b.varint(1, uint64(f.id))
	}
	if f.tags != nil {
		b = b.packed(2, f.tags...)
	}
	if f.typ >= 0 {
		b = b.varint(3, uint64(f.typ))
	}
	if f.geom != nil {
		b = b.packed(4, f.geom...)
	}
	return b
}

// lay is a layer to encode; version or extent -1 leaves the field out.
type lay struct {
	name            string
	noName          bool
	version, extent int64
	keys            []string
	values          []pb // encoded Value messages
	features        []feat
}

func (l lay) bytes() pb {
	var b pb
	if !l.noName {
		b = b.str(1, l.name)
	}
	for _, f := range l.features {
		b = b.bytes(2, f.bytes())
	}
	for _, k := range l.keys {
		b = b.str(3, k)
	}
	for _, v := range l.values {
		b = b.bytes(4, v)
	}
	if l.extent >= 0 {
		b = b.varint(5, uint64(l.extent))
	}
	if l.version >= 0 {
		b = b.varint(15, uint64(l.version))
	}
	return b
}

func tileOf(layers ...lay) []byte {
	var b pb
	for _, l := range layers {
		b = b.bytes(3, l.bytes())
	}
	return b
}

// Value messages.
func sval(s string) pb  { return pb(nil).str(1, s) }
func uval(v uint64) pb  { return pb(nil).varint(5, v) }
func dval(v float64) pb { return pb(nil).fixed64(3, math.Float64bits(v)) }

// A valid square ring (positive area, y down) and a hole inside it.
var (
	square = []uint64{cmd(cmdMoveTo, 1), zz(10), zz(10), cmd(cmdLineTo, 3), zz(20), zz(0), zz(0), zz(20), zz(-20), zz(0), cmd(cmdClosePath, 1)}
	hole   = []uint64{cmd(cmdMoveTo, 1), zz(5), zz(-15), cmd(cmdLineTo, 3), zz(0), zz(10), zz(10), zz(0), zz(0), zz(-10), cmd(cmdClosePath, 1)}
	line   = []uint64{cmd(cmdMoveTo, 1), zz(1), zz(1), cmd(cmdLineTo, 2), zz(10), zz(0), zz(0), zz(10)}
	point  = []uint64{cmd(cmdMoveTo, 1), zz(25), zz(17)}
)

// good returns a valid layer with one feature of each type.
func good() lay {
	return lay{
		name: "places", version: 2, extent: 4096,
		keys:   []string{"nom", "population"},
		values: []pb{sval("Lille"), uval(236234), dval(1.5)},
		features: []feat{
			{id: 1, tags: []uint64{0, 0, 1, 1}, typ: typePoint, geom: point},
			{id: 2, tags: []uint64{1, 2}, typ: typeLineString, geom: line},
			{id: 3, typ: typePolygon, geom: slices.Concat(square, hole)},
		},
	}
}

// with returns the good layer changed by f.
func with(f func(l *lay)) lay {
	l := good()
	f(&l)
	return l
}

// withGeom returns the good layer with one feature of type typ and
// geometry geom.
func withGeom(typ int64, geom ...uint64) lay {
	return with(func(l *lay) { l.features = []feat{{id: 1, typ: typ, geom: geom}} })
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		tile []byte
		want []string // rules broken, in order
	}{
		{"good", tileOf(good()), nil},
		{"good two layers", tileOf(good(), with(func(l *lay) { l.name = "other" })), nil},
		{"good empty tile", nil, nil},
		{"good multipoint", tileOf(withGeom(typePoint, cmd(cmdMoveTo, 3), zz(1), zz(1), zz(0), zz(0), zz(5), zz(5))), nil},
		{"good multipolygon", tileOf(withGeom(typePolygon, slices.Concat(square, hole, square)...)), nil},
		{"good multilinestring", tileOf(withGeom(typeLineString, slices.Concat(line, line)...)), nil},
		{"good coordinates in buffer", tileOf(withGeom(typePoint, cmd(cmdMoveTo, 2), zz(-64), zz(-64), zz(4096+128), zz(4096+128))), nil},
		{"good unknown fields skipped", append(tileOf(good()), pb(nil).varint(9, 7).str(10, "x")...), nil},

		{"version 1", tileOf(with(func(l *lay) { l.version = 1 })), []string{RuleLayerVersion}},
		{"version missing", tileOf(with(func(l *lay) { l.version = -1 })), []string{RuleLayerVersion}},
		{"extent missing", tileOf(with(func(l *lay) { l.extent = -1 })), []string{RuleLayerExtent}},
		{"extent 512", tileOf(with(func(l *lay) { l.extent = 512 })), []string{RuleLayerExtent}},
		{"layer name empty", tileOf(with(func(l *lay) { l.name = "" })), []string{RuleLayerName}},
		{"layer name missing", tileOf(with(func(l *lay) { l.noName = true })), []string{RuleLayerName}},
		{"layer name repeated", tileOf(good(), good()), []string{RuleLayerName}},
		{"duplicate key", tileOf(with(func(l *lay) { l.keys = append(l.keys, "nom") })), []string{RuleDuplicateKey}},
		{"duplicate value", tileOf(with(func(l *lay) { l.values = append(l.values, uval(236234)) })), []string{RuleDuplicateValue}},
		{"value without field", tileOf(with(func(l *lay) { l.values = append(l.values, pb(nil)) })), []string{RuleValue}},
		{"value with two fields", tileOf(with(func(l *lay) { l.values = append(l.values, uval(3).str(1, "x")) })), []string{RuleValue}},
		{"tags odd", tileOf(with(func(l *lay) { l.features[0].tags = []uint64{0, 0, 1} })), []string{RuleTags}},
		{"tags key out of range", tileOf(with(func(l *lay) { l.features[0].tags = []uint64{2, 0} })), []string{RuleTags}},
		{"tags value out of range", tileOf(with(func(l *lay) { l.features[0].tags = []uint64{0, 3} })), []string{RuleTags}},
		{"id missing", tileOf(with(func(l *lay) { l.features[1].id = -1 })), []string{RuleFeatureID}},
		{"id repeated", tileOf(with(func(l *lay) { l.features[2].id = 1 })), []string{RuleFeatureID}},
		{"type missing", tileOf(with(func(l *lay) { l.features[0].typ = -1 })), []string{RuleGeometryType}},
		{"type unknown", tileOf(withGeom(typeUnknown, point...)), []string{RuleGeometryType}},
		{"type 4", tileOf(withGeom(4, point...)), []string{RuleGeometryType}},
		{"geometry missing", tileOf(with(func(l *lay) { l.features[0].geom = nil })), []string{RuleCommand}},
		{"command unknown", tileOf(withGeom(typePoint, cmd(3, 1), zz(1), zz(1))), []string{RuleCommand}},
		{"command LineTo first", tileOf(withGeom(typeLineString, cmd(cmdLineTo, 1), zz(1), zz(1))), []string{RuleCommand}},
		{"command LineTo in point", tileOf(withGeom(typePoint, slices.Concat(point, []uint64{cmd(cmdLineTo, 1), zz(1), zz(1)})...)), []string{RuleCommand}},
		{"command two MoveTo in point", tileOf(withGeom(typePoint, slices.Concat(point, point)...)), []string{RuleCommand}},
		{"command ClosePath in line", tileOf(withGeom(typeLineString, slices.Concat(line, []uint64{cmd(cmdClosePath, 1)})...)), []string{RuleCommand}},
		{"moveto count 0", tileOf(withGeom(typePoint, cmd(cmdMoveTo, 0))), []string{RuleMoveTo}},
		{"moveto count 2 in line", tileOf(withGeom(typeLineString, cmd(cmdMoveTo, 2), zz(1), zz(1), zz(2), zz(2), cmd(cmdLineTo, 1), zz(5), zz(5))), []string{RuleMoveTo}},
		{"moveto count 2 in ring", tileOf(withGeom(typePolygon, cmd(cmdMoveTo, 2), zz(1), zz(1), zz(9), zz(0), cmd(cmdLineTo, 2), zz(0), zz(9), zz(-9), zz(0), cmd(cmdClosePath, 1))), []string{RuleMoveTo}},
		{"lineto missing in line", tileOf(withGeom(typeLineString, cmd(cmdMoveTo, 1), zz(1), zz(1))), []string{RuleLineTo}},
		{"lineto missing before next line", tileOf(withGeom(typeLineString, slices.Concat([]uint64{cmd(cmdMoveTo, 1), zz(1), zz(1)}, line)...)), []string{RuleLineTo}},
		{"lineto count 0", tileOf(withGeom(typeLineString, slices.Concat(line, []uint64{cmd(cmdLineTo, 0)})...)), []string{RuleLineTo}},
		{"lineto 1 in ring", tileOf(withGeom(typePolygon, cmd(cmdMoveTo, 1), zz(1), zz(1), cmd(cmdLineTo, 1), zz(5), zz(5), cmd(cmdClosePath, 1))), []string{RuleLineTo, RuleZeroArea}},
		{"closepath missing", tileOf(withGeom(typePolygon, square[:len(square)-1]...)), []string{RuleClosePath}},
		{"closepath missing before next ring", tileOf(withGeom(typePolygon, slices.Concat(square[:len(square)-1], square)...)), []string{RuleClosePath}},
		{"closepath count 2", tileOf(withGeom(typePolygon, slices.Concat(square[:len(square)-1], []uint64{cmd(cmdClosePath, 2)})...)), []string{RuleClosePath}},
		{"zero-length lineto", tileOf(withGeom(typeLineString, slices.Concat(line, []uint64{cmd(cmdLineTo, 2), zz(0), zz(0), zz(3), zz(0)})...)), []string{RuleZeroLength}},
		{"repeated first point", tileOf(withGeom(typePolygon, cmd(cmdMoveTo, 1), zz(10), zz(10), cmd(cmdLineTo, 4), zz(20), zz(0), zz(0), zz(20), zz(-20), zz(0), zz(0), zz(-20), cmd(cmdClosePath, 1))), []string{RuleRepeatedPoint}},
		{"parameters truncated", tileOf(withGeom(typeLineString, cmd(cmdMoveTo, 1), zz(1), zz(1), cmd(cmdLineTo, 2), zz(3), zz(3), zz(4))), []string{RuleParameters}},
		{"parameters overflow", tileOf(withGeom(typePoint, cmd(cmdMoveTo, 1), 1<<33, zz(1))), []string{RuleParameters}},
		{"command integer overflow", tileOf(withGeom(typePoint, 1<<40|cmdMoveTo, zz(1), zz(1))), []string{RuleParameters}},
		{"winding exterior negative", tileOf(withGeom(typePolygon, cmd(cmdMoveTo, 1), zz(10), zz(10), cmd(cmdLineTo, 3), zz(0), zz(20), zz(20), zz(0), zz(0), zz(-20), cmd(cmdClosePath, 1))), []string{RuleWinding}},
		{"winding hole only", tileOf(withGeom(typePolygon, hole...)), []string{RuleWinding}},
		{"zero-area ring", tileOf(withGeom(typePolygon, cmd(cmdMoveTo, 1), zz(1), zz(1), cmd(cmdLineTo, 2), zz(5), zz(5), zz(5), zz(5), cmd(cmdClosePath, 1))), []string{RuleZeroArea}},
		{"coordinates beyond buffer", tileOf(withGeom(typePoint, cmd(cmdMoveTo, 1), zz(4096+65), zz(0))), []string{RuleCoordinates}},
		{"coordinates negative", tileOf(withGeom(typeLineString, cmd(cmdMoveTo, 1), zz(-65), zz(0), cmd(cmdLineTo, 1), zz(100), zz(0))), []string{RuleCoordinates}},
		{"several rules", tileOf(with(func(l *lay) {
			l.version = 1
			l.features[1].id = 1
		})), []string{RuleLayerVersion, RuleFeatureID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			probs, err := Validate(tc.tile, 4096, 64)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			var got []string
			for _, p := range probs {
				got = append(got, p.Rule)
				if p.Detail == "" || p.Layer == "" {
					t.Errorf("problem without detail or layer: %+v", p)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rules = %v, want %v\n%s", got, tc.want, Summary(probs))
			}
		})
	}
}

func TestValidateProblemFields(t *testing.T) {
	tile := tileOf(with(func(l *lay) {
		l.features[2].geom = slices.Concat(square, []uint64{cmd(cmdMoveTo, 1), zz(0), zz(0), cmd(cmdLineTo, 3), zz(1), zz(0), zz(0), zz(0), zz(0), zz(0), cmd(cmdClosePath, 1)})
	}))
	probs, err := Validate(tile, 4096, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 2 {
		t.Fatalf("got %d problems, want 2:\n%s", len(probs), Summary(probs))
	}
	p := probs[0]
	if p.Layer != "places" || p.Feature != 2 || p.Rule != RuleZeroLength {
		t.Errorf("problem = %+v", p)
	}
	if !strings.Contains(p.Detail, "2 times") {
		t.Errorf("detail %q does not count repeats", p.Detail)
	}
	if probs[1].Rule != RuleZeroArea {
		t.Errorf("second problem = %+v, want %s", probs[1], RuleZeroArea)
	}
}

func TestValidateUndecodable(t *testing.T) {
	cases := []struct {
		name string
		tile []byte
	}{
		{"truncated varint", []byte{0x1a, 0x80}},
		{"length past end", []byte{0x1a, 0x05, 0x0a}},
		{"group wire type", []byte{0x1b}},
		{"field 0", []byte{0x02, 0x00}},
		{"layer as varint", []byte{0x18, 0x01}},
		{"feature id as bytes", pb(nil).bytes(3, pb(nil).str(1, "x").bytes(2, pb(nil).str(1, "12")))},
		{"truncated packed geometry", pb(nil).bytes(3, pb(nil).str(1, "x").bytes(2, pb(nil).bytes(4, []byte{0x89})))},
		{"truncated fixed64 value", pb(nil).bytes(3, pb(nil).str(1, "x").bytes(4, []byte{0x19, 1, 2}))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Validate(tc.tile, 4096, 64); err == nil {
				t.Error("Validate: no error")
			}
			if _, err := Decode(tc.tile); err == nil {
				t.Error("Decode: no error")
			}
		})
	}
}

func TestDecode(t *testing.T) {
	got, err := Decode(tileOf(good()))
	if err != nil {
		t.Fatal(err)
	}
	want := &Tile{Layers: []Layer{{
		Name: "places", Version: 2, Extent: 4096,
		Features: []Feature{
			{ID: 1, Type: "Point", Properties: map[string]any{"nom": "Lille", "population": uint64(236234)}, Geometry: [][][2]int64{{{25, 17}}}},
			{ID: 2, Type: "LineString", Properties: map[string]any{"population": 1.5}, Geometry: [][][2]int64{{{1, 1}, {11, 1}, {11, 11}}}},
			{ID: 3, Type: "Polygon", Properties: map[string]any{}, Geometry: [][][2]int64{
				{{10, 10}, {30, 10}, {30, 30}, {10, 30}},
				{{15, 15}, {15, 25}, {25, 25}, {25, 15}},
			}},
		},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode =\n%+v\nwant\n%+v", got, want)
	}

	js, err := got.JSON()
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"layers": [
  {"name": "places", "version": 2, "extent": 4096, "features": [
    {"id":1,"type":"Point","properties":{"nom":"Lille","population":236234},"geometry":[[[25,17]]]},
    {"id":2,"type":"LineString","properties":{"population":1.5},"geometry":[[[1,1],[11,1],[11,11]]]},
    {"id":3,"type":"Polygon","properties":{},"geometry":[[[10,10],[30,10],[30,30],[10,30]],[[15,15],[15,25],[25,25],[25,15]]]}
  ]}
]}
`
	if string(js) != wantJSON {
		t.Errorf("JSON =\n%s\nwant\n%s", js, wantJSON)
	}
}

func TestDecodeDefaultsAndValues(t *testing.T) {
	l := lay{
		name: "v", version: -1, extent: -1,
		keys: []string{"s", "f", "d", "i", "u", "z", "b"},
		values: []pb{
			sval("<é>"),
			append(pb(nil).raw(2<<3|5), 0, 0, 0xc0, 0x3f), // float 1.5
			dval(-2.25),
			pb(nil).varint(4, uint64(1<<64-3)), // int -3
			uval(7),
			pb(nil).varint(6, zz(-4)),
			pb(nil).varint(7, 1),
		},
		features: []feat{{id: 9, tags: []uint64{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}, typ: typePoint, geom: point}},
	}
	got, err := Decode(tileOf(l))
	if err != nil {
		t.Fatal(err)
	}
	gl := got.Layers[0]
	if gl.Version != 1 || gl.Extent != 4096 {
		t.Errorf("defaults: version %d extent %d, want 1 and 4096", gl.Version, gl.Extent)
	}
	want := map[string]any{"s": "<é>", "f": float32(1.5), "d": -2.25, "i": int64(-3), "u": uint64(7), "z": int64(-4), "b": true}
	if !reflect.DeepEqual(gl.Features[0].Properties, want) {
		t.Errorf("properties = %#v, want %#v", gl.Features[0].Properties, want)
	}
}

func TestDecodeBadTags(t *testing.T) {
	for name, tags := range map[string][]uint64{"odd": {0}, "out of range": {0, 9}} {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode(tileOf(with(func(l *lay) { l.features[0].tags = tags }))); err == nil {
				t.Error("no error")
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	tile := tileOf(with(func(l *lay) {
		for i := range 1000 {
			l.features = append(l.features, feat{id: int64(10 + i), typ: typePolygon, geom: slices.Concat(square, hole)})
		}
	}))
	b.ReportAllocs()
	b.SetBytes(int64(len(tile)))
	for b.Loop() {
		if _, err := Validate(tile, 4096, 64); err != nil {
			b.Fatal(err)
		}
	}
}
