package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestLocatorMatchesBruteForce: the grid of the locator finds, for points
// inside, near and far from communes spread as France's are (mainland and
// overseas, most of the grid empty), the commune a scan of every commune
// finds: the first in order whose polygon holds the point, else the
// nearest whose boundary is within the distance, else none.
func TestLocatorMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var communes []Commune
	for _, origin := range []orb.Point{{-61.5, 16}, {-52.5, 4.5}, {55.4, -21.1}, {45.1, -12.8}, {-1, 43}, {2, 48}, {6, 45}} {
		for range 60 {
			x := origin[0] + rng.Float64()*2
			y := origin[1] + rng.Float64()*2
			d := 0.01 + rng.Float64()*0.2
			ring := orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
			communes = append(communes, Commune{Code: "c", Population: 100, Geometry: orb.MultiPolygon{{ring}}})
		}
	}
	l := newLocator(communes)
	if l.nx*l.ny < 100_000 {
		t.Fatalf("grid of %d×%d cells: not the sparse grid of a country", l.nx, l.ny)
	}
	brute := func(p orb.Point, maxMeters float64) int {
		for i := range communes {
			if planar.MultiPolygonContains(communes[i].Geometry, p) {
				return i
			}
		}
		best, bestD := -1, maxMeters
		cosLat := math.Max(math.Cos(p[1]*degToRad), 1e-6)
		for i := range communes {
			if d := boundaryMeters(communes[i].Geometry, p, cosLat); d < bestD {
				best, bestD = i, d
			}
		}
		return best
	}
	found, near := 0, 0
	for k := 0; k < 20000; k++ {
		c := communes[rng.IntN(len(communes))].Geometry.Bound()
		p := orb.Point{c.Min[0] + (rng.Float64()*1.6-0.3)*(c.Max[0]-c.Min[0]), c.Min[1] + (rng.Float64()*1.6-0.3)*(c.Max[1]-c.Min[1])}
		want, got := brute(p, MaxSnapMeters), l.locate(p, MaxSnapMeters)
		if got != want {
			t.Fatalf("point %v: locator %d, scan %d", p, got, want)
		}
		if got >= 0 {
			found++
			if !planar.MultiPolygonContains(communes[got].Geometry, p) {
				near++
			}
		}
	}
	if found == 0 || near == 0 {
		t.Fatalf("%d points located, %d by distance: the test does not exercise both", found, near)
	}
	if got := l.locate(orb.Point{150, -40}, MaxSnapMeters); got != -1 {
		t.Errorf("a point far from every commune: %d", got)
	}
}
