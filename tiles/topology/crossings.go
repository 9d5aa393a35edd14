package topology

import (
	"math"

	"github.com/paulmach/orb"
)

// segment is a segment of a simplified arc, between its kept points i and j
// (indexes in Topology.pts); it replaces the original points i..j.
type segment struct {
	arc  int32
	i, j int32
}

// simplifiedSeg reports whether the segment replaces dropped points.
func (s segment) simplifiedSeg() bool { return s.j > s.i+1 }

// conflicts returns the pairs of simplified segments that cross, overlap or
// touch other than at a common end: the original arcs never do, so every
// such pair involves at least one segment that replaces dropped points.
// Only those are put in the grid; the others are looked up in it, so that
// at the deep zooms, where nearly every point is kept, the cost is a pass
// over the segments.
func (t *Topology) conflicts(k *keep) [][2]segment {
	kept := 0
	for a := 0; a < t.NumArcs(); a++ {
		for i := t.arcOff[a]; i < t.arcOff[a+1]; i++ {
			if k.kept(int32(a), i) {
				kept++
			}
		}
	}
	var simp []segment
	plain := make([]segment, 0, kept)
	length := 0.0
	for a := 0; a < t.NumArcs(); a++ {
		prev := int32(-1)
		for i := t.arcOff[a]; i < t.arcOff[a+1]; i++ {
			if !k.kept(int32(a), i) {
				continue
			}
			if prev >= 0 {
				s := segment{int32(a), prev, i}
				if s.simplifiedSeg() {
					simp = append(simp, s)
				} else {
					plain = append(plain, s)
				}
				p, q := t.pts[prev], t.pts[i]
				length += math.Abs(q[0]-p[0]) + math.Abs(q[1]-p[1])
			}
			prev = i
		}
	}
	n := len(simp) + len(plain)
	if len(simp) == 0 || n < 2 {
		return nil
	}

	// A uniform grid over the bound, with cells about twice the mean
	// segment, and at most about four cells per segment: small cells
	// keep the lookups of the unsimplified segments short.
	w, h := t.bound.Max[0]-t.bound.Min[0], t.bound.Max[1]-t.bound.Min[1]
	cell := 2 * length / float64(n)
	cell = math.Max(cell, math.Max(w, h)/4096)
	if cell <= 0 {
		return nil
	}
	for (w/cell+1)*(h/cell+1) > float64(4*n+16) {
		cell *= 1.5
	}
	nx, ny := int(w/cell)+1, int(h/cell)+1
	cellOf := func(p orb.Point) (int32, int32) {
		x := int((p[0] - t.bound.Min[0]) / cell)
		y := int((p[1] - t.bound.Min[1]) / cell)
		return int32(min(max(x, 0), nx-1)), int32(min(max(y, 0), ny-1))
	}
	// span is a segment's cells: x0, y0, x1, y1.
	span := func(s segment) [4]int32 {
		p, q := t.pts[s.i], t.pts[s.j]
		x0, y0 := cellOf(orb.Point{math.Min(p[0], q[0]), math.Min(p[1], q[1])})
		x1, y1 := cellOf(orb.Point{math.Max(p[0], q[0]), math.Max(p[1], q[1])})
		return [4]int32{x0, y0, x1, y1}
	}
	spans := make([][4]int32, len(simp))
	for n, s := range simp {
		spans[n] = span(s)
	}
	start := make([]int32, nx*ny+1)
	for _, sp := range spans {
		for y := sp[1]; y <= sp[3]; y++ {
			for x := sp[0]; x <= sp[2]; x++ {
				start[int(y)*nx+int(x)+1]++
			}
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	in := make([]int32, start[len(start)-1])
	fill := append([]int32(nil), start[:len(start)-1]...)
	for n, sp := range spans {
		for y := sp[1]; y <= sp[3]; y++ {
			for x := sp[0]; x <= sp[2]; x++ {
				in[fill[int(y)*nx+int(x)]] = int32(n)
				fill[int(y)*nx+int(x)]++
			}
		}
	}
	// first reports whether cell c is the first cell both spans cover:
	// each pair is tested once.
	first := func(a, b [4]int32, c int) bool {
		return int(max(a[0], b[0]))+int(max(a[1], b[1]))*nx == c
	}

	var out [][2]segment
	// Simplified segments against each other.
	for c := 0; c < nx*ny; c++ {
		cs := in[start[c]:start[c+1]]
		for m, u := range cs {
			su := simp[u]
			for _, v := range cs[m+1:] {
				sv := simp[v]
				if first(spans[u], spans[v], c) && conflict(t.pts[su.i], t.pts[su.j], t.pts[sv.i], t.pts[sv.j]) {
					out = append(out, [2]segment{su, sv})
				}
			}
		}
	}
	// The other segments against the simplified ones.
	for _, sp := range plain {
		ps := span(sp)
		for y := ps[1]; y <= ps[3]; y++ {
			for x := ps[0]; x <= ps[2]; x++ {
				c := int(y)*nx + int(x)
				for _, v := range in[start[c]:start[c+1]] {
					sv := simp[v]
					if first(ps, spans[v], c) && conflict(t.pts[sp.i], t.pts[sp.j], t.pts[sv.i], t.pts[sv.j]) {
						out = append(out, [2]segment{sp, sv})
					}
				}
			}
		}
	}
	return out
}

// conflict reports whether the segments [p1,p2] and [q1,q2] meet other than
// at one common end: they cross, one touches the other, or they overlap.
func conflict(p1, p2, q1, q2 orb.Point) bool {
	if max(p1[0], p2[0]) < min(q1[0], q2[0]) || max(q1[0], q2[0]) < min(p1[0], p2[0]) ||
		max(p1[1], p2[1]) < min(q1[1], q2[1]) || max(q1[1], q2[1]) < min(p1[1], p2[1]) {
		return false
	}
	var s, u, v orb.Point // a common end, and the other ends
	switch {
	case p1 == q1 && p2 == q2, p1 == q2 && p2 == q1:
		return true // the same segment in two arcs
	case p1 == q1:
		s, u, v = p1, p2, q2
	case p1 == q2:
		s, u, v = p1, p2, q1
	case p2 == q1:
		s, u, v = p2, p1, q2
	case p2 == q2:
		s, u, v = p2, p1, q1
	default:
		d1, d2 := orient(p1, p2, q1), orient(p1, p2, q2)
		d3, d4 := orient(q1, q2, p1), orient(q1, q2, p2)
		if d1*d2 < 0 && d3*d4 < 0 {
			return true
		}
		return d1 == 0 && between(p1, p2, q1) || d2 == 0 && between(p1, p2, q2) ||
			d3 == 0 && between(q1, q2, p1) || d4 == 0 && between(q1, q2, p2)
	}
	// One common end: a conflict only if they leave it in the same
	// direction.
	return orient(s, u, v) == 0 && (u[0]-s[0])*(v[0]-s[0])+(u[1]-s[1])*(v[1]-s[1]) > 0
}

// orient is twice the signed area of the triangle abc.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// between reports whether p, collinear with [a,b], lies within it.
func between(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}
