package analysis

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// DemandSource spreads the population of communes over demand points. Grid
// is the default; a gridded population (INSEE 200 m squares) can replace it.
type DemandSource interface {
	// Demand returns a new slice, which the caller owns: NewModel keeps
	// it and rewrites it.
	Demand(communes []Commune) []DemandPoint
}

// Grid spreads each commune's population evenly over the centres of the
// cells of a regular grid that fall inside its polygon, cells being at most
// CellMeters (default 1,000) wide and high. A commune that holds no centre
// gets one point inside its polygon.
type Grid struct {
	CellMeters float64
}

// Demand implements DemandSource. Communes without geometry get no point.
// It counts each commune's points first, then writes them into a slice of
// exactly that size, the communes spread over the processors.
func (g Grid) Demand(communes []Commune) []DemandPoint {
	cell := g.CellMeters
	if !(cell > 0) {
		cell = 1000
	}
	dLat := cell / metersPerDegree
	start := make([]int, len(communes)+1) // commune ci owns out[start[ci]:start[ci+1]]
	bounds := make([]orb.Bound, len(communes))
	parallelFor(len(communes), 256, func(lo, hi int) {
		var xs []float64
		for ci := lo; ci < hi; ci++ {
			bounds[ci] = communes[ci].Geometry.Bound()
			start[ci+1] = gridPoints(&communes[ci], ci, bounds[ci], dLat, cell, nil, &xs)
		}
	})
	for ci := range communes {
		start[ci+1] += start[ci]
	}
	out := make([]DemandPoint, start[len(communes)])
	parallelFor(len(communes), 256, func(lo, hi int) {
		var xs []float64
		for ci := lo; ci < hi; ci++ {
			gridPoints(&communes[ci], ci, bounds[ci], dLat, cell, out[start[ci]:start[ci+1]], &xs)
		}
	})
	return out
}

// gridPoints returns the number of demand points of commune c (index ci,
// bounding box b): the centres of the grid cells inside its polygon, or one
// interior point when it holds none, or none without geometry. With dst
// non-nil it also writes them there, population spread evenly; dst must
// hold exactly that number. xs is scratch space.
func gridPoints(c *Commune, ci int, b orb.Bound, dLat, cell float64, dst []DemandPoint, xs *[]float64) int {
	if len(c.Geometry) == 0 {
		return 0
	}
	n := 0
	for r := int(math.Floor(b.Min[1] / dLat)); float64(r)*dLat <= b.Max[1]; r++ {
		y := (float64(r) + 0.5) * dLat
		if y < b.Min[1] || y > b.Max[1] {
			continue
		}
		dLon := rowWidth(r, dLat, cell)
		*xs = crossings(c.Geometry, y, (*xs)[:0])
		x := *xs
		for k := 0; k+1 < len(x); k += 2 {
			// Centres (col+0.5)·dLon in [x[k], x[k+1]).
			c0 := int(math.Ceil(x[k]/dLon - 0.5))
			c1 := int(math.Ceil(x[k+1]/dLon-0.5)) - 1
			if c1 < c0 {
				continue
			}
			if dst != nil {
				for col := c0; col <= c1; col++ {
					dst[n+col-c0] = DemandPoint{Commune: ci, Point: orb.Point{(float64(col) + 0.5) * dLon, y}}
				}
			}
			n += c1 - c0 + 1
		}
	}
	if n == 0 {
		if dst != nil {
			dst[0] = DemandPoint{Commune: ci, Point: c.interior()}
		}
		n = 1
	}
	if dst != nil {
		share := c.Population / float64(n)
		for k := range dst {
			dst[k].Population = share
		}
	}
	return n
}

// rowWidth is the column width, in degrees of longitude, of grid row r: cell
// meters measured on the row's edge nearest the equator, so that no cell is
// wider than cell meters.
func rowWidth(r int, dLat, cell float64) float64 {
	lat := math.Min(math.Abs(float64(r)*dLat), math.Abs(float64(r+1)*dLat))
	cos := math.Max(math.Cos(lat*degToRad), 1e-6)
	return cell / (metersPerDegree * cos)
}

// crossings appends to xs the sorted longitudes where the parallel at
// latitude y crosses the rings of mp; between crossings 2k and 2k+1 the
// parallel is inside (even–odd rule).
func crossings(mp orb.MultiPolygon, y float64, xs []float64) []float64 {
	for _, poly := range mp {
		for _, ring := range poly {
			n := len(ring)
			for k := range n {
				a, b := ring[k], ring[(k+1)%n]
				if (a[1] > y) != (b[1] > y) {
					xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
				}
			}
		}
	}
	slices.Sort(xs)
	return xs
}

// interior returns the commune's Interior, InteriorPoint of its geometry
// when the caller left it zero (InteriorPoint gives the zero point again
// when it is the interior point).
func (c *Commune) interior() orb.Point {
	if c.Interior != (orb.Point{}) {
		return c.Interior
	}
	return InteriorPoint(c.Geometry)
}

// InteriorPoint returns a point inside the largest polygon of mp: its
// centroid when inside, otherwise the middle of the widest chord along a
// parallel through the centroid or through the middle of its bounding box.
// It is the demand point of a commune too small for the grid, and where the
// index draws the places known only by their commune.
func InteriorPoint(mp orb.MultiPolygon) orb.Point {
	if len(mp) == 0 {
		return orb.Point{}
	}
	best, bestArea := 0, -1.0
	for i, p := range mp {
		if a := math.Abs(planar.Area(p)); a > bestArea {
			best, bestArea = i, a
		}
	}
	poly := mp[best]
	if len(poly) == 0 || len(poly[0]) == 0 {
		return orb.Point{}
	}
	c, _ := planar.CentroidArea(poly)
	if planar.PolygonContains(poly, c) {
		return c
	}
	b := poly.Bound()
	for _, y := range []float64{c[1], (b.Min[1] + b.Max[1]) / 2} {
		xs := crossings(orb.MultiPolygon{poly}, y, nil)
		w, x := 0.0, math.NaN()
		for k := 0; k+1 < len(xs); k += 2 {
			if d := xs[k+1] - xs[k]; d > w {
				w, x = d, (xs[k]+xs[k+1])/2
			}
		}
		if !math.IsNaN(x) {
			return orb.Point{x, y}
		}
	}
	return poly[0][0]
}
