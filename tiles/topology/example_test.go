package topology_test

import (
	"fmt"

	"github.com/cartonum/cartonum/tiles/topology"
	"github.com/paulmach/orb"
)

func Example() {
	// Two fields sharing a slightly bent border, given in opposite
	// directions as neighbours usually are.
	west := orb.Polygon{{{0, 0}, {2, 0}, {2.1, 1}, {2, 2}, {0, 2}, {0, 0}}}
	east := orb.Polygon{{{2, 0}, {4, 0}, {4, 2}, {2, 2}, {2.1, 1}, {2, 0}}}
	topo := topology.Build([]orb.MultiPolygon{{west}, {east}})
	fmt.Println(topo.NumArcs(), "arcs,", topo.NumVertices(), "vertices")

	// The bend is within the tolerance: both fields lose it together.
	for _, mp := range topo.Simplify(0.2) {
		fmt.Println(mp[0][0])
	}

	// The farm is the union of the fields, with the same outline.
	farm := topo.Dissolve([]string{"farm", "farm"}, 0.2)["farm"]
	fmt.Println(farm)
	// Output:
	// 3 arcs, 11 vertices
	// [[2 0] [2 2] [0 2] [0 0] [2 0]]
	// [[2 0] [4 0] [4 2] [2 2] [2 0]]
	// [[[[2 2] [0 2] [0 0] [2 0] [4 0] [4 2] [2 2]]]]
}
