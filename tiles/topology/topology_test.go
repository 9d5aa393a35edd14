package topology

import (
	"math"
	"math/rand"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// rect is the closed rectangle [x0,x1]×[y0,y1], counter-clockwise.
func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func poly(rings ...orb.Ring) orb.MultiPolygon { return orb.MultiPolygon{orb.Polygon(rings)} }

func reversed(r orb.Ring) orb.Ring {
	c := r.Clone()
	c.Reverse()
	return c
}

// grid3 is the 3×3 grid of unit squares, row by row from the bottom left.
func grid3() []orb.MultiPolygon {
	var ps []orb.MultiPolygon
	for y := 0.0; y < 3; y++ {
		for x := 0.0; x < 3; x++ {
			ps = append(ps, poly(rect(x, y, x+1, y+1)))
		}
	}
	return ps
}

func TestBuild(t *testing.T) {
	cases := []struct {
		name     string
		polys    []orb.MultiPolygon
		arcs     int
		vertices int
	}{
		{"empty", nil, 0, 0},
		{"lone square is one closed arc", []orb.MultiPolygon{poly(rect(0, 0, 1, 1))}, 1, 5},
		{
			"two squares sharing an edge",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(rect(1, 0, 2, 1))},
			3, 2 + 4 + 4, // the shared edge, and each square's other three sides
		},
		{
			"opposite orientations of the shared edge",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(reversed(rect(1, 0, 2, 1)))},
			3, 10,
		},
		{
			"three polygons meeting at a point",
			[]orb.MultiPolygon{
				poly(orb.Ring{{0, 0}, {1, 0}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}),
				poly(orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}),
				poly(rect(1, 0, 2, 1)),
			},
			6, 3*2 + 4 + 3 + 3, // three borders of two points, three outer chains
		},
		{
			"hole filled by another polygon",
			[]orb.MultiPolygon{poly(rect(0, 0, 4, 4), reversed(rect(1, 1, 3, 3))), poly(rect(1, 1, 3, 3))},
			2, 10, // the outer ring, and the hole shared with the island
		},
		{
			"hole filled by a polygon starting elsewhere",
			[]orb.MultiPolygon{
				poly(rect(0, 0, 4, 4), orb.Ring{{3, 3}, {1, 3}, {1, 1}, {3, 1}, {3, 3}}),
				poly(orb.Ring{{3, 1}, {3, 3}, {1, 3}, {1, 1}, {3, 1}}),
			},
			2, 10,
		},
		{
			"multipolygon with a neighbour",
			[]orb.MultiPolygon{
				{{rect(0, 0, 1, 1)}, {rect(5, 5, 6, 6)}},
				poly(rect(1, 0, 2, 1)),
			},
			4, 10 + 5,
		},
		{
			"repeated consecutive points and open ring",
			[]orb.MultiPolygon{poly(orb.Ring{{0, 0}, {0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}})},
			1, 5,
		},
		{
			"degenerate rings are ignored",
			[]orb.MultiPolygon{poly(orb.Ring{{0, 0}, {1, 1}, {2, 2}, {0, 0}}), poly(orb.Ring{{0, 0}, {1, 0}})},
			0, 0,
		},
		{
			"squares touching at a corner",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(rect(1, 1, 2, 2))},
			2, 10, // each square is one arc from and to the junction
		},
		// 12 inner edges; on the outline, 4 edges between junctions and 4
		// arcs of two edges around the corners (a corner is no junction)
		{"3×3 grid", grid3(), 12 + 4 + 4, 12*2 + 4*2 + 4*3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topo := Build(tc.polys)
			if got := topo.NumArcs(); got != tc.arcs {
				t.Errorf("NumArcs = %d, want %d", got, tc.arcs)
			}
			if got := topo.NumVertices(); got != tc.vertices {
				t.Errorf("NumVertices = %d, want %d", got, tc.vertices)
			}
			out := topo.Simplify(0)
			if len(out) != len(tc.polys) {
				t.Fatalf("Simplify returned %d polygons, want %d", len(out), len(tc.polys))
			}
			checkValid(t, out)
			checkPartition(t, out, nil)
		})
	}
}

// TestSimplifyOriginal: at tolerance 0 every polygon comes back with its
// original vertices, oriented exterior counter-clockwise and holes clockwise.
func TestSimplifyOriginal(t *testing.T) {
	cases := []struct {
		name string
		in   orb.MultiPolygon
		want orb.MultiPolygon // up to the start of each ring
	}{
		{"counter-clockwise square", poly(rect(0, 0, 1, 1)), poly(rect(0, 0, 1, 1))},
		{"clockwise square is reversed", poly(reversed(rect(0, 0, 1, 1))), poly(rect(0, 0, 1, 1))},
		{
			"counter-clockwise hole is reversed",
			poly(rect(0, 0, 4, 4), rect(1, 1, 3, 3)),
			poly(rect(0, 0, 4, 4), reversed(rect(1, 1, 3, 3))),
		},
		{
			"repeated points removed, ring closed",
			poly(orb.Ring{{0, 0}, {0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}}),
			poly(rect(0, 0, 1, 1)),
		},
		{
			"degenerate hole dropped",
			poly(rect(0, 0, 4, 4), orb.Ring{{1, 1}, {2, 2}, {3, 3}, {1, 1}}),
			poly(rect(0, 0, 4, 4)),
		},
		{"degenerate exterior gives nil", poly(orb.Ring{{1, 1}, {2, 2}, {3, 3}, {1, 1}}), nil},
		{
			"multipolygon",
			orb.MultiPolygon{{reversed(rect(0, 0, 1, 1))}, {rect(5, 5, 6, 6)}},
			orb.MultiPolygon{{rect(0, 0, 1, 1)}, {rect(5, 5, 6, 6)}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Build([]orb.MultiPolygon{tc.in}).Simplify(0)[0]
			if len(got) != len(tc.want) {
				t.Fatalf("got %d polygons, want %d: %v", len(got), len(tc.want), got)
			}
			for p := range got {
				if len(got[p]) != len(tc.want[p]) {
					t.Fatalf("polygon %d has %d rings, want %d", p, len(got[p]), len(tc.want[p]))
				}
				for r := range got[p] {
					if !sameRing(got[p][r], tc.want[p][r]) {
						t.Errorf("ring %d.%d = %v, want %v", p, r, got[p][r], tc.want[p][r])
					}
				}
			}
		})
	}
}

// sameRing reports whether two closed rings have the same points in the
// same order, whatever their start.
func sameRing(a, b orb.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	n := len(a) - 1
	for s := 0; s < n; s++ {
		ok := true
		for i := 0; i < n && ok; i++ {
			ok = a[(s+i)%n] == b[i]
		}
		if ok {
			return a[0] == a[n] && b[0] == b[n]
		}
	}
	return false
}

// TestSimplifySharedBorder: a zigzag border shared by two polygons (given in
// opposite directions) is simplified once, so both polygons keep the same
// points, and the tolerance drops the zigzag.
func TestSimplifySharedBorder(t *testing.T) {
	// The border runs from (0,0) up to (0,10) with a zigzag of amplitude amp.
	border := func(amp float64) []orb.Point {
		var b []orb.Point
		for y := 0.0; y <= 10; y++ {
			x := 0.0
			if int(y)%2 == 1 {
				x = amp
			}
			b = append(b, orb.Point{x, y})
		}
		return b
	}
	cases := []struct {
		name   string
		amp    float64
		tol    float64
		points int // points of each ring
	}{
		{"tolerance 0 keeps all", 0.1, 0, 11 + 2 + 1},
		{"small tolerance keeps the zigzag", 0.1, 0.01, 14},
		{"tolerance above the zigzag drops it", 0.1, 0.2, 2 + 2 + 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := border(tc.amp)
			left := append(orb.Ring{}, b...)
			left = append(left, orb.Point{-5, 10}, orb.Point{-5, 0}, b[0]) // clockwise
			right := orb.Ring{}
			for i := len(b) - 1; i >= 0; i-- {
				right = append(right, b[i])
			}
			right = append(right, orb.Point{5, 0}, orb.Point{5, 10}, b[len(b)-1]) // clockwise
			topo := Build([]orb.MultiPolygon{poly(left), poly(right)})
			if topo.NumArcs() != 3 {
				t.Fatalf("NumArcs = %d, want 3", topo.NumArcs())
			}
			out := topo.Simplify(tc.tol)
			checkValid(t, out)
			checkPartition(t, out, nil)
			for i, mp := range out {
				if got := len(mp[0][0]); got != tc.points {
					t.Errorf("ring %d has %d points, want %d", i, got, tc.points)
				}
			}
		})
	}
}

// TestSimplifyKeepsTinyPolygons: at a tolerance far larger than the
// polygons, no ring collapses, and shared arcs keep neighbours consistent.
func TestSimplifyKeepsTinyPolygons(t *testing.T) {
	circle := func(cx, cy, r float64, n int) orb.Ring {
		var ring orb.Ring
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			ring = append(ring, orb.Point{cx + r*math.Cos(a), cy + r*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	cases := []struct {
		name  string
		polys []orb.MultiPolygon
	}{
		{"lone circle", []orb.MultiPolygon{poly(circle(0, 0, 1, 50))}},
		{"island in a lake", []orb.MultiPolygon{
			poly(circle(0, 0, 10, 60), reversed(circle(0, 0, 1, 40))),
			poly(circle(0, 0, 1, 40)),
		}},
		{"tiny squares", grid3()},
		{"tiny triangle", []orb.MultiPolygon{poly(orb.Ring{{0, 0}, {1e-3, 0}, {0, 1e-3}, {0, 0}})}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topo := Build(tc.polys)
			for _, tol := range []float64{0, 0.1, 10, 1e6} {
				out := topo.Simplify(tol)
				checkValid(t, out)
				checkPartition(t, out, nil)
				for i, mp := range out {
					if len(mp) != len(tc.polys[i]) {
						t.Errorf("tol %g: polygon %d has %d parts, want %d", tol, i, len(mp), len(tc.polys[i]))
					}
				}
			}
		})
	}
}

// TestSimplifyRepairsCrossings: a border whose simplification would cut
// through a nearby polygon keeps the point that avoids it.
func TestSimplifyRepairsCrossings(t *testing.T) {
	// A field whose top border dips down to (5, 0.5) between (0,2) and
	// (10,2), and a barn standing in the dip, above it.
	field := poly(orb.Ring{{0, -5}, {10, -5}, {10, 2}, {5, 0.5}, {0, 2}, {0, -5}})
	barn := poly(rect(4, 1, 6, 3))
	dip := orb.Point{5, 0.5}
	cases := []struct {
		name    string
		polys   []orb.MultiPolygon
		tol     float64
		keepDip bool
	}{
		{"field alone loses the dip", []orb.MultiPolygon{field}, 1.6, false},
		{"field keeps the dip under the barn", []orb.MultiPolygon{field, barn}, 1.6, true},
		{"small tolerance keeps the dip", []orb.MultiPolygon{field, barn}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := Build(tc.polys).Simplify(tc.tol)
			checkValid(t, out)
			if n := crossings(out); n > 0 {
				t.Errorf("%d crossings", n)
			}
			got := false
			for _, p := range out[0][0][0] {
				got = got || p == dip
			}
			if got != tc.keepDip {
				t.Errorf("dip kept: %v, want %v: %v", got, tc.keepDip, out)
			}
		})
	}
}

// TestConcurrentUse: a Topology is read-only once built.
func TestConcurrentUse(t *testing.T) {
	topo := Build(grid3())
	groups := []string{"a", "a", "b", "b", "a", "b", "c", "c", "c"}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Go(func() {
			topo.Simplify(0.5)
			topo.Dissolve(groups, 0.5)
		})
	}
	wg.Wait()
}

// TestDPThresholds: keeping the points whose threshold exceeds tol² is the
// classic Douglas–Peucker of orb/simplify.
func TestDPThresholds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{2, 3, 10, 100, 1000} {
		ls := make(orb.LineString, n)
		for i := range ls {
			ls[i] = orb.Point{float64(i) + rng.Float64(), rng.NormFloat64()}
		}
		thr := make([]float64, n)
		dpThresholds(ls, thr, nil)
		for _, tol := range []float64{0, 0.01, 0.1, 0.5, 1, 3, 100} {
			want := simplify.DouglasPeucker(tol).Simplify(ls.Clone()).(orb.LineString)
			var got orb.LineString
			for i, p := range ls {
				if thr[i] > tol*tol {
					got = append(got, p)
				}
			}
			if !got.Equal(want) {
				t.Errorf("n %d tol %g: %d points, orb/simplify keeps %d", n, tol, len(got), len(want))
			}
		}
	}
}

func TestDissolve(t *testing.T) {
	cases := []struct {
		name   string
		polys  []orb.MultiPolygon
		groups []string
		want   map[string][]int // rings per polygon of each group
		area   map[string]float64
	}{
		{
			"two squares sharing an edge",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(reversed(rect(1, 0, 2, 1)))},
			[]string{"a", "a"},
			map[string][]int{"a": {1}}, map[string]float64{"a": 2},
		},
		{
			"ungrouped polygons are left out",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(rect(1, 0, 2, 1))},
			[]string{"a", ""},
			map[string][]int{"a": {1}}, map[string]float64{"a": 1},
		},
		{
			"squares touching at a corner stay two polygons",
			[]orb.MultiPolygon{poly(rect(0, 0, 1, 1)), poly(rect(1, 1, 2, 2))},
			[]string{"a", "a"},
			map[string][]int{"a": {1, 1}}, map[string]float64{"a": 2},
		},
		{
			"hole filled by another polygon",
			[]orb.MultiPolygon{poly(rect(0, 0, 4, 4), rect(1, 1, 3, 3)), poly(rect(1, 1, 3, 3))},
			[]string{"all", "all"},
			map[string][]int{"all": {1}}, map[string]float64{"all": 16},
		},
		{
			"hole where the group surrounds a non-member",
			grid3(),
			[]string{"a", "a", "a", "a", "b", "a", "a", "a", "a"},
			map[string][]int{"a": {2}, "b": {1}}, map[string]float64{"a": 8, "b": 1},
		},
		{
			"hole touching the exterior at a point",
			grid3(),
			[]string{"a", "a", "a", "a", "", "a", "a", "a", ""},
			map[string][]int{"a": {2}}, map[string]float64{"a": 7},
		},
		{
			"three groups meeting at a point",
			[]orb.MultiPolygon{
				poly(orb.Ring{{0, 0}, {1, 0}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}),
				poly(orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}),
				poly(rect(1, 0, 2, 1)),
			},
			[]string{"x", "y", "z"},
			map[string][]int{"x": {1}, "y": {1}, "z": {1}}, map[string]float64{"x": 2, "y": 1, "z": 1},
		},
		{
			"multipolygon member",
			[]orb.MultiPolygon{{{rect(0, 0, 1, 1)}, {rect(5, 5, 6, 6)}}, poly(rect(1, 0, 2, 1))},
			[]string{"a", "a"},
			map[string][]int{"a": {1, 1}}, map[string]float64{"a": 3},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			topo := Build(tc.polys)
			got := topo.Dissolve(tc.groups, 0)
			if len(got) != len(tc.want) {
				t.Fatalf("%d groups, want %d", len(got), len(tc.want))
			}
			for g, want := range tc.want {
				mp := got[g]
				checkValid(t, []orb.MultiPolygon{mp})
				if len(mp) != len(want) {
					t.Fatalf("group %q has %d polygons, want %d: %v", g, len(mp), len(want), mp)
				}
				for p := range mp {
					if len(mp[p]) != want[p] {
						t.Errorf("group %q polygon %d has %d rings, want %d", g, p, len(mp[p]), want[p])
					}
				}
				if a := planar.Area(mp); a != tc.area[g] {
					t.Errorf("group %q area %g, want %g", g, a, tc.area[g])
				}
			}
		})
	}
}

func TestDissolvePanicsOnWrongGroups(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Build([]orb.MultiPolygon{poly(rect(0, 0, 1, 1))}).Dissolve(nil, 0)
}

// checkValid checks that every ring is closed, has at least 4 points, and a
// non-zero area, positive for exteriors and negative for holes.
func checkValid(t testing.TB, mps []orb.MultiPolygon) {
	t.Helper()
	for i, mp := range mps {
		for p, pg := range mp {
			for r, ring := range pg {
				switch a := ringArea(ring); {
				case len(ring) < 4:
					t.Errorf("polygon %d.%d ring %d has %d points", i, p, r, len(ring))
				case ring[0] != ring[len(ring)-1]:
					t.Errorf("polygon %d.%d ring %d is not closed", i, p, r)
				case r == 0 && a <= 0:
					t.Errorf("polygon %d.%d exterior has area %g", i, p, a)
				case r > 0 && a >= 0:
					t.Errorf("polygon %d.%d hole %d has area %g", i, p, r, a)
				}
				for k := 1; k < len(ring); k++ {
					if ring[k] == ring[k-1] {
						t.Errorf("polygon %d.%d ring %d repeats point %d", i, p, r, k)
						break
					}
				}
			}
		}
	}
}

type edge [2]orb.Point

// segments counts the directed segments of the rings.
func segments(mps []orb.MultiPolygon) map[edge]int {
	m := make(map[edge]int)
	for _, mp := range mps {
		for _, pg := range mp {
			for _, r := range pg {
				for k := 1; k < len(r); k++ {
					m[edge{r[k-1], r[k]}]++
				}
			}
		}
	}
	return m
}

// checkPartition checks that the polygons tile the plane without gaps nor
// overlaps along their borders: every edge is used once in each
// direction by two rings, or once on the outline (the segments of outline,
// when given, with the same direction).
func checkPartition(t testing.TB, mps []orb.MultiPolygon, outline []orb.MultiPolygon) {
	t.Helper()
	segs := segments(mps)
	var out map[edge]int
	if outline != nil {
		out = segments(outline)
	}
	bad := 0
	for s, n := range segs {
		rev := segs[edge{s[1], s[0]}]
		switch {
		case n != 1:
			bad++
			if bad <= 5 {
				t.Errorf("edge %v used %d times in the same direction", s, n)
			}
		case rev == 0 && out != nil && out[s] != 1:
			bad++
			if bad <= 5 {
				t.Errorf("edge %v is used by one ring but is not on the outline", s)
			}
		}
	}
	for s := range out {
		if segs[s] != 1 || segs[edge{s[1], s[0]}] != 0 {
			bad++
			if bad <= 5 {
				t.Errorf("outline edge %v is not used by exactly one ring", s)
			}
		}
	}
	if bad > 5 {
		t.Errorf("%d bad segments in all", bad)
	}
}
