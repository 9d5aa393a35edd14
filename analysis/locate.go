package analysis

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// MaxSnapMeters is how far outside every commune polygon a site may lie and
// still be counted in the nearest commune (coastlines and borders of
// simplified polygons, approximate coordinates).
const MaxSnapMeters = 5000

// metersPerDegree is the length of a degree of latitude on the model's
// sphere.
const metersPerDegree = orb.EarthRadius * math.Pi / 180

// locator finds the commune that holds a point: a uniform grid over
// longitude and latitude lists the communes whose bounding box meets each
// cell. The lists are stored end to end (items, cell c's from start[c] to
// start[c+1]): the grid of the whole country, overseas included, has
// millions of cells, most of them empty, which as one slice each would
// weigh 24 bytes apiece.
type locator struct {
	communes []Commune
	bounds   []orb.Bound
	min      orb.Point
	cell     float64
	nx, ny   int
	start    []int32
	items    []int32
}

func newLocator(communes []Commune) *locator {
	l := &locator{communes: communes, bounds: make([]orb.Bound, len(communes))}
	all := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	area := 0.0
	parallelFor(len(communes), 256, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if len(communes[i].Geometry) == 0 {
				l.bounds[i] = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}} // empty: never matches
				continue
			}
			l.bounds[i] = communes[i].Geometry.Bound()
		}
	})
	for i, c := range communes {
		if len(c.Geometry) == 0 {
			continue
		}
		b := l.bounds[i]
		all = all.Union(b)
		area += (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
	}
	if all.Min[0] > all.Max[0] {
		return l
	}
	// About one bounding box per cell, with at most 4M cells.
	l.cell = math.Max(math.Sqrt(area/float64(len(communes))), 1e-6)
	w, h := all.Max[0]-all.Min[0], all.Max[1]-all.Min[1]
	for (w/l.cell+1)*(h/l.cell+1) > 4e6 {
		l.cell *= 2
	}
	l.min = all.Min
	l.nx = int(w/l.cell) + 1
	l.ny = int(h/l.cell) + 1
	// Count the boxes of each cell, then place them, in commune order.
	l.start = make([]int32, l.nx*l.ny+1)
	each := func(visit func(c int, i int32)) {
		for i, b := range l.bounds {
			if b.Min[0] > b.Max[0] {
				continue
			}
			x0, y0 := l.cellOf(b.Min)
			x1, y1 := l.cellOf(b.Max)
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					visit(y*l.nx+x, int32(i))
				}
			}
		}
	}
	each(func(c int, _ int32) { l.start[c+1]++ })
	for c := 1; c < len(l.start); c++ {
		l.start[c] += l.start[c-1]
	}
	l.items = make([]int32, l.start[len(l.start)-1])
	next := slices.Clone(l.start[:len(l.start)-1])
	each(func(c int, i int32) {
		l.items[next[c]] = i
		next[c]++
	})
	return l
}

// in returns the communes whose box meets cell (x, y).
func (l *locator) in(x, y int) []int32 {
	c := y*l.nx + x
	return l.items[l.start[c]:l.start[c+1]]
}

// cellOf returns the grid cell of p, clamped to the grid.
func (l *locator) cellOf(p orb.Point) (int, int) {
	x := int(math.Floor((p[0] - l.min[0]) / l.cell))
	y := int(math.Floor((p[1] - l.min[1]) / l.cell))
	return min(max(x, 0), l.nx-1), min(max(y, 0), l.ny-1)
}

// locate returns the commune that holds p: the first, in code order, whose
// polygon contains it, otherwise the nearest one within maxMeters of it, or
// -1.
func (l *locator) locate(p orb.Point, maxMeters float64) int {
	if l.start == nil || math.IsNaN(p[0]) || math.IsNaN(p[1]) {
		return -1
	}
	if p[0] >= l.min[0] && p[1] >= l.min[1] {
		x, y := l.cellOf(p)
		best := -1
		for _, i := range l.in(x, y) {
			if (best < 0 || int(i) < best) && l.bounds[i].Contains(p) && planar.MultiPolygonContains(l.communes[i].Geometry, p) {
				best = int(i)
			}
		}
		if best >= 0 {
			return best
		}
	}
	if maxMeters <= 0 {
		return -1
	}
	// Nearest boundary within maxMeters, measured on a local equirectangular
	// plane around p.
	dLat := maxMeters / metersPerDegree
	cosLat := math.Max(math.Cos(p[1]*degToRad), 1e-6)
	dLon := dLat / cosLat
	x0, y0 := l.cellOf(orb.Point{p[0] - dLon, p[1] - dLat})
	x1, y1 := l.cellOf(orb.Point{p[0] + dLon, p[1] + dLat})
	if p[0]+dLon < l.min[0] || p[1]+dLat < l.min[1] ||
		p[0]-dLon > l.min[0]+float64(l.nx)*l.cell || p[1]-dLat > l.min[1]+float64(l.ny)*l.cell {
		return -1
	}
	best, bestD := -1, maxMeters
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, i := range l.in(x, y) {
				b := l.bounds[i]
				if p[0] < b.Min[0]-dLon || p[0] > b.Max[0]+dLon || p[1] < b.Min[1]-dLat || p[1] > b.Max[1]+dLat {
					continue
				}
				d := boundaryMeters(l.communes[i].Geometry, p, cosLat)
				if d < bestD || (d == bestD && best >= 0 && int(i) < best) {
					best, bestD = int(i), d
				}
			}
		}
	}
	return best
}

// boundaryMeters is the distance from p to the nearest edge of mp on the
// equirectangular plane tangent at p.
func boundaryMeters(mp orb.MultiPolygon, p orb.Point, cosLat float64) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for k := range ring {
				a, b := ring[k], ring[(k+1)%len(ring)]
				ax, ay := (a[0]-p[0])*cosLat, a[1]-p[1]
				bx, by := (b[0]-p[0])*cosLat, b[1]-p[1]
				dx, dy := bx-ax, by-ay
				t := 0.0
				if l2 := dx*dx + dy*dy; l2 > 0 {
					t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
				}
				cx, cy := ax+t*dx, ay+t*dy
				best = math.Min(best, math.Hypot(cx, cy))
			}
		}
	}
	return best * metersPerDegree
}
