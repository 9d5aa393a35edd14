package topology

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// maxDeviation returns the largest distance from a vertex of src to the
// boundary of simp, the same polygons simplified, and the vertex.
func maxDeviation(src, simp orb.MultiPolygon) (float64, orb.Point) {
	var segs [][2]orb.Point
	for _, p := range simp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				segs = append(segs, [2]orb.Point{r[i], r[i+1]})
			}
		}
	}
	worst, at := 0.0, orb.Point{}
	for _, p := range src {
		for _, r := range p {
			for _, v := range r {
				best := math.Inf(1)
				for _, s := range segs {
					if d := planar.DistanceFromSegmentSquared(s[0], s[1], v); d < best {
						best = d
						if d == 0 {
							break
						}
					}
				}
				if best > worst {
					worst, at = best, v
				}
			}
		}
	}
	return math.Sqrt(worst), at
}

// TestSimplifyWithinTolerance: simplified at the tolerance of one tile unit
// of a zoom, every vertex of every commune's boundary stays within one tile
// unit of the simplified boundary, and the tolerance is used (some vertex
// moves by more than half of it). A tolerance doubled, or multiplied by
// eight, moves vertices by more than one unit.
func TestSimplifyWithinTolerance(t *testing.T) {
	c := realCommunes(t)
	topo := communesTopology()
	for _, z := range []int{6, 8, 10, 12} {
		tol := zoomTol(z)
		t.Run(fmt.Sprintf("z%d", z), func(t *testing.T) {
			out := topo.Simplify(tol)
			worst := 0.0
			for i, src := range c.polys {
				d, at := maxDeviation(src, out[i])
				if d > tol*(1+1e-9) {
					t.Fatalf("commune %d: vertex %v is %.3f tile units from the simplified boundary, more than 1", i, at, d/tol)
				}
				worst = max(worst, d)
			}
			if worst < tol/2 {
				t.Errorf("no vertex moves by more than %.3f tile units: the tolerance is not used", worst/tol)
			}
			t.Logf("largest deviation %.3f tile units", worst/tol)
		})
	}
}
