package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestKDTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	randomPoints := func(n int, spread float64) []vec3 {
		v := make([]vec3, n)
		for i := range v {
			v[i] = toVec(orb.Point{2 + (rng.Float64()-0.5)*spread, 47 + (rng.Float64()-0.5)*spread})
		}
		return v
	}
	dup := randomPoints(50, 1)
	dup = append(dup, dup...) // every point twice
	tests := []struct {
		name string
		pts  []vec3
	}{
		{"empty", nil},
		{"one", randomPoints(1, 1)},
		{"leaf", randomPoints(kdLeaf, 1)},
		{"regional", randomPoints(3000, 3)},
		{"continental", randomPoints(3000, 60)},
		{"duplicates", dup},
		{"parallel build", randomPoints(kdParallel*3, 5)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree := newKDTree(tc.pts)
			for q := range 40 {
				v := toVec(orb.Point{2 + (rng.Float64()-0.5)*4, 47 + (rng.Float64()-0.5)*4})
				r2 := metersChord(float64(q) * 2000)
				skip := func(i int32) bool { return i%3 == 0 }
				var want []int32
				wantNear, wantD2 := int32(-1), math.Inf(1)
				for i, p := range tc.pts {
					d2 := chord2(v, p)
					if d2 <= r2 {
						want = append(want, int32(i))
					}
					if !skip(int32(i)) && (d2 < wantD2 || (d2 == wantD2 && int32(i) < wantNear)) {
						wantNear, wantD2 = int32(i), d2
					}
				}
				var got []int32
				tree.within(v, r2, func(i int32, d2 float64) {
					if d2 != chord2(v, tc.pts[i]) {
						t.Fatalf("within: wrong distance for %d", i)
					}
					got = append(got, i)
				})
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("query %d: within found %d points, want %d", q, len(got), len(want))
				}
				if n, d2 := tree.nearest(v, skip); n != wantNear || d2 != wantD2 {
					t.Fatalf("query %d: nearest %d (%v), want %d (%v)", q, n, d2, wantNear, wantD2)
				}
			}
		})
	}
}

func BenchmarkKDTreeNearest(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1000, 20000} {
		pts := make([]vec3, n)
		for i := range pts {
			pts[i] = toVec(orb.Point{-4 + rng.Float64()*12, 42 + rng.Float64()*9})
		}
		tree := newKDTree(pts)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tree.nearest(pts[i%n], nil)
				i++
			}
		})
	}
}
