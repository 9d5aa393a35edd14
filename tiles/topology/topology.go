// Package topology generalises a planar partition of polygons (communes, and
// the EPCI and départements made of them) without opening gaps or overlaps
// between neighbours.
//
// Build decomposes the polygons into arcs, like TopoJSON: a border shared by
// two polygons is stored once. Simplify then simplifies every arc once, so
// that neighbouring polygons keep exactly the same simplified border at every
// tolerance, and Dissolve assembles groups of polygons from the arcs on their
// outline, so that a dissolved border is identical to its members' borders.
//
// Coordinates are planar (Web Mercator metres, or world units). Output rings
// are oriented by the sign of their shoelace area in the coordinates given:
// exterior rings positive, holes negative. With y up (Mercator metres) that
// is exterior counter-clockwise and holes clockwise; with y down (world units
// with north at 0, or tile coordinates) it is already the MVT winding, while
// rings built from y-up coordinates must be reversed when flipped into tile
// coordinates.
//
// Shared borders must share identical vertices, as they do in data cut from
// one dataset: the package neither snaps nearly equal points nor splits
// segments at T-junctions.
package topology

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Topology is a set of polygons decomposed into arcs shared between them
// (like TopoJSON). It is immutable once built and safe for concurrent use.
type Topology struct {
	// Arc a has the points pts[arcOff[a]:arcOff[a+1]]; thr holds, for each of
	// those points, the squared Douglas–Peucker distance at which the point
	// is dropped (+Inf at the arc ends).
	pts    []orb.Point
	thr    []float64
	arcOff []int32
	bound  orb.Bound

	// Ring r is the chain of arcs refs[ringOff[r]:ringOff[r+1]], each an arc
	// index, or its complement ^a when the ring runs the arc backwards, in
	// output orientation (exterior with a positive area, holes negative).
	refs    []int32
	ringOff []int32
	ringIn  []int32   // input polygon (index in Build's argument) of each ring
	area    []float64 // signed area of each ring, in output orientation

	// Input polygon i has the polygons polyOff[i]:polyOff[i+1], and polygon
	// p the rings partOff[p]:partOff[p+1], its exterior first.
	polyOff []int32
	partOff []int32

	// Arc a is used by the rings useRing[useOff[a]:useOff[a+1]].
	useOff  []int32
	useRing []int32
}

// Build decomposes the polygons into arcs. The coordinates may be any planar
// coordinates; the caller passes Web Mercator coordinates (metres from
// orb/project.WGS84.ToMercator, or world units in [0,1]), not longitudes and
// latitudes, so that tolerances mean the same everywhere on a tile.
//
// A vertex is a junction where the set of neighbouring rings changes (or
// where three or more rings meet): it is where the vertex's neighbours differ
// between two of the rings through it. Rings are cut at junctions into arcs,
// and an arc used by two rings (in either direction) is stored once. A ring
// without junction is a single closed arc, shared with an identical ring if
// there is one (a hole filled by another polygon). Exterior rings and holes
// (the following rings of each polygon) are both supported, as are
// MultiPolygons.
//
// Rings may be open or closed; repeated consecutive points are removed.
// Degenerate rings (fewer than three distinct points, or zero area) are
// ignored, and a polygon whose exterior ring is degenerate is left out, holes
// included.
func Build(polys []orb.MultiPolygon) *Topology {
	// Most vertices are on a border between two polygons: about half of
	// the points are distinct. Sizing the map for them saves its growth.
	n := 0
	for _, mp := range polys {
		for _, p := range mp {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	b := builder{ids: make(map[orb.Point]int32, n/2), pts: make([]orb.Point, 0, n/2)}
	t := &Topology{
		polyOff: make([]int32, 1, len(polys)+1),
		partOff: []int32{0},
		ringOff: []int32{0},
		arcOff:  []int32{0},
	}

	// Rings as vertex ids, in output orientation, before the cut into arcs.
	var ringIDs []int32
	ringIDOff := []int32{0}
	for i, mp := range polys {
		for _, p := range mp {
			for j, r := range p {
				ids := b.ring(r)
				if ids == nil {
					if j == 0 {
						break // no exterior: leave the polygon out
					}
					continue
				}
				a := b.signedArea(ids)
				if (j == 0) != (a > 0) {
					reverse(ids)
					a = -a
				}
				ringIDs = append(ringIDs, ids...)
				ringIDOff = append(ringIDOff, int32(len(ringIDs)))
				t.ringIn = append(t.ringIn, int32(i))
				t.area = append(t.area, a)
			}
			if n := int32(len(t.ringIn)); n > t.partOff[len(t.partOff)-1] {
				t.partOff = append(t.partOff, n)
			}
		}
		t.polyOff = append(t.polyOff, int32(len(t.partOff)-1))
	}

	b.findJunctions(ringIDs, ringIDOff)
	t.pts = make([]orb.Point, 0, len(b.pts)+len(b.pts)/8)
	t.refs = make([]int32, 0, len(t.ringIn)*4)
	keys := make(map[[2]int32]int32)
	for r := 0; r+1 < len(ringIDOff); r++ {
		b.cut(t, keys, ringIDs[ringIDOff[r]:ringIDOff[r+1]])
		t.ringOff = append(t.ringOff, int32(len(t.refs)))
	}

	t.thr = make([]float64, len(t.pts))
	var stack []int32
	for a := 0; a < t.NumArcs(); a++ {
		stack = dpThresholds(t.pts[t.arcOff[a]:t.arcOff[a+1]], t.thr[t.arcOff[a]:t.arcOff[a+1]], stack)
	}
	t.indexUses()
	if len(t.pts) > 0 {
		t.bound = orb.MultiPoint(t.pts).Bound()
	}
	return t
}

// NumArcs returns the number of arcs: each border between two polygons, or
// piece of outer border, is one arc.
func (t *Topology) NumArcs() int { return len(t.arcOff) - 1 }

// NumInputs returns the number of polygons Build was given.
func (t *Topology) NumInputs() int { return len(t.polyOff) - 1 }

// NumVertices returns the number of vertices stored in the arcs: a vertex of
// a shared border is counted once, and a junction once per arc ending there.
func (t *Topology) NumVertices() int { return len(t.pts) }

// builder holds the vertex ids and junctions while building.
type builder struct {
	ids      map[orb.Point]int32
	pts      []orb.Point // vertex id → point
	nb       [][2]int32  // first pair of neighbours seen around each vertex
	junction []bool
	scratch  []int32
}

// ring returns the vertex ids of r without repeated points nor closing
// point, or nil if r has fewer than three distinct points or no area. The
// slice is only valid until the next call.
func (b *builder) ring(r orb.Ring) []int32 {
	ids := b.scratch[:0]
	for _, p := range r {
		id, ok := b.ids[p]
		if !ok {
			id = int32(len(b.pts))
			b.ids[p] = id
			b.pts = append(b.pts, p)
		}
		if len(ids) > 0 && ids[len(ids)-1] == id {
			continue
		}
		ids = append(ids, id)
	}
	for len(ids) > 1 && ids[len(ids)-1] == ids[0] {
		ids = ids[:len(ids)-1]
	}
	b.scratch = ids
	if len(ids) < 3 || b.signedArea(ids) == 0 {
		return nil
	}
	return ids
}

// signedArea is the shoelace area of the ring of vertex ids, positive when
// counter-clockwise (y up).
func (b *builder) signedArea(ids []int32) float64 {
	o := b.pts[ids[0]]
	s := 0.0
	prev := orb.Point{}
	for _, id := range ids[1:] {
		p := orb.Point{b.pts[id][0] - o[0], b.pts[id][1] - o[1]}
		s += prev[0]*p[1] - p[0]*prev[1]
		prev = p
	}
	return s / 2
}

// findJunctions marks the vertices seen with two different pairs of
// neighbours (as TopoJSON does): there the set of rings along the border
// changes.
func (b *builder) findJunctions(ids, off []int32) {
	b.nb = make([][2]int32, len(b.pts))
	for i := range b.nb {
		b.nb[i] = [2]int32{-1, -1}
	}
	b.junction = make([]bool, len(b.pts))
	for r := 0; r+1 < len(off); r++ {
		ring := ids[off[r]:off[r+1]]
		n := len(ring)
		for i, v := range ring {
			p, q := ring[(i+n-1)%n], ring[(i+1)%n]
			if p > q {
				p, q = q, p
			}
			switch b.nb[v] {
			case [2]int32{-1, -1}:
				b.nb[v] = [2]int32{p, q}
			case [2]int32{p, q}:
			default:
				b.junction[v] = true
			}
		}
	}
}

// cut appends the arcs of one ring to t.refs, creating the arcs not seen
// yet. keys maps the first two vertices of each arc, read in either
// direction, to the arc (or its complement when read backwards).
func (b *builder) cut(t *Topology, keys map[[2]int32]int32, ring []int32) {
	n := len(ring)
	start := -1
	for i, v := range ring {
		if b.junction[v] {
			start = i
			break
		}
	}
	if start < 0 {
		// A closed arc: start it at its smallest vertex id so that an
		// identical ring finds it whatever its start and direction.
		start = 0
		for i, v := range ring {
			if v < ring[start] {
				start = i
			}
		}
		arc := make([]int32, 0, n+1)
		arc = append(arc, ring[start:]...)
		arc = append(arc, ring[:start+1]...)
		t.refs = append(t.refs, b.arc(t, keys, arc))
		return
	}
	arc := b.scratch[:0]
	for k := 0; k <= n; k++ {
		v := ring[(start+k)%n]
		arc = append(arc, v)
		if k > 0 && b.junction[v] {
			t.refs = append(t.refs, b.arc(t, keys, arc))
			arc = append(arc[:0], v)
		}
	}
	b.scratch = arc
}

// arc returns the reference of the arc of vertex ids, creating it if no
// ring used it before.
func (b *builder) arc(t *Topology, keys map[[2]int32]int32, arc []int32) int32 {
	n := len(arc)
	if ref, ok := keys[[2]int32{arc[0], arc[1]}]; ok && b.same(t, ref, arc) {
		return ref
	}
	a := int32(t.NumArcs())
	for _, v := range arc {
		t.pts = append(t.pts, b.pts[v])
	}
	t.arcOff = append(t.arcOff, int32(len(t.pts)))
	if _, ok := keys[[2]int32{arc[0], arc[1]}]; !ok {
		keys[[2]int32{arc[0], arc[1]}] = a
	}
	if _, ok := keys[[2]int32{arc[n-1], arc[n-2]}]; !ok {
		keys[[2]int32{arc[n-1], arc[n-2]}] = ^a
	}
	return a
}

// same reports whether the stored arc ref runs through the vertices of arc.
// It always does for consistent junctions; the check only guards against
// malformed input (such as overlapping polygons).
func (b *builder) same(t *Topology, ref int32, arc []int32) bool {
	a, back := ref, false
	if a < 0 {
		a, back = ^a, true
	}
	pts := t.pts[t.arcOff[a]:t.arcOff[a+1]]
	if len(pts) != len(arc) {
		return false
	}
	for i, v := range arc {
		j := i
		if back {
			j = len(pts) - 1 - i
		}
		if pts[j] != b.pts[v] {
			return false
		}
	}
	return true
}

// indexUses fills useOff and useRing, the rings using each arc.
func (t *Topology) indexUses() {
	t.useOff = make([]int32, t.NumArcs()+1)
	for _, ref := range t.refs {
		t.useOff[arcOf(ref)+1]++
	}
	for a := 1; a < len(t.useOff); a++ {
		t.useOff[a] += t.useOff[a-1]
	}
	t.useRing = make([]int32, len(t.refs))
	next := append([]int32(nil), t.useOff[:len(t.useOff)-1]...)
	for r := 0; r+1 < len(t.ringOff); r++ {
		for _, ref := range t.refs[t.ringOff[r]:t.ringOff[r+1]] {
			a := arcOf(ref)
			t.useRing[next[a]] = int32(r)
			next[a]++
		}
	}
}

// dpThresholds sets thr[i] to the squared tolerance from which the
// Douglas–Peucker simplification of pts drops pts[i]: a point is kept at
// tolerance tol exactly when thr[i] > tol². The ends are never dropped.
// Thresholds never exceed the one of the point that split the segment, so
// that the points kept at a tolerance are those of the classic recursion.
func dpThresholds(pts []orb.Point, thr []float64, stack []int32) []int32 {
	n := len(pts)
	thr[0], thr[n-1] = math.Inf(1), math.Inf(1)
	stack = append(stack[:0], 0, int32(n-1))
	for len(stack) > 0 {
		i, j := stack[len(stack)-2], stack[len(stack)-1]
		stack = stack[:len(stack)-2]
		if j-i < 2 {
			continue
		}
		k, d := i+1, -1.0
		for m := i + 1; m < j; m++ {
			if dm := planar.DistanceFromSegmentSquared(pts[i], pts[j], pts[m]); dm > d {
				k, d = m, dm
			}
		}
		// The segment was split off at i or j, whichever has the smaller
		// threshold (the other end is an older split, or an end).
		thr[k] = math.Min(d, math.Min(thr[i], thr[j]))
		stack = append(stack, i, k, k, j)
	}
	return stack
}

func arcOf(ref int32) int32 {
	if ref < 0 {
		return ^ref
	}
	return ref
}

func reverse(ids []int32) {
	for i, j := 0, len(ids)-1; i < j; i, j = i+1, j-1 {
		ids[i], ids[j] = ids[j], ids[i]
	}
}
