package grid

import (
	"math"
	"testing"
)

// TestLAEA checks the projection against IOGP Guidance Note 7-2's worked
// example for EPSG:3035 (50°N 5°E → E 3,962,799.45 m, N 2,999,718.85 m),
// the projection centre, and round trips over metropolitan France.
func TestLAEA(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		lon, lat, east, north float64
	}{
		{"guidance note 7-2", 5, 50, 3962799.45, 2999718.85},
		{"centre", 10, 52, 4321000, 3210000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, n := FromWGS84(tc.lon, tc.lat)
			if math.Abs(e-tc.east) > 0.01 || math.Abs(n-tc.north) > 0.01 {
				t.Errorf("forward (%g, %g) = (%.3f, %.3f), want (%.2f, %.2f)", tc.lon, tc.lat, e, n, tc.east, tc.north)
			}
			lon, lat := ToWGS84(tc.east, tc.north)
			// 1e-7° is about a centimetre.
			if math.Abs(lon-tc.lon) > 1e-7 || math.Abs(lat-tc.lat) > 1e-7 {
				t.Errorf("inverse (%.2f, %.2f) = (%.9f, %.9f), want (%g, %g)", tc.east, tc.north, lon, lat, tc.lon, tc.lat)
			}
		})
	}
	t.Run("round trips over France", func(t *testing.T) {
		for lon := -5.0; lon <= 10; lon += 0.37 {
			for lat := 41.0; lat <= 51.5; lat += 0.29 {
				e, n := FromWGS84(lon, lat)
				l2, p2 := ToWGS84(e, n)
				if math.Abs(l2-lon) > 1e-8 || math.Abs(p2-lat) > 1e-8 { // 1e-8° ≈ 1 mm
					t.Fatalf("(%g, %g) → (%.3f, %.3f) → (%.12f, %.12f)", lon, lat, e, n, l2, p2)
				}
			}
		}
	})
}
