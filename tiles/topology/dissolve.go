package topology

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Dissolve returns, for each distinct group key, the union of the input
// polygons with that key: groups[i] is the key of polygon i, "" meaning in no
// group, and len(groups) must be the number of polygons given to Build.
//
// The union is made of the arcs used by exactly one ring of the group (the
// arcs inside the group disappear), simplified at tolerance tol exactly as
// Simplify does (tol <= 0 keeps the original vertices), so a dissolved
// border is identical to its members' borders at the same tolerance. Holes
// appear where the group surrounds non-members (or no polygon at all).
// Rings are oriented as in Simplify; polygons touching at a point are
// separate polygons, and a hole touching its exterior at a point is a
// separate hole. A group whose members have no valid ring maps to nil.
func (t *Topology) Dissolve(groups []string, tol float64) map[string]orb.MultiPolygon {
	return t.Generalise(tol).Dissolve(groups)
}

// Dissolve is Topology.Dissolve at the generalisation's tolerance.
func (g *Generalisation) Dissolve(groups []string) map[string]orb.MultiPolygon {
	t := g.t
	if len(groups) != len(t.polyOff)-1 {
		panic(fmt.Sprintf("topology: Dissolve with %d group keys for %d polygons", len(groups), len(t.polyOff)-1))
	}
	ids := make(map[string]int32)
	var names []string
	gid := make([]int32, len(groups))
	for i, g := range groups {
		if g == "" {
			gid[i] = -1
			continue
		}
		id, ok := ids[g]
		if !ok {
			id = int32(len(names))
			ids[g] = id
			names = append(names, g)
		}
		gid[i] = id
	}

	// The directed arcs on the outline of each group, in ring order.
	outline := make([][]int32, len(names))
	for r := 0; r+1 < len(t.ringOff); r++ {
		grp := gid[t.ringIn[r]]
		if grp < 0 {
			continue
		}
		for _, ref := range t.refs[t.ringOff[r]:t.ringOff[r+1]] {
			a := arcOf(ref)
			n := 0
			for _, u := range t.useRing[t.useOff[a]:t.useOff[a+1]] {
				if gid[t.ringIn[u]] == grp {
					n++
				}
			}
			if n == 1 {
				outline[grp] = append(outline[grp], ref)
			}
		}
	}

	out := make(map[string]orb.MultiPolygon, len(names))
	for id, name := range names {
		out[name] = g.s.assemble(outline[id])
	}
	return out
}

// loop is a closed ring traced from outline arcs, with its area and the
// middle of its first segment, to test which exterior holds a hole.
type loop struct {
	ring  orb.Ring
	area  float64
	probe orb.Point
}

// assemble links the directed outline arcs end to start into rings, and the
// rings into polygons.
func (s *simplifiedArcs) assemble(refs []int32) orb.MultiPolygon {
	// first and second are the first two points of an arc as used, last and
	// beforeLast its last two: they give the direction in which it leaves
	// its start and reaches its end.
	ends := func(ref int32) (first, second, beforeLast, last orb.Point) {
		pts, back := s.arc(ref)
		n := len(pts)
		if back {
			return pts[n-1], pts[n-2], pts[1], pts[0]
		}
		return pts[0], pts[1], pts[n-2], pts[n-1]
	}
	starts := make(map[orb.Point][]int32, len(refs))
	for i, ref := range refs {
		p, _, _, _ := ends(ref)
		starts[p] = append(starts[p], int32(i))
	}

	type node struct {
		pos int
		pt  orb.Point
	}
	var (
		loops []loop
		pts   []orb.Point
		nodes []node // nodes of the ring being traced, by position in pts
		used  = make([]bool, len(refs))
		at    = make(map[orb.Point]int)
	)
	// emit closes pts[from:] into a loop and removes it from pts.
	emit := func(from int) {
		r := make(orb.Ring, 0, len(pts)-from+1)
		r = append(r, pts[from:]...)
		r = append(r, pts[from])
		pts = pts[:from]
		if len(r) < 4 {
			return
		}
		if a := ringArea(r); a != 0 {
			mid := orb.Point{(r[0][0] + r[1][0]) / 2, (r[0][1] + r[1][1]) / 2}
			loops = append(loops, loop{ring: r, area: a, probe: mid})
		}
	}
	for start := range refs {
		if used[start] {
			continue
		}
		p0, _, _, _ := ends(refs[start])
		pts, nodes = pts[:0], append(nodes[:0], node{0, p0})
		clear(at)
		at[p0] = 0
		for cur := start; ; {
			used[cur] = true
			arc, back := s.arc(refs[cur])
			if back {
				for k := len(arc) - 1; k > 0; k-- {
					pts = append(pts, arc[k])
				}
			} else {
				pts = append(pts, arc[:len(arc)-1]...)
			}

			// Leave the end by the outgoing arc making the sharpest left
			// turn: the group stays on the left, and rings touching at a
			// point are traced apart.
			_, _, bl, end := ends(refs[cur])
			in := orb.Point{bl[0] - end[0], bl[1] - end[1]}
			next, best := -1, 0.0
			for _, j := range starts[end] {
				if used[j] && int(j) != start {
					continue
				}
				_, sec, _, _ := ends(refs[j])
				if a := cwAngle(in, orb.Point{sec[0] - end[0], sec[1] - end[1]}); next < 0 || a < best {
					next, best = int(j), a
				}
			}
			if p, ok := at[end]; ok {
				// Back at a node of this ring: what was traced since it
				// is a ring of its own.
				emit(p)
				for nodes[len(nodes)-1].pos > p {
					delete(at, nodes[len(nodes)-1].pt)
					nodes = nodes[:len(nodes)-1]
				}
			} else {
				at[end] = len(pts)
				nodes = append(nodes, node{len(pts), end})
			}
			if next < 0 || next == start {
				if len(pts) > 0 {
					emit(0) // an open chain (malformed input): close it
				}
				break
			}
			cur = next
		}
	}
	return polygons(loops)
}

// polygons groups loops into polygons: each hole (negative area) goes to the
// smallest exterior (positive area) holding it.
func polygons(loops []loop) orb.MultiPolygon {
	var mp orb.MultiPolygon
	var extArea []float64
	var extBound []orb.Bound
	for _, l := range loops {
		if l.area > 0 {
			mp = append(mp, orb.Polygon{l.ring})
			extArea = append(extArea, l.area)
			extBound = append(extBound, l.ring.Bound())
		}
	}
	for _, l := range loops {
		if l.area > 0 {
			continue
		}
		best := -1
		for e := range mp {
			if (best < 0 || extArea[e] < extArea[best]) && extBound[e].Contains(l.probe) && planar.RingContains(mp[e][0], l.probe) {
				best = e
			}
		}
		if best >= 0 {
			mp[best] = append(mp[best], l.ring)
		}
	}
	return mp
}

// ringArea is the signed shoelace area of a closed ring.
func ringArea(r orb.Ring) float64 {
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s / 2
}

// cwAngle is the clockwise angle, in (0, 2π], from the direction u to v.
func cwAngle(u, v orb.Point) float64 {
	a := -math.Atan2(u[0]*v[1]-u[1]*v[0], u[0]*v[0]+u[1]*v[1])
	if a <= 0 {
		a += 2 * math.Pi
	}
	return a
}
