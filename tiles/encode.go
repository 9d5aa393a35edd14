package tiles

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/maptile"
)

// Feature is one feature of a layer.
type Feature struct {
	// ID is the MVT feature id: unique within its layer, never 0.
	ID uint64

	// Geometry is in world coordinates (see ToWorld). Points, lines and
	// polygons and their multi forms are supported, and so is orb.Bound
	// (as a polygon); collections are not, as MVT has no such type.
	Geometry orb.Geometry

	// Properties are the feature's attributes. Values may be string, bool,
	// float32, float64 or any Go integer type; nil values are left out.
	Properties map[string]any

	// Bound, when not empty, is the bound of Geometry, computed once by a
	// caller that encodes the same feature into many tiles; Encode
	// computes it otherwise.
	Bound orb.Bound
}

// Layer is a named set of features, written as one layer of a tile.
type Layer struct {
	Name     string
	Features []Feature

	// Grid, when above 1, quantises the layer's coordinates to multiples
	// of Grid tile units instead of every unit: a 512-pixel tile has 8
	// units per pixel, so a Grid of 8 keeps what a pixel can show and lets
	// the points that fall on the same pixel merge. Every feature of the
	// layer is snapped to the same grid, so borders shared by neighbours
	// stay shared. A polygon feature smaller than a grid cell, which would
	// collapse, is written at unit precision instead: no feature
	// disappears. The extent stays Extent.
	Grid int32
}

// Errors returned by Encode, wrapped with the layer and feature concerned.
var (
	// ErrLayerName means a layer name is empty or used twice.
	ErrLayerName = errors.New("tiles: layer name empty or not unique")
	// ErrZeroID means a feature has the id 0, which MVT readers take for
	// "no id".
	ErrZeroID = errors.New("tiles: feature id 0")
	// ErrDuplicateID means two features of a layer share an id.
	ErrDuplicateID = errors.New("tiles: duplicate feature id")
	// ErrUnsupported means a geometry or property value has a type MVT
	// cannot hold.
	ErrUnsupported = errors.New("tiles: unsupported type")
)

// Geometry types of the MVT specification.
const (
	geomPoint      = 1
	geomLineString = 2
	geomPolygon    = 3
)

// Command ids of the MVT geometry encoding.
const (
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// Encode builds one MVT 2.1 tile (uncompressed protobuf) holding the given
// layers, in their order, as seen from tile t.
//
// For each feature, Encode clips the geometry to the tile plus Buffer
// (polygons with a polygon clip, lines with a line clip, points outside are
// dropped), converts it to integer tile coordinates (extent 4096), removes
// points that repeat the previous one after rounding, drops rings left with
// fewer than 3 distinct points or no area (and the holes of a dropped
// exterior ring) and lines left with fewer than 2 points. It then orients
// rings as MVT 2.1 requires (in tile coordinates, y down: exterior rings
// have a positive shoelace area, holes a negative one, each hole right
// after its exterior). Features left without geometry, and layers left
// without features, are not written.
//
// Layers are written with version 2 and extent 4096, keys and values
// deduplicated (property keys sorted within a feature, so that the same
// input always gives the same bytes), and feature ids as given. Encode
// returns an error if a layer name is empty or repeated, if a feature id is
// 0 or repeated within its layer, or if a feature written to the tile has a
// geometry or property type MVT cannot hold. It returns (nil, nil) when no
// feature remains: an empty tile.
//
// Encode never modifies its input, and may be called concurrently.
func Encode(t maptile.Tile, layers []Layer) ([]byte, error) {
	e := encoderPool.Get().(*encoder)
	defer encoderPool.Put(e)
	return e.encode(t, layers)
}

// encoderPool keeps the scratch buffers of Encode between calls, so a
// tile server encoding thousands of tiles allocates little beyond its
// output.
var encoderPool = sync.Pool{New: func() any {
	return &encoder{
		ids:    make(map[uint64]struct{}),
		names:  make(map[string]struct{}),
		keyIdx: make(map[string]uint32),
		strIdx: make(map[string]uint32),
	}
}}

// ipoint is a point in integer tile coordinates.
type ipoint struct{ x, y int32 }

// encoder holds the state and scratch buffers of one Encode call.
type encoder struct {
	// Where the tile lies.
	n      float64   // 2^z
	tx, ty float64   // tile column and row
	world  orb.Bound // the tile and its buffer, in world coordinates
	box    orb.Bound // the tile and its buffer, in tile coordinates

	// The layer being encoded: its quantum, in tile units (1 = none).
	grid float64

	// The feature being encoded.
	pts     orb.Ring    // projected coordinates
	clipBuf [2]orb.Ring // clipping scratch space
	ipts    []ipoint    // rounded coordinates of every kept part
	parts   []int       // end index in ipts of each kept part
	geom    []byte      // encoded geometry commands
	tags    []byte      // encoded tags
	keys    []string    // sorted property keys

	// The layer being encoded.
	ids     map[uint64]struct{}
	keyList []string             // keys in index order
	keyIdx  map[string]uint32    // index of each key
	strIdx  map[string]uint32    // index of each string value
	numIdx  [8]map[uint64]uint32 // index of each other value, by Tile.Value field
	nvals   uint32               // number of values
	feats   []byte               // encoded features
	kbuf    []byte               // encoded keys
	vbuf    []byte               // encoded values

	// The tile.
	names map[string]struct{}
	tile  []byte
}

func (e *encoder) encode(t maptile.Tile, layers []Layer) ([]byte, error) {
	e.n = math.Ldexp(1, int(t.Z))
	e.tx, e.ty = float64(t.X), float64(t.Y)
	b := TileBound(t)
	pad := Buffer / (Extent * e.n)
	e.world = orb.Bound{
		Min: orb.Point{b.Min[0] - pad, b.Min[1] - pad},
		Max: orb.Point{b.Max[0] + pad, b.Max[1] + pad},
	}
	e.box = orb.Bound{Min: orb.Point{-Buffer, -Buffer}, Max: orb.Point{Extent + Buffer, Extent + Buffer}}

	clear(e.names)
	e.tile = e.tile[:0]
	for li := range layers {
		l := &layers[li]
		if _, dup := e.names[l.Name]; dup || l.Name == "" {
			return nil, fmt.Errorf("layer %d %q: %w", li, l.Name, ErrLayerName)
		}
		e.names[l.Name] = struct{}{}
		e.grid = 1
		if l.Grid > 1 {
			e.grid = float64(l.Grid)
		}
		if err := e.layer(l); err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.Name, err)
		}
	}
	if len(e.tile) == 0 {
		return nil, nil
	}
	return slices.Clone(e.tile), nil
}

// layer appends the layer to e.tile, unless none of its features is left.
func (e *encoder) layer(l *Layer) error {
	e.ids = reset(e.ids)
	for i := range l.Features {
		id := l.Features[i].ID
		if id == 0 {
			return fmt.Errorf("feature %d: %w", i, ErrZeroID)
		}
		if _, dup := e.ids[id]; dup {
			return fmt.Errorf("feature %d: id %d: %w", i, id, ErrDuplicateID)
		}
		e.ids[id] = struct{}{}
	}

	e.keyIdx = reset(e.keyIdx)
	e.strIdx = reset(e.strIdx)
	for i, m := range e.numIdx {
		if m != nil {
			e.numIdx[i] = reset(m)
		}
	}
	e.keyList, e.nvals = e.keyList[:0], 0
	e.feats, e.kbuf, e.vbuf = e.feats[:0], e.kbuf[:0], e.vbuf[:0]
	for i := range l.Features {
		if err := e.feature(&l.Features[i]); err != nil {
			return fmt.Errorf("feature %d (id %d): %w", i, l.Features[i].ID, err)
		}
	}
	if len(e.feats) == 0 {
		return nil
	}

	// Layer fields in field-number order: name 1, features 2, keys 3,
	// values 4, extent 5, version 15.
	size := 1 + varintLen(uint64(len(l.Name))) + len(l.Name) +
		len(e.feats) + len(e.kbuf) + len(e.vbuf) +
		1 + varintLen(Extent) + 1 + 1
	e.tile = append(e.tile, 0x1a) // Tile.layers, field 3, bytes
	e.tile = appendVarint(e.tile, uint64(size))
	e.tile = append(e.tile, 0x0a)
	e.tile = appendVarint(e.tile, uint64(len(l.Name)))
	e.tile = append(e.tile, l.Name...)
	e.tile = append(e.tile, e.feats...)
	e.tile = append(e.tile, e.kbuf...)
	e.tile = append(e.tile, e.vbuf...)
	e.tile = append(e.tile, 0x28)
	e.tile = appendVarint(e.tile, Extent)
	e.tile = append(e.tile, 0x78, 2)
	return nil
}

// feature appends the feature to e.feats if some of its geometry is left
// in the tile.
func (e *encoder) feature(f *Feature) error {
	if f.Geometry == nil {
		return nil
	}
	fb := f.Bound
	if fb.IsZero() {
		fb = bound(f.Geometry)
	}
	if !e.world.Intersects(fb) {
		return nil
	}
	// A feature entirely within the buffered tile needs no clipping.
	clipped := !(e.world.Contains(fb.Min) && e.world.Contains(fb.Max))

	e.ipts, e.parts = e.ipts[:0], e.parts[:0]
	var typ byte
	switch g := f.Geometry.(type) {
	case orb.Point:
		typ = geomPoint
		e.point(g)
	case orb.MultiPoint:
		typ = geomPoint
		for _, p := range g {
			e.point(p)
		}
	case orb.LineString:
		typ = geomLineString
		e.lineString(g, clipped)
	case orb.MultiLineString:
		typ = geomLineString
		for _, ls := range g {
			e.lineString(ls, clipped)
		}
	case orb.Ring:
		typ = geomPolygon
		e.polygon(orb.Polygon{g}, clipped, fb)
	case orb.Polygon:
		typ = geomPolygon
		e.polygon(g, clipped, fb)
	case orb.MultiPolygon:
		typ = geomPolygon
		for _, p := range g {
			if len(g) == 1 {
				e.polygon(p, clipped, fb)
			} else {
				e.polygon(p, clipped, orb.Bound{})
			}
		}
	case orb.Bound:
		typ = geomPolygon
		e.polygon(g.ToPolygon(), clipped, fb)
	default:
		return fmt.Errorf("geometry %T: %w", f.Geometry, ErrUnsupported)
	}
	if typ == geomPolygon && len(e.parts) == 0 && e.grid > 1 {
		// Smaller than a grid cell, the polygon collapsed: write it at
		// unit precision instead, so that no feature disappears (its
		// outline stays within half a cell of its neighbours').
		grid := e.grid
		e.grid = 1
		switch g := f.Geometry.(type) {
		case orb.Ring:
			e.polygon(orb.Polygon{g}, clipped, fb)
		case orb.Polygon:
			e.polygon(g, clipped, fb)
		case orb.MultiPolygon:
			for _, p := range g {
				e.polygon(p, clipped, orb.Bound{})
			}
		case orb.Bound:
			e.polygon(g.ToPolygon(), clipped, fb)
		}
		e.grid = grid
	}
	if typ == geomPoint && len(e.ipts) > 0 {
		e.parts = append(e.parts, len(e.ipts))
	}
	if len(e.parts) == 0 {
		return nil
	}

	e.encodeGeometry(typ)
	if err := e.properties(f.Properties); err != nil {
		return err
	}

	// Feature fields: id 1, tags 2, type 3, geometry 4.
	size := 1 + varintLen(f.ID) + 2 + 1 + varintLen(uint64(len(e.geom))) + len(e.geom)
	if len(e.tags) > 0 {
		size += 1 + varintLen(uint64(len(e.tags))) + len(e.tags)
	}
	e.feats = append(e.feats, 0x12) // Layer.features, field 2, bytes
	e.feats = appendVarint(e.feats, uint64(size))
	e.feats = append(e.feats, 0x08)
	e.feats = appendVarint(e.feats, f.ID)
	if len(e.tags) > 0 {
		e.feats = append(e.feats, 0x12)
		e.feats = appendVarint(e.feats, uint64(len(e.tags)))
		e.feats = append(e.feats, e.tags...)
	}
	e.feats = append(e.feats, 0x18, typ, 0x22)
	e.feats = appendVarint(e.feats, uint64(len(e.geom)))
	e.feats = append(e.feats, e.geom...)
	return nil
}

// reset empties a scratch map for reuse; a map that grew large (a
// low-zoom tile) is replaced, since clearing costs its whole capacity on
// every later, smaller tile.
func reset[K comparable, V any](m map[K]V) map[K]V {
	if len(m) > 512 {
		return make(map[K]V)
	}
	clear(m)
	return m
}

// bound returns the bound of g, like g.Bound() but faster on long rings,
// which matters as Encode computes it for every candidate feature.
func bound(g orb.Geometry) orb.Bound {
	switch g := g.(type) {
	case orb.Ring:
		return pointsBound(g)
	case orb.Polygon:
		if len(g) == 0 {
			return orb.Bound{}
		}
		return pointsBound(g[0]) // holes lie within the exterior
	case orb.MultiPolygon:
		var b orb.Bound
		first := true
		for _, p := range g {
			if len(p) == 0 || len(p[0]) == 0 {
				continue
			}
			pb := pointsBound(p[0])
			if first {
				b, first = pb, false
			} else {
				b = b.Union(pb)
			}
		}
		return b
	case orb.LineString:
		return pointsBound(g)
	}
	return g.Bound()
}

func pointsBound(ps []orb.Point) orb.Bound {
	if len(ps) == 0 {
		return orb.Bound{}
	}
	minX, minY := ps[0][0], ps[0][1]
	maxX, maxY := minX, minY
	for _, p := range ps[1:] {
		if p[0] < minX {
			minX = p[0]
		} else if p[0] > maxX {
			maxX = p[0]
		}
		if p[1] < minY {
			minY = p[1]
		} else if p[1] > maxY {
			maxY = p[1]
		}
	}
	return orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}
}

// project converts points from world to tile coordinates into e.pts and
// returns it. With closed set, the result ends with its first point.
func (e *encoder) project(ps []orb.Point, closed bool) orb.Ring {
	out := e.pts[:0]
	for _, p := range ps {
		// p*2^z is exact, so is the shift by the tile's column or row: the
		// only rounding left is that of the input.
		out = append(out, orb.Point{(p[0]*e.n - e.tx) * Extent, (p[1]*e.n - e.ty) * Extent})
	}
	if closed && len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	e.pts = out
	return out
}

// round returns the point of the layer's grid nearest p, in tile
// coordinates.
func (e *encoder) round(p orb.Point) ipoint {
	if e.grid == 1 {
		return ipoint{int32(math.Round(p[0])), int32(math.Round(p[1]))}
	}
	return ipoint{int32(math.Round(p[0]/e.grid) * e.grid), int32(math.Round(p[1]/e.grid) * e.grid)}
}

// point keeps p, a point in world coordinates, if it lies in the buffered
// tile and differs from the previous point kept.
func (e *encoder) point(p orb.Point) {
	q := e.round(orb.Point{(p[0]*e.n - e.tx) * Extent, (p[1]*e.n - e.ty) * Extent})
	if q.x < -Buffer || q.x > Extent+Buffer || q.y < -Buffer || q.y > Extent+Buffer {
		return
	}
	if n := len(e.ipts); n > 0 && e.ipts[n-1] == q {
		return
	}
	e.ipts = append(e.ipts, q)
}

// lineString clips, rounds and keeps the parts of ls that are left with at
// least two distinct points.
func (e *encoder) lineString(ls orb.LineString, clipped bool) {
	pts := e.project(ls, false)
	if !clipped {
		e.line(pts)
		return
	}
	for _, part := range clip.LineString(e.box, orb.LineString(pts)) {
		e.line(part)
	}
}

func (e *encoder) line(ps []orb.Point) {
	start := len(e.ipts)
	e.appendRounded(ps)
	if len(e.ipts)-start < 2 {
		e.ipts = e.ipts[:start]
		return
	}
	e.parts = append(e.parts, len(e.ipts))
}

// appendRounded appends the rounded points of ps to e.ipts, leaving out
// points equal to the one before.
func (e *encoder) appendRounded(ps []orb.Point) {
	start := len(e.ipts)
	for _, p := range ps {
		q := e.round(p)
		if n := len(e.ipts); n > start && e.ipts[n-1] == q {
			continue
		}
		e.ipts = append(e.ipts, q)
	}
}

// polygon clips, rounds and orients the rings of p. It keeps nothing if
// the exterior ring is lost, and drops the holes that are lost. pb, when
// not empty, is the bound of p's exterior ring.
func (e *encoder) polygon(p orb.Polygon, clipped bool, pb orb.Bound) {
	for i, r := range p {
		ringClipped := clipped
		if clipped {
			// Most rings of a clipped multipolygon lie wholly inside or
			// outside the tile: only those crossing its edge are clipped.
			rb := pb
			if i > 0 || rb.IsZero() {
				rb = pointsBound(r)
			}
			if !e.world.Intersects(rb) {
				if i == 0 {
					return
				}
				continue
			}
			ringClipped = !(e.world.Contains(rb.Min) && e.world.Contains(rb.Max))
		}
		pts := e.project(r, true)
		if ringClipped {
			pts = e.clipRing(pts)
		}
		if !e.ring(pts, i == 0) && i == 0 {
			return
		}
	}
}

// clipRing clips the closed ring ps, in tile coordinates, to the buffered
// tile (Sutherland–Hodgman, one pass per edge), in scratch buffers: the
// result is valid until the next call. Parts of the ring outside the box
// become segments along its edges, which rounding and ring() tidy up.
func (e *encoder) clipRing(ps orb.Ring) orb.Ring {
	lo, hi := float64(-Buffer), float64(Extent+Buffer)
	in := ps
	for edge := 0; edge < 4; edge++ {
		out := e.clipBuf[edge%2][:0]
		if len(in) == 0 {
			break
		}
		inside := func(p orb.Point) bool {
			switch edge {
			case 0:
				return p[0] >= lo
			case 1:
				return p[0] <= hi
			case 2:
				return p[1] >= lo
			}
			return p[1] <= hi
		}
		cut := func(a, b orb.Point) orb.Point {
			var t float64
			switch edge {
			case 0:
				t = (lo - a[0]) / (b[0] - a[0])
				return orb.Point{lo, a[1] + t*(b[1]-a[1])}
			case 1:
				t = (hi - a[0]) / (b[0] - a[0])
				return orb.Point{hi, a[1] + t*(b[1]-a[1])}
			case 2:
				t = (lo - a[1]) / (b[1] - a[1])
				return orb.Point{a[0] + t*(b[0]-a[0]), lo}
			}
			t = (hi - a[1]) / (b[1] - a[1])
			return orb.Point{a[0] + t*(b[0]-a[0]), hi}
		}
		prev := in[len(in)-1]
		prevIn := inside(prev)
		for _, p := range in {
			pIn := inside(p)
			switch {
			case pIn && prevIn:
				out = append(out, p)
			case pIn:
				out = append(out, cut(prev, p), p)
			case prevIn:
				out = append(out, cut(prev, p))
			}
			prev, prevIn = p, pIn
		}
		e.clipBuf[edge%2] = out
		in = out
	}
	if len(in) > 0 && in[0] != in[len(in)-1] {
		in = append(in, in[0])
		e.clipBuf[1] = in
	}
	return in
}

// ring rounds the closed ring ps into e.ipts and orients it: positive area
// for an exterior ring, negative for a hole. It reports false, keeping
// nothing, if the ring is left with fewer than 3 distinct points or no area.
func (e *encoder) ring(ps orb.Ring, exterior bool) bool {
	start := len(e.ipts)
	e.appendRounded(ps)
	// MVT closes rings implicitly: drop the closing points.
	for len(e.ipts)-start > 1 && e.ipts[len(e.ipts)-1] == e.ipts[start] {
		e.ipts = e.ipts[:len(e.ipts)-1]
	}
	r := e.ipts[start:]
	if len(r) < 3 {
		e.ipts = e.ipts[:start]
		return false
	}
	a := area2(r)
	if a == 0 {
		e.ipts = e.ipts[:start]
		return false
	}
	if exterior != (a > 0) {
		slices.Reverse(r)
	}
	e.parts = append(e.parts, len(e.ipts))
	return true
}

// area2 returns twice the signed area of the ring r (implicitly closed):
// the shoelace sum, positive for a clockwise ring on screen (y down).
func area2(r []ipoint) int64 {
	var s int64
	prev := r[len(r)-1]
	for _, p := range r {
		s += int64(prev.x)*int64(p.y) - int64(p.x)*int64(prev.y)
		prev = p
	}
	return s
}

// encodeGeometry writes the command stream of the kept parts to e.geom.
func (e *encoder) encodeGeometry(typ byte) {
	g := e.geom[:0]
	var cur ipoint
	param := func(p ipoint) {
		g = appendVarint(g, uint64(zigzag(p.x-cur.x)))
		g = appendVarint(g, uint64(zigzag(p.y-cur.y)))
		cur = p
	}
	if typ == geomPoint {
		g = appendVarint(g, command(cmdMoveTo, len(e.ipts)))
		for _, p := range e.ipts {
			param(p)
		}
		e.geom = g
		return
	}
	start := 0
	for _, end := range e.parts {
		part := e.ipts[start:end]
		start = end
		g = appendVarint(g, command(cmdMoveTo, 1))
		param(part[0])
		g = appendVarint(g, command(cmdLineTo, len(part)-1))
		for _, p := range part[1:] {
			param(p)
		}
		if typ == geomPolygon {
			g = appendVarint(g, command(cmdClosePath, 1))
		}
	}
	e.geom = g
}

func command(id, count int) uint64 { return uint64(count)<<3 | uint64(id) }

func zigzag(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }

// properties writes the feature's tags to e.tags, adding new keys and
// values to the layer.
func (e *encoder) properties(props map[string]any) error {
	e.keys = e.keys[:0]
	for k, v := range props {
		if v != nil {
			e.keys = append(e.keys, k)
		}
	}
	slices.Sort(e.keys)
	e.tags = e.tags[:0]
	for _, k := range e.keys {
		vk, err := toValueKey(props[k])
		if err != nil {
			return fmt.Errorf("property %q: %w", k, err)
		}
		e.tags = appendVarint(e.tags, uint64(e.key(k)))
		e.tags = appendVarint(e.tags, uint64(e.value(vk)))
	}
	return nil
}

// key returns the index of key k in the layer, adding it if new.
func (e *encoder) key(k string) uint32 {
	// Layers have few keys: a scan beats hashing.
	if len(e.keyList) <= 16 {
		for i, s := range e.keyList {
			if s == k {
				return uint32(i)
			}
		}
	} else if i, ok := e.keyIdx[k]; ok {
		return i
	}
	i := uint32(len(e.keyList))
	e.keyList = append(e.keyList, k)
	e.keyIdx[k] = i
	e.kbuf = append(e.kbuf, 0x1a) // Layer.keys, field 3, bytes
	e.kbuf = appendVarint(e.kbuf, uint64(len(k)))
	e.kbuf = append(e.kbuf, k...)
	return i
}

// value returns the index of value v in the layer, adding it if new.
func (e *encoder) value(v valueKey) uint32 {
	var i uint32
	var ok bool
	nums := e.numIdx[v.field]
	if v.field == valString {
		i, ok = e.strIdx[v.str]
	} else if nums != nil {
		i, ok = nums[v.num]
	}
	if ok {
		return i
	}
	i = e.nvals
	e.nvals++
	switch {
	case v.field == valString:
		e.strIdx[v.str] = i
	case nums == nil:
		e.numIdx[v.field] = map[uint64]uint32{v.num: i}
	default:
		nums[v.num] = i
	}
	e.vbuf = v.appendMessage(e.vbuf)
	return i
}

// valueKey is a property value as it is encoded: two values are duplicates
// exactly when their keys are equal.
type valueKey struct {
	field uint8  // field number in the Tile.Value message
	num   uint64 // bits of numbers and booleans
	str   string
}

// Fields of the Tile.Value message.
const (
	valString = 1
	valFloat  = 2
	valDouble = 3
	valUint   = 5
	valSint   = 6
	valBool   = 7
)

// toValueKey returns the encoding of v. Integers are written as uint_value
// when not negative and as sint_value otherwise, whatever their Go type,
// so that 3 and int64(3) are one value.
func toValueKey(v any) (valueKey, error) {
	switch v := v.(type) {
	case string:
		return valueKey{field: valString, str: v}, nil
	case bool:
		var n uint64
		if v {
			n = 1
		}
		return valueKey{field: valBool, num: n}, nil
	case float64:
		return valueKey{field: valDouble, num: math.Float64bits(v)}, nil
	case float32:
		return valueKey{field: valFloat, num: uint64(math.Float32bits(v))}, nil
	case int:
		return intValue(int64(v)), nil
	case int8:
		return intValue(int64(v)), nil
	case int16:
		return intValue(int64(v)), nil
	case int32:
		return intValue(int64(v)), nil
	case int64:
		return intValue(v), nil
	case uint:
		return valueKey{field: valUint, num: uint64(v)}, nil
	case uint8:
		return valueKey{field: valUint, num: uint64(v)}, nil
	case uint16:
		return valueKey{field: valUint, num: uint64(v)}, nil
	case uint32:
		return valueKey{field: valUint, num: uint64(v)}, nil
	case uint64:
		return valueKey{field: valUint, num: v}, nil
	}
	return valueKey{}, fmt.Errorf("value %T: %w", v, ErrUnsupported)
}

func intValue(v int64) valueKey {
	if v >= 0 {
		return valueKey{field: valUint, num: uint64(v)}
	}
	return valueKey{field: valSint, num: uint64(v<<1) ^ uint64(v>>63)}
}

// appendMessage appends the value as a Layer.values field.
func (v valueKey) appendMessage(b []byte) []byte {
	b = append(b, 0x22) // Layer.values, field 4, bytes
	switch v.field {
	case valString:
		b = appendVarint(b, uint64(1+varintLen(uint64(len(v.str)))+len(v.str)))
		b = append(b, valString<<3|2)
		b = appendVarint(b, uint64(len(v.str)))
		return append(b, v.str...)
	case valFloat:
		b = append(b, 5, valFloat<<3|5)
		return append(b, byte(v.num), byte(v.num>>8), byte(v.num>>16), byte(v.num>>24))
	case valDouble:
		b = append(b, 9, valDouble<<3|1)
		for i := 0; i < 64; i += 8 {
			b = append(b, byte(v.num>>i))
		}
		return b
	default: // varints: uint, sint, bool
		b = appendVarint(b, uint64(1+varintLen(v.num)))
		b = append(b, v.field<<3)
		return appendVarint(b, v.num)
	}
}

// appendVarint appends v in protobuf base-128 varint encoding.
func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// varintLen returns the length of the varint encoding of v.
func varintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }
