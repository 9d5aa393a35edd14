package tileset

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/tiles"
)

// TestSimplifiedWithinOneTileUnit: from zoom 9 (DetailZoom) every vertex
// of every commune's source contour lies within one tile unit (1/4096 of
// a tile) of its generalised contour. A tolerance doubled (or 8×) in
// tolerance(z) breaks it. (Below DetailZoom the tolerance is half a
// pixel, 1.5 pixel up to RegionZoom: see tolerance.)
func TestSimplifiedWithinOneTileUnit(t *testing.T) {
	s := regionSet(t)
	communes := s.snap.Communes()
	for _, z := range []int{DetailZoom, 10, 12, MaxZoom} {
		lv := s.level(z)
		units := 1.0
		unit := 1 / (float64(tiles.Extent) * math.Exp2(float64(z))) // one tile unit in world coordinates
		worst, worstCode := 0.0, ""
		for i := range communes {
			src := tiles.WorldGeometry(communes[i].Geometry).(orb.MultiPolygon)
			simp := lv.communes[i]
			for _, poly := range src {
				for _, ring := range poly {
					for _, p := range ring {
						if d := distanceToRings(simp, p) / unit; d > worst {
							worst, worstCode = d, communes[i].Code
						}
					}
				}
			}
		}
		t.Logf("z%d: farthest source vertex %.3f tile units from its generalised contour (commune %s)", z, worst, worstCode)
		if worst > units*(1+1e-6) {
			t.Errorf("z%d: a vertex of commune %s lies %.3f tile units from its generalised contour, more than %g", z, worstCode, worst, units)
		}
		if worst < units/4 {
			t.Errorf("z%d: farthest vertex only %.3f tile units away: the contours are not generalised", z, worst)
		}
	}
}

// distanceToRings is the distance from p to the nearest edge of mp.
func distanceToRings(mp orb.MultiPolygon, p orb.Point) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				if d := planar.DistanceFromSegmentSquared(ring[i], ring[i+1], p); d < best {
					best = d
				}
			}
		}
	}
	return math.Sqrt(best)
}
