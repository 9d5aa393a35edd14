package topology

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// communes are the communes of Hauts-de-France from the data mirror, in
// world units (the unit square, y up), with their département and EPCI.
type communes struct {
	polys       []orb.MultiPolygon
	departement []string
	epci        []string
}

var loadCommunes = sync.OnceValues(func() (*communes, error) {
	dir := os.Getenv("CARTONUM_DATA_MIRROR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	b, err := os.ReadFile(filepath.Join(dir, "communes-32.geojson"))
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("communes-32.geojson: %w", err)
	}
	c := &communes{}
	for _, f := range fc.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			return nil, fmt.Errorf("commune %v: geometry %T", f.Properties["code"], g)
		}
		for _, p := range mp {
			for _, r := range p {
				for i, pt := range r {
					r[i] = world(pt)
				}
			}
		}
		c.polys = append(c.polys, mp)
		c.departement = append(c.departement, f.Properties.MustString("codeDepartement", ""))
		c.epci = append(c.epci, f.Properties.MustString("codeEpci", ""))
	}
	return c, nil
})

// world projects a WGS84 point to Web Mercator world units: the unit
// square, with y up.
func world(p orb.Point) orb.Point {
	lat := p[1] * math.Pi / 180
	return orb.Point{(p[0] + 180) / 360, 0.5 + math.Log(math.Tan(math.Pi/4+lat/2))/(2*math.Pi)}
}

// realCommunes returns the communes, or skips the test when the data mirror
// is absent (and fails under CI).
func realCommunes(tb testing.TB) *communes {
	tb.Helper()
	c, err := loadCommunes()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("data mirror missing under CI: %v", err)
		}
		tb.Skipf("data mirror not found (%v); set CARTONUM_DATA_MIRROR", err)
	}
	return c
}

// zoomTol is the tolerance of one unit of a 4096-unit tile at zoom z, in
// world units.
func zoomTol(z int) float64 { return 1 / (4096 * math.Exp2(float64(z))) }

var communesTopology = sync.OnceValue(func() *Topology {
	c, _ := loadCommunes()
	return Build(c.polys)
})

func TestCommunes(t *testing.T) {
	c := realCommunes(t)
	topo := communesTopology()
	all := make([]string, len(c.polys))
	for i := range all {
		all[i] = "region"
	}
	t.Logf("%d communes: %d arcs, %d vertices", len(c.polys), topo.NumArcs(), topo.NumVertices())

	cases := []struct {
		name string
		tol  float64
	}{
		{"original", 0},
		{"z14", zoomTol(14)},
		{"z12", zoomTol(12)},
		{"z10", zoomTol(10)},
		{"z8", zoomTol(8)},
		{"z6", zoomTol(6)},
		{"z4", zoomTol(4)},
		{"z2", zoomTol(2)},
		{"z0", zoomTol(0)},
	}
	prev := math.MaxInt
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := topo.Simplify(tc.tol)
			if len(out) != len(c.polys) {
				t.Fatalf("%d polygons, want %d", len(out), len(c.polys))
			}
			checkValid(t, out)
			n := 0
			for i, mp := range out {
				if len(mp) != len(c.polys[i]) {
					t.Errorf("commune %d has %d parts, want %d", i, len(mp), len(c.polys[i]))
				}
				for _, p := range mp {
					if len(p) != len(c.polys[i][0]) && len(mp) == 1 {
						t.Errorf("commune %d has %d rings, want %d", i, len(p), len(c.polys[i][0]))
					}
					for _, r := range p {
						n += len(r) - 1
					}
				}
			}
			if n >= prev {
				t.Errorf("%d vertices, not fewer than %d at the smaller tolerance", n, prev)
			}
			prev = n

			region := topo.Dissolve(all, tc.tol)["region"]
			checkValid(t, []orb.MultiPolygon{region})
			checkPartition(t, out, []orb.MultiPolygon{region})
			sum := 0.0
			for _, mp := range out {
				sum += planar.Area(mp)
			}
			if a := planar.Area(region); !near(sum, a) {
				t.Errorf("communes cover %g, their union %g", sum, a)
			}
			if n := crossings(out); n > 0 {
				t.Errorf("%d pairs of crossing segments", n)
			}
			t.Logf("%-8s tol %.3g: %6d vertices in rings, %6d in arcs, %5d in the region's outline",
				tc.name, tc.tol, n, len(topo.simplified(tc.tol).pts), len(region[0][0])-1)
		})
	}
}

func TestCommunesDissolve(t *testing.T) {
	c := realCommunes(t)
	topo := communesTopology()
	cases := []struct {
		name   string
		groups []string
		want   int // number of groups
	}{
		{"départements", c.departement, 5},
		{"EPCI", c.epci, distinct(c.epci)},
	}
	for _, tc := range cases {
		for _, z := range []int{-1, 12, 8, 4} {
			tol, zoom := 0.0, "original"
			if z >= 0 {
				tol, zoom = zoomTol(z), fmt.Sprintf("z%d", z)
			}
			t.Run(tc.name+" "+zoom, func(t *testing.T) {
				communes := topo.Simplify(tol)
				got := topo.Dissolve(tc.groups, tol)
				if len(got) != tc.want {
					t.Fatalf("%d groups, want %d", len(got), tc.want)
				}
				memberArea := make(map[string]float64)
				for i, mp := range communes {
					memberArea[tc.groups[i]] += planar.Area(mp)
				}
				var all []orb.MultiPolygon
				parts, holes, vertices := 0, 0, 0
				for g, mp := range got {
					parts += len(mp)
					for _, p := range mp {
						holes += len(p) - 1
						for _, r := range p {
							vertices += len(r) - 1
						}
					}
					checkValid(t, []orb.MultiPolygon{mp})
					if a := planar.Area(mp); !near(a, memberArea[g]) {
						t.Errorf("group %s: area %g, its members' %g", g, a, memberArea[g])
					}
					all = append(all, mp)
				}
				t.Logf("%d groups: %d polygons, %d holes, %d vertices", len(got), parts, holes, vertices)
				// The groups' borders are their members' borders.
				segs := segments(communes)
				for s := range segments(all) {
					if segs[s] != 1 {
						t.Fatalf("group edge %v is not a commune edge", s)
					}
				}
				// The groups tile the region as the communes do.
				region := make([]string, len(tc.groups))
				for i := range region {
					region[i] = "region"
				}
				checkPartition(t, all, []orb.MultiPolygon{topo.Dissolve(region, tol)["region"]})
			})
		}
	}
}

func distinct(keys []string) int {
	m := make(map[string]bool)
	for _, k := range keys {
		if k != "" {
			m[k] = true
		}
	}
	return len(m)
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// crossings counts the pairs of segments of the rings that cross at a point
// inside both (borders sharing points or segments do not count).
func crossings(mps []orb.MultiPolygon) int {
	type seg struct{ a, b orb.Point }
	var segs []seg
	seen := make(map[[2]orb.Point]bool)
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, mp := range mps {
		for _, p := range mp {
			for _, r := range p {
				for k := 1; k < len(r); k++ {
					a, b := r[k-1], r[k]
					if seen[[2]orb.Point{b, a}] {
						continue
					}
					seen[[2]orb.Point{a, b}] = true
					segs = append(segs, seg{a, b})
					bound = bound.Extend(a)
				}
			}
		}
	}
	const cells = 512
	w, h := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	cell := func(x, y float64) (int, int) {
		i := int((x - bound.Min[0]) / w * cells)
		j := int((y - bound.Min[1]) / h * cells)
		return min(max(i, 0), cells-1), min(max(j, 0), cells-1)
	}
	grid := make(map[[2]int][]int)
	for s, sg := range segs {
		i0, j0 := cell(math.Min(sg.a[0], sg.b[0]), math.Min(sg.a[1], sg.b[1]))
		i1, j1 := cell(math.Max(sg.a[0], sg.b[0]), math.Max(sg.a[1], sg.b[1]))
		for i := i0; i <= i1; i++ {
			for j := j0; j <= j1; j++ {
				grid[[2]int{i, j}] = append(grid[[2]int{i, j}], s)
			}
		}
	}
	orient := func(a, b, c orb.Point) float64 {
		return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	}
	found := make(map[[2]int]bool)
	for _, ids := range grid {
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				s, u := segs[ids[x]], segs[ids[y]]
				if s.a == u.a || s.a == u.b || s.b == u.a || s.b == u.b {
					continue
				}
				d1, d2 := orient(s.a, s.b, u.a), orient(s.a, s.b, u.b)
				d3, d4 := orient(u.a, u.b, s.a), orient(u.a, u.b, s.b)
				if d1*d2 <= 0 && d3*d4 <= 0 && (d1 != 0 || d2 != 0) {
					found[[2]int{min(ids[x], ids[y]), max(ids[x], ids[y])}] = true
				}
			}
		}
	}
	return len(found)
}

func BenchmarkBuild(b *testing.B) {
	c := realCommunes(b)
	b.ReportAllocs()
	for b.Loop() {
		Build(c.polys)
	}
}

func BenchmarkSimplify(b *testing.B) {
	realCommunes(b)
	topo := communesTopology()
	for _, z := range []int{6, 10, 14} {
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				topo.Simplify(zoomTol(z))
			}
		})
	}
}

func BenchmarkDissolve(b *testing.B) {
	c := realCommunes(b)
	topo := communesTopology()
	cases := []struct {
		name   string
		groups []string
	}{
		{"départements", c.departement},
		{"EPCI", c.epci},
	}
	for _, tc := range cases {
		for _, z := range []int{6, 10} {
			b.Run(fmt.Sprintf("%s z%d", tc.name, z), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					topo.Dissolve(tc.groups, zoomTol(z))
				}
			})
		}
	}
}
