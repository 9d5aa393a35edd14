package topology

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Simplify returns every input polygon, in input order, with each arc
// simplified once by Douglas–Peucker with tolerance tol, in the units of the
// coordinates (in world units, 1/(4096·2^z) is one unit of a 4096-unit tile
// at zoom z); tol <= 0 returns the original vertices. Arc ends are always
// kept, so neighbouring polygons share exactly the same simplified border,
// without gaps or overlaps.
//
// Two repairs follow, both on the shared arcs, so that neighbours change
// together and stay consistent:
//   - a ring that would collapse (fewer than three points, or an area that is
//     zero or of the wrong sign) gets its arcs re-simplified with a smaller
//     tolerance, adding back their most significant points one at a time,
//     down to the original vertices if need be;
//   - a simplified segment that crosses, touches or overlaps another segment
//     is split at its dropped point farthest from it, until segments meet
//     only at their ends, as in the input.
//
// So every output ring is closed, has at least 4 points, no repeated
// consecutive point and a non-zero area, and (if the input had none) no
// segments cross, up to the rounding of floating-point orientation tests on
// nearly collinear points. No ring is dropped: tiny polygons, and the holes filled by them, stay
// visible.
//
// Each polygon has its exterior ring first, with a positive shoelace area
// (counter-clockwise with y up), then its holes, with a negative one
// (clockwise), whatever the orientation of the input. An input polygon with
// no valid ring gives nil. The result is freshly allocated on every call and
// shares nothing with the Topology: callers may modify it in place (as
// orb/encoding/mvt projection does).
func (t *Topology) Simplify(tol float64) []orb.MultiPolygon {
	return t.Generalise(tol).Polygons()
}

// Generalisation is a Topology's arcs simplified at one tolerance, repaired
// as Simplify describes: Polygons and Dissolve read it, so that the
// polygons and their groups at one zoom cost one simplification instead of
// one each. It is immutable and safe for concurrent use.
type Generalisation struct {
	t *Topology
	s *simplifiedArcs
}

// Generalise simplifies every arc at tolerance tol once (see Simplify).
func (t *Topology) Generalise(tol float64) *Generalisation {
	return &Generalisation{t: t, s: t.simplified(tol)}
}

// Polygons returns every input polygon, in input order, made of the
// simplified arcs: what Simplify returns at the same tolerance.
func (g *Generalisation) Polygons() []orb.MultiPolygon {
	t, s := g.t, g.s
	out := make([]orb.MultiPolygon, len(t.polyOff)-1)

	n := 0
	for r := 0; r+1 < len(t.ringOff); r++ {
		n += s.ringLen(t.refs[t.ringOff[r]:t.ringOff[r+1]])
	}
	backing := make([]orb.Point, 0, n)
	rings := make([]orb.Ring, len(t.ringIn))
	for r := range rings {
		start := len(backing)
		backing = s.appendRing(backing, t.refs[t.ringOff[r]:t.ringOff[r+1]])
		rings[r] = orb.Ring(backing[start:len(backing):len(backing)])
	}
	polys := make([]orb.Polygon, len(t.partOff)-1)
	for p := range polys {
		polys[p] = orb.Polygon(rings[t.partOff[p]:t.partOff[p+1]:t.partOff[p+1]])
	}
	for i := range out {
		if t.polyOff[i] < t.polyOff[i+1] {
			out[i] = orb.MultiPolygon(polys[t.polyOff[i]:t.polyOff[i+1]:t.polyOff[i+1]])
		}
	}
	return out
}

// simplifiedArcs are the arcs at one tolerance: arc a keeps the points
// pts[off[a]:off[a+1]].
type simplifiedArcs struct {
	pts []orb.Point
	off []int32
}

// simplified returns the arcs simplified at tol, with some points added back
// so that no ring collapses and no simplified arcs cross.
func (t *Topology) simplified(tol float64) *simplifiedArcs {
	k := t.resolve(tol)
	s := &simplifiedArcs{off: make([]int32, t.NumArcs()+1)}
	n := 0
	for a := int32(0); a < int32(t.NumArcs()); a++ {
		for i := t.arcOff[a]; i < t.arcOff[a+1]; i++ {
			if k.kept(a, i) {
				n++
			}
		}
	}
	s.pts = make([]orb.Point, 0, n)
	for a := int32(0); a < int32(t.NumArcs()); a++ {
		for i := t.arcOff[a]; i < t.arcOff[a+1]; i++ {
			if k.kept(a, i) {
				s.pts = append(s.pts, t.pts[i])
			}
		}
		s.off[a+1] = int32(len(s.pts))
	}
	return s
}

// arc returns the points of the arc reference (an arc, or its complement
// for the arc read backwards) and whether to read them backwards.
func (s *simplifiedArcs) arc(ref int32) ([]orb.Point, bool) {
	if ref < 0 {
		a := ^ref
		return s.pts[s.off[a]:s.off[a+1]], true
	}
	return s.pts[s.off[ref]:s.off[ref+1]], false
}

// ringLen is the number of points of the closed ring made of refs.
func (s *simplifiedArcs) ringLen(refs []int32) int {
	n := 1
	for _, ref := range refs {
		a := arcOf(ref)
		n += int(s.off[a+1]-s.off[a]) - 1
	}
	return n
}

// appendRing appends the closed ring made of the arcs refs to dst.
func (s *simplifiedArcs) appendRing(dst []orb.Point, refs []int32) []orb.Point {
	for k, ref := range refs {
		pts, back := s.arc(ref)
		if back {
			for i := len(pts) - 1; i >= 0; i-- {
				if i < len(pts)-1 || k == 0 {
					dst = append(dst, pts[i])
				}
			}
			continue
		}
		if k > 0 {
			pts = pts[1:]
		}
		dst = append(dst, pts...)
	}
	return dst
}

// keep tells which points of the arcs a simplification keeps: point i of
// arc a is kept when its threshold exceeds the arc's squared tolerance at[a]
// (-1 keeps every point), or when it is forced to split a segment that
// crossed another.
type keep struct {
	t      *Topology
	at     []float64
	forced []bool // nil until a point is forced
}

func (k *keep) kept(a, i int32) bool {
	return k.t.thr[i] > k.at[a] || k.forced != nil && k.forced[i]
}

// resolve decides the points kept at tolerance tol: every arc is simplified
// with tolerance tol, then the rings that would collapse get their arcs
// re-simplified with a smaller tolerance, and the simplified segments that
// cross other segments are split at their farthest dropped point, until
// neither happens any more.
func (t *Topology) resolve(tol float64) *keep {
	k := &keep{t: t, at: make([]float64, t.NumArcs())}
	tolSq := -1.0
	if tol > 0 {
		tolSq = min(tol*tol, math.MaxFloat64) // below the +Inf of arc ends
	}
	for a := range k.at {
		k.at[a] = tolSq
	}
	if tolSq < 0 {
		return k
	}

	nr := len(t.ringIn)
	queue := make([]int32, nr)
	queued := make([]bool, nr)
	for r := range queue {
		queue[r] = int32(r)
		queued[r] = true
	}
	enqueue := func(a int32, except int32) {
		for _, u := range t.useRing[t.useOff[a]:t.useOff[a+1]] {
			if u != except && !queued[u] {
				queued[u] = true
				queue = append(queue, u)
			}
		}
	}
	var cands []float64
	for {
		for len(queue) > 0 {
			r := queue[0]
			queue = queue[1:]
			queued[r] = false
			cands = t.fixCollapse(k, r, cands, enqueue)
		}
		split := false
		for _, c := range t.conflicts(k) {
			for _, s := range c {
				if t.split(k, s) {
					split = true
					enqueue(s.arc, -1)
				}
			}
		}
		if !split {
			return k
		}
	}
}

// fixCollapse re-simplifies the arcs of ring r with a smaller tolerance if
// it collapsed, adding back their dropped points most significant first
// until the ring is valid again, and enqueues the other rings of the arcs it
// changes.
func (t *Topology) fixCollapse(k *keep, r int32, cands []float64, enqueue func(a, except int32)) []float64 {
	refs := t.refs[t.ringOff[r]:t.ringOff[r+1]]
	if t.ringValid(k, r, refs) {
		return cands
	}
	cands = cands[:0]
	for _, ref := range refs {
		a := arcOf(ref)
		for i := t.arcOff[a]; i < t.arcOff[a+1]; i++ {
			if !k.kept(a, i) {
				cands = append(cands, t.thr[i])
			}
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(cands)))
	for i, c := range cands {
		if i > 0 && c == cands[i-1] {
			continue
		}
		lower := -1.0
		if c > 0 {
			lower = math.Nextafter(c, math.Inf(-1))
		}
		for _, ref := range refs {
			if a := arcOf(ref); k.at[a] > lower {
				k.at[a] = lower
				enqueue(a, r)
			}
		}
		if t.ringValid(k, r, refs) {
			break
		}
	}
	return cands
}

// split keeps the dropped point of segment s farthest from it, unless an
// earlier split already kept one of its points. It reports whether it kept
// a point.
func (t *Topology) split(k *keep, s segment) bool {
	if !s.simplifiedSeg() {
		return false
	}
	m, d := int32(-1), -1.0
	for i := s.i + 1; i < s.j; i++ {
		if k.kept(s.arc, i) {
			return false
		}
		if di := planar.DistanceFromSegmentSquared(t.pts[s.i], t.pts[s.j], t.pts[i]); di > d {
			m, d = i, di
		}
	}
	if k.forced == nil {
		k.forced = make([]bool, len(t.pts))
	}
	k.forced[m] = true
	return true
}

// ringValid reports whether ring r, made of refs, keeps at least three
// points and an area of the sign of the original.
func (t *Topology) ringValid(k *keep, r int32, refs []int32) bool {
	var o, prev orb.Point
	n := 0
	area := 0.0
	add := func(p orb.Point) {
		if n == 0 {
			o = p
		}
		q := orb.Point{p[0] - o[0], p[1] - o[1]}
		area += prev[0]*q[1] - q[0]*prev[1]
		prev = q
		n++
	}
	for _, ref := range refs {
		a := arcOf(ref)
		lo, hi := t.arcOff[a], t.arcOff[a+1]
		if ref >= 0 {
			for i := lo + 1; i < hi; i++ {
				if k.kept(a, i) {
					add(t.pts[i])
				}
			}
		} else {
			for i := hi - 2; i >= lo; i-- {
				if k.kept(a, i) {
					add(t.pts[i])
				}
			}
		}
	}
	return n >= 3 && area*t.area[r] > 0
}
