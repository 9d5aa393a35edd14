// Package cluster groups points per zoom level for vector tiles, so that a
// tile of a whole region carries a few counted clusters instead of
// thousands of overlapping points (greedy radius clustering, as Mapbox's
// supercluster does, computed once for every zoom from the most detailed
// one up).
package cluster

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Options tune the clustering.
type Options struct {
	// Radius is the cluster radius in tile units of a 4096-unit tile
	// (320 ≈ 40 pixels on a 512-pixel tile).
	Radius float64
	// MaxZoom is the last zoom with clusters; above it every point stands
	// alone.
	MaxZoom int
	// MinPoints is the smallest group that forms a cluster.
	MinPoints int
}

// DefaultOptions are the options the map uses.
func DefaultOptions() Options { return Options{Radius: 320, MaxZoom: 11, MinPoints: 2} }

// Cluster is a group of points at one zoom: their mean position and the
// indexes of the input points it holds (one index for a lone point).
type Cluster struct {
	Center  orb.Point
	Members []int
}

// Index holds the clusters of every zoom from 0 to MaxZoom.
type Index struct {
	opts   Options
	points []orb.Point
	levels []level // levels[z] for z in 0..MaxZoom
}

type level struct {
	clusters []Cluster
	grid     map[[2]int32][]int32
	cell     float64
}

// New clusters points given in world units (the unit square, as in
// package tiles).
func New(points []orb.Point, o Options) *Index {
	if o.Radius <= 0 {
		o.Radius = DefaultOptions().Radius
	}
	if o.MinPoints < 2 {
		o.MinPoints = 2
	}
	if o.MaxZoom < 0 {
		o.MaxZoom = 0
	}
	ix := &Index{opts: o, points: points, levels: make([]level, o.MaxZoom+1)}
	// Start from the points themselves, one above the last clustered zoom.
	cur := make([]Cluster, len(points))
	for i, p := range points {
		cur[i] = Cluster{Center: p, Members: []int{i}}
	}
	for z := o.MaxZoom; z >= 0; z-- {
		cur = ix.clusterLevel(cur, z)
		ix.levels[z] = newLevel(cur, ix.radius(z))
	}
	return ix
}

// radius is the cluster radius at zoom z in world units.
func (ix *Index) radius(z int) float64 {
	return ix.opts.Radius / (4096 * math.Exp2(float64(z)))
}

// clusterLevel groups the clusters of the zoom above into those of zoom z.
func (ix *Index) clusterLevel(prev []Cluster, z int) []Cluster {
	r := ix.radius(z)
	lv := newLevel(prev, r)
	// Visit in a stable order: by descending size then position, so that
	// dense places seed clusters and the result does not depend on input
	// order.
	order := make([]int, len(prev))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := prev[order[a]], prev[order[b]]
		if len(ca.Members) != len(cb.Members) {
			return len(ca.Members) > len(cb.Members)
		}
		if ca.Center[0] != cb.Center[0] {
			return ca.Center[0] < cb.Center[0]
		}
		return ca.Center[1] < cb.Center[1]
	})
	used := make([]bool, len(prev))
	var out []Cluster
	r2 := r * r
	for _, i := range order {
		if used[i] {
			continue
		}
		c := prev[i]
		var near []int
		lv.around(c.Center, func(j int) {
			if !used[j] && j != i && dist2(prev[j].Center, c.Center) <= r2 {
				near = append(near, j)
			}
		})
		n := len(c.Members)
		for _, j := range near {
			n += len(prev[j].Members)
		}
		if n < ix.opts.MinPoints || len(near) == 0 {
			used[i] = true
			out = append(out, c)
			continue
		}
		used[i] = true
		sx := c.Center[0] * float64(len(c.Members))
		sy := c.Center[1] * float64(len(c.Members))
		members := append([]int(nil), c.Members...)
		for _, j := range near {
			used[j] = true
			w := float64(len(prev[j].Members))
			sx += prev[j].Center[0] * w
			sy += prev[j].Center[1] * w
			members = append(members, prev[j].Members...)
		}
		sort.Ints(members)
		out = append(out, Cluster{Center: orb.Point{sx / float64(n), sy / float64(n)}, Members: members})
	}
	return out
}

func newLevel(cs []Cluster, cell float64) level {
	lv := level{clusters: cs, grid: make(map[[2]int32][]int32, len(cs)), cell: cell}
	for i, c := range cs {
		k := lv.key(c.Center)
		lv.grid[k] = append(lv.grid[k], int32(i))
	}
	return lv
}

func (lv *level) key(p orb.Point) [2]int32 {
	return [2]int32{int32(math.Floor(p[0] / lv.cell)), int32(math.Floor(p[1] / lv.cell))}
}

// around calls fn for the clusters in the 3×3 cells around p.
func (lv *level) around(p orb.Point, fn func(int)) {
	k := lv.key(p)
	for dx := int32(-1); dx <= 1; dx++ {
		for dy := int32(-1); dy <= 1; dy++ {
			for _, i := range lv.grid[[2]int32{k[0] + dx, k[1] + dy}] {
				fn(int(i))
			}
		}
	}
}

func dist2(a, b orb.Point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// MaxZoom is the last zoom with clusters.
func (ix *Index) MaxZoom() int { return ix.opts.MaxZoom }

// Query returns the clusters of zoom z whose centre lies in b, in a stable
// order. Above MaxZoom every point inside b is returned alone.
func (ix *Index) Query(z int, b orb.Bound) []Cluster {
	var out []Cluster
	if z > ix.opts.MaxZoom {
		for i, p := range ix.points {
			if b.Contains(p) {
				out = append(out, Cluster{Center: p, Members: []int{i}})
			}
		}
		return out
	}
	lv := &ix.levels[max(z, 0)]
	lo, hi := lv.key(b.Min), lv.key(b.Max)
	if int64(hi[0]-lo[0]+1)*int64(hi[1]-lo[1]+1) > int64(len(lv.clusters)) {
		for _, c := range lv.clusters {
			if b.Contains(c.Center) {
				out = append(out, c)
			}
		}
		return out
	}
	var idx []int
	for x := lo[0]; x <= hi[0]; x++ {
		for y := lo[1]; y <= hi[1]; y++ {
			for _, i := range lv.grid[[2]int32{x, y}] {
				if b.Contains(lv.clusters[i].Center) {
					idx = append(idx, int(i))
				}
			}
		}
	}
	sort.Ints(idx)
	for _, i := range idx {
		out = append(out, lv.clusters[i])
	}
	return out
}
