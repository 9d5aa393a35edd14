package analysis

import (
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// sequentialGrid is Grid.Demand as it was before it counted the points
// first and spread the communes over the processors: the reference the
// faster version must match bit for bit.
func sequentialGrid(g Grid, communes []Commune) []DemandPoint {
	cell := g.CellMeters
	if !(cell > 0) {
		cell = 1000
	}
	dLat := cell / metersPerDegree
	var out []DemandPoint
	var xs []float64
	for ci := range communes {
		c := &communes[ci]
		if len(c.Geometry) == 0 {
			continue
		}
		start := len(out)
		b := c.Geometry.Bound()
		for r := int(math.Floor(b.Min[1] / dLat)); float64(r)*dLat <= b.Max[1]; r++ {
			y := (float64(r) + 0.5) * dLat
			if y < b.Min[1] || y > b.Max[1] {
				continue
			}
			dLon := rowWidth(r, dLat, cell)
			xs = crossings(c.Geometry, y, xs[:0])
			for k := 0; k+1 < len(xs); k += 2 {
				c0 := int(math.Ceil(xs[k]/dLon - 0.5))
				c1 := int(math.Ceil(xs[k+1]/dLon-0.5)) - 1
				for col := c0; col <= c1; col++ {
					out = append(out, DemandPoint{Commune: ci, Point: orb.Point{(float64(col) + 0.5) * dLon, y}})
				}
			}
		}
		if len(out) == start {
			out = append(out, DemandPoint{Commune: ci, Point: InteriorPoint(c.Geometry)})
		}
		share := c.Population / float64(len(out)-start)
		for k := start; k < len(out); k++ {
			out[k].Population = share
		}
	}
	return out
}

// TestGridMatchesSequential checks that Grid.Demand gives exactly the
// points of the sequential reference, whatever the number of processors,
// on synthetic communes (with empty geometries and tiny ones) and on
// region 32 when the data mirror is there.
func TestGridMatchesSequential(t *testing.T) {
	synth, _ := synthFrance(900, 0, 300, 3)
	synth = append(synth, Commune{Code: "N", Population: 5}, square("T", 0.1, 0.1, 0.1, 3))
	sets := map[string][]Commune{"synthetic": synth}
	if r, err := readCommunes(filepath.Join(dataDir(), "communes-32.geojson")); err == nil {
		sets["region 32"] = r
	}
	for name, communes := range sets {
		for _, cell := range []float64{0, 500, 5000} {
			want := sequentialGrid(Grid{CellMeters: cell}, communes)
			for _, procs := range []int{1, 2, 3} {
				func() {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
					got := Grid{CellMeters: cell}.Demand(communes)
					if !slices.Equal(got, want) {
						t.Errorf("%s, %v m cells, %d processors: %d points differ from the sequential %d", name, cell, procs, len(got), len(want))
					}
				}()
			}
		}
	}
}

// BenchmarkGridNational spreads 35,000 synthetic communes over the default
// 1 km grid (about 560,000 points), NewModel's first step.
func BenchmarkGridNational(b *testing.B) {
	communes, _ := synthFrance(35000, 0, 742, 2026)
	b.ReportAllocs()
	for b.Loop() {
		Grid{}.Demand(communes)
	}
}
