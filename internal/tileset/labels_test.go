package tileset

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// TestLabelTilesValid: every label tile of the region from z5 to z14 is a
// valid MVT 2.1 tile, light, and the number of commune names grows with
// the zoom (the thinning by population rank).
func TestLabelTilesValid(t *testing.T) {
	s := regionSet(t)
	for z := 5; z <= 14; z++ {
		n, names, biggest := 0, 0, 0
		for _, tile := range regionTiles(s, z) {
			raw, err := s.Encode(Request{Layers: []string{Labels}, Tile: tile})
			if err != nil {
				t.Fatalf("%v: %v", tile, err)
			}
			if raw == nil {
				continue
			}
			probs, err := mvtcheck.Validate(raw, tiles.Extent, tiles.Buffer)
			if err != nil {
				t.Fatalf("%v: undecodable: %v", tile, err)
			}
			for _, p := range probs {
				t.Fatalf("%v: %+v", tile, p)
			}
			dec, err := mvtcheck.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			n++
			biggest = max(biggest, len(raw))
			for _, l := range dec.Layers {
				for _, f := range l.Features {
					if f.Properties["type"] == LabelCommune {
						names++
					}
				}
			}
		}
		// Label tiles stay far below the communes' (a few KB).
		if biggest > 40_000 {
			t.Errorf("z%d: a label tile of %d bytes", z, biggest)
		}
		perTile := float64(names) / float64(max(n, 1))
		t.Logf("z%d: %d tiles, %d commune names (%.0f per tile), largest %d bytes", z, n, names, perTile, biggest)
		if z >= 7 && z <= 11 && names == 0 {
			t.Errorf("z%d: no commune name", z)
		}
	}
}

// TestLabelThinning: the most populated communes come first; at zoom 6
// only a handful of names, every commune from zoom 11.
func TestLabelThinning(t *testing.T) {
	s := regionSet(t)
	count := map[int]int{}
	var amiens, lille *labelPoint
	pts := s.labelPoints()
	for i := range pts {
		p := &pts[i]
		if p.props["type"] != LabelCommune {
			continue
		}
		for z := 0; z <= 11; z++ {
			if z >= p.minZ {
				count[z]++
			}
		}
		switch p.props["code"] {
		case "80021":
			amiens = p
		case "59350":
			lille = p
		}
	}
	if lille == nil || lille.props["rang"] != 1 || lille.minZ > 5 {
		t.Errorf("Lille: %+v, want rank 1 from zoom 5", lille)
	}
	if amiens == nil || amiens.minZ > 6 {
		t.Fatalf("Amiens: %+v, want its name from zoom 6", amiens)
	}
	if count[6] > 10 || count[6] < 3 {
		t.Errorf("zoom 6: %d commune names", count[6])
	}
	if count[11] != len(s.snap.Communes()) {
		t.Errorf("zoom 11: %d names for %d communes", count[11], len(s.snap.Communes()))
	}
	for z := 6; z < 11; z++ {
		if count[z] >= count[z+1] {
			t.Errorf("zoom %d: %d names, zoom %d: %d", z, count[z], z+1, count[z+1])
		}
	}
}

// TestLabelAmiensAtZoom10: the z10 tile holding Amiens carries its name,
// its population, and the Somme's and Amiens Métropole's names, each point
// inside its territory.
func TestLabelAmiensAtZoom10(t *testing.T) {
	s := regionSet(t)
	tile := maptile.At(orb.Point{2.2958, 49.8942}, 10)
	raw, err := s.Encode(Request{Layers: []string{Labels}, Tile: tile})
	if err != nil || raw == nil {
		t.Fatalf("%v: %v, %d bytes", tile, err, len(raw))
	}
	dec, err := mvtcheck.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]map[string]any{}
	for _, l := range dec.Layers {
		if l.Name != Labels {
			t.Errorf("layer %q", l.Name)
		}
		for _, f := range l.Features {
			found[f.Properties["type"].(string)+":"+f.Properties["nom"].(string)] = f.Properties
		}
	}
	a := found["commune:Amiens"]
	if a == nil {
		t.Fatalf("no Amiens in %v", keys(found))
	}
	if pop, _ := a["population"].(int64); pop < 100000 {
		if popu, _ := a["population"].(uint64); popu < 100000 {
			t.Errorf("Amiens population %v (%T)", a["population"], a["population"])
		}
	}
	if found["departement:Somme"] == nil {
		t.Errorf("no Somme in %v", keys(found))
	}
	epci := false
	for k := range found {
		if k == "epci:CA Amiens Métropole" || k == "epci:Amiens Métropole" {
			epci = true
		}
	}
	if !epci {
		t.Errorf("no Amiens Métropole in %v", keys(found))
	}

	// Every EPCI and département point lies inside its outline.
	epciOut, depOut := s.Outlines()
	for _, p := range s.labelPoints() {
		var mp orb.MultiPolygon
		switch p.props["type"] {
		case LabelEPCI:
			mp = epciOut[p.props["code"].(string)]
		case LabelDepartement:
			mp = depOut[p.props["code"].(string)]
		default:
			continue
		}
		lon, lat := tiles.FromWorld(p.world)
		if !planar.MultiPolygonContains(mp, orb.Point{lon, lat}) {
			t.Errorf("%v %v: point outside its outline", p.props["type"], p.props["nom"])
		}
	}
}

func keys(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
