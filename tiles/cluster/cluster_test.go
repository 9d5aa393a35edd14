package cluster

import (
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

func TestClusters(t *testing.T) {
	world := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}
	cases := []struct {
		name   string
		points []orb.Point
		z      int
		want   []int // sizes of the clusters, in query order
	}{
		{"empty", nil, 3, nil},
		{"lone point", []orb.Point{{0.5, 0.5}}, 0, []int{1}},
		{"two close points merge at low zoom", []orb.Point{{0.5, 0.5}, {0.50001, 0.5}}, 5, []int{2}},
		{"two close points split above max zoom", []orb.Point{{0.5, 0.5}, {0.50001, 0.5}}, 12, []int{1, 1}},
		{"far points stay apart", []orb.Point{{0.1, 0.1}, {0.9, 0.9}}, 4, []int{1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ix := New(tc.points, DefaultOptions())
			got := ix.Query(tc.z, world)
			if len(got) != len(tc.want) {
				t.Fatalf("%d clusters, want %d", len(got), len(tc.want))
			}
			for i, c := range got {
				if len(c.Members) != tc.want[i] {
					t.Errorf("cluster %d has %d members, want %d", i, len(c.Members), tc.want[i])
				}
			}
		})
	}
}

// TestEveryPointInOneCluster: at every zoom the clusters partition the
// points, and their number never decreases with zoom.
func TestEveryPointInOneCluster(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pts := make([]orb.Point, 3000)
	for i := range pts {
		// a dense city and a sparse countryside
		if i%3 == 0 {
			pts[i] = orb.Point{0.5 + rng.Float64()*0.001, 0.3 + rng.Float64()*0.001}
		} else {
			pts[i] = orb.Point{0.5 + rng.Float64()*0.008, 0.3 + rng.Float64()*0.008} // about the size of a region
		}
	}
	ix := New(pts, DefaultOptions())
	world := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}
	prev := 0
	for z := 0; z <= 14; z++ {
		cs := ix.Query(z, world)
		seen := make([]bool, len(pts))
		n := 0
		for _, c := range cs {
			for _, m := range c.Members {
				if seen[m] {
					t.Fatalf("z%d: point %d in two clusters", z, m)
				}
				seen[m] = true
				n++
			}
		}
		if n != len(pts) {
			t.Fatalf("z%d: %d points in clusters, want %d", z, n, len(pts))
		}
		if len(cs) < prev {
			t.Fatalf("z%d: %d clusters, fewer than %d at z%d", z, len(cs), prev, z-1)
		}
		prev = len(cs)
	}
	if low := len(ix.Query(5, world)); low > 20 {
		t.Errorf("z5: %d clusters for a region-sized square, want a handful", low)
	}
}

// TestQueryMatchesScan: the grid query returns exactly the clusters whose
// centre is in the bound.
func TestQueryMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	pts := make([]orb.Point, 2000)
	for i := range pts {
		pts[i] = orb.Point{0.5 + rng.Float64()*0.02, 0.3 + rng.Float64()*0.02}
	}
	ix := New(pts, DefaultOptions())
	for z := 0; z <= 11; z++ {
		all := ix.Query(z, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}})
		b := orb.Bound{Min: orb.Point{0.505, 0.305}, Max: orb.Point{0.512, 0.311}}
		want := 0
		for _, c := range all {
			if b.Contains(c.Center) {
				want++
			}
		}
		if got := len(ix.Query(z, b)); got != want {
			t.Errorf("z%d: query %d clusters, scan %d", z, got, want)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	pts := make([]orb.Point, 2500)
	for i := range pts {
		pts[i] = orb.Point{0.5 + rng.Float64()*0.03, 0.3 + rng.Float64()*0.03}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		New(pts, DefaultOptions())
	}
}
