package index

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// metresPerDegree is the length of one degree of latitude (and of longitude
// at the equator) on the mean Earth sphere.
const metresPerDegree = 6371008.8 * math.Pi / 180

// DistanceToCommune returns how far p lies outside the contour of the
// commune with this code, in metres: 0 when p is inside it.
func (s *Snapshot) DistanceToCommune(code string, p orb.Point) (float64, bool) {
	c, ok := s.communeByCode[code]
	if !ok {
		return 0, false
	}
	return metresOutside(c.Geometry, p), true
}

// NearestCommune returns the commune of the region nearest to p within
// maxMetres, with the distance from p to its contour (0 when inside).
func (s *Snapshot) NearestCommune(p orb.Point, maxMetres float64) (*cartonum.Commune, float64, bool) {
	if c, ok := s.CommuneAt(p); ok {
		return c, 0, true
	}
	dLat := maxMetres / metresPerDegree
	dLon := dLat / math.Max(math.Cos(p[1]*math.Pi/180), 0.01)
	var best *cartonum.Commune
	bestD := math.Inf(1)
	s.communeTree.Search([2]float64{p[0] - dLon, p[1] - dLat}, [2]float64{p[0] + dLon, p[1] + dLat}, func(_, _ [2]float64, i int32) bool {
		c := &s.communes[i]
		if d := metresOutside(c.Geometry, p); d < bestD {
			best, bestD = c, d
		}
		return true
	})
	if best == nil || bestD > maxMetres {
		return nil, 0, false
	}
	return best, bestD, true
}

// metresOutside is the distance in metres from p to the nearest edge of mp
// when p lies outside it, 0 inside. Distances are measured in a local
// equirectangular projection centred on p, accurate to well under 1 % at the
// tens of kilometres this is used for.
func metresOutside(mp orb.MultiPolygon, p orb.Point) float64 {
	if planar.MultiPolygonContains(mp, p) {
		return 0
	}
	kx := metresPerDegree * math.Cos(p[1]*math.Pi/180)
	ky := metresPerDegree
	project := func(q orb.Point) orb.Point { return orb.Point{(q[0] - p[0]) * kx, (q[1] - p[1]) * ky} }
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				if d := planar.DistanceFromSegmentSquared(project(ring[i]), project(ring[i+1]), orb.Point{}); d < best {
					best = d
				}
			}
		}
	}
	return math.Sqrt(best)
}
