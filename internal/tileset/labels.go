package tileset

import (
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/tiles"
)

// Labels is the layer of the map's names: one point per commune (at the
// point inside it where the index draws the places known only by their
// commune), per EPCI and per département (inside their outline dissolved
// from the communes' topology).
const Labels = "libelles"

// Kinds of label points (property "type").
const (
	LabelCommune     = "commune"
	LabelEPCI        = "epci"
	LabelDepartement = "departement"
)

// labelsInfo is the layer's entry of Layers.
var labelsInfo = LayerInfo{ID: Labels, Description: "Noms des communes (les plus peuplées d'abord, davantage à chaque zoom), des EPCI (à partir du zoom 7) et des départements (jusqu'au zoom 10), en un point intérieur à chacun", MinZoom: 0, MaxZoom: MaxZoom,
	Fields: map[string]string{"type": "commune, epci ou departement", "code": "Code INSEE, SIREN ou code du département", "nom": "Nom", "population": "Population", "rang": "Rang de la commune par population dans la région (1 : la plus peuplée)"}}

// EPCIMinZoom and DepartementMaxZoom bound the zooms of the EPCI and
// département names in the tiles.
const (
	EPCIMinZoom        = 7
	DepartementMaxZoom = 10
)

// communeRanks are the population ranks up to which a commune's name is in
// the tiles of a zoom: at zoom z, the communes of rank ≤ communeRanks[z]
// (every commune from zoom 11 on). The style thins them further by
// collision, the most populated first.
var communeRanks = [...]int{0, 0, 0, 0, 0, 3, 8, 20, 60, 200, 700}

// CommuneLabelZoom is the first zoom whose tiles carry the name of the
// commune of this population rank (1: the most populated).
func CommuneLabelZoom(rank int) int {
	for z, r := range communeRanks {
		if rank <= r {
			return z
		}
	}
	return len(communeRanks)
}

type labelPoint struct {
	id    uint64
	world orb.Point
	minZ  int
	maxZ  int
	props map[string]any
}

// labelSet holds the label points of a Set, computed on first use (the
// outlines of the EPCI and départements are dissolved then).
type labelSet struct {
	once   sync.Once
	points []labelPoint // communes by rank, then EPCI, then départements
}

func (s *Set) labelPoints() []labelPoint {
	s.labels.once.Do(func() {
		communes := s.snap.Communes()
		order := make([]int, len(communes))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			ca, cb := &communes[order[a]], &communes[order[b]]
			if ca.Population != cb.Population {
				return ca.Population > cb.Population
			}
			return ca.Code < cb.Code
		})
		var pts []labelPoint
		for r, i := range order {
			c := &communes[i]
			at, ok := s.snap.Anchor(c.Code)
			if !ok || c.Nom == "" {
				continue
			}
			pts = append(pts, labelPoint{id: s.communes[i].id, world: tiles.ToWorld(at[0], at[1]), minZ: CommuneLabelZoom(r + 1), maxZ: MaxRequestZoom,
				props: map[string]any{"type": LabelCommune, "code": c.Code, "nom": c.Nom, "population": c.Population, "rang": r + 1}})
		}
		groups := func(key []string, codes []string, meta []polyMeta, kind string, minZ, maxZ int, id func(i int) uint64) {
			outlines := s.gen.topo.Dissolve(key, 0)
			for i, code := range codes {
				mp := outlines[code]
				nom, _ := meta[i].props["nom"].(string)
				if len(mp) == 0 || nom == "" {
					continue
				}
				pts = append(pts, labelPoint{id: id(i), world: analysis.InteriorPoint(mp), minZ: minZ, maxZ: maxZ,
					props: map[string]any{"type": kind, "code": code, "nom": nom, "population": meta[i].props["population"]}})
			}
		}
		// Ids above the communes' (at most 6 digits): SIREN for the EPCI,
		// 2^40 + number for the départements.
		groups(s.epciKey, s.epciCodes, s.epci, LabelEPCI, EPCIMinZoom, MaxRequestZoom, func(i int) uint64 { return s.epci[i].id })
		groups(s.deptKey, s.depCodes, s.deps, LabelDepartement, 0, DepartementMaxZoom, func(i int) uint64 { return 1<<40 + s.deps[i].id })
		s.labels.points = pts
	})
	return s.labels.points
}

// labelFeatures are the label points of tile t (with its buffer, so that a
// name near a tile's edge is placed the same in both tiles).
func (s *Set) labelFeatures(t maptile.Tile) []tiles.Feature {
	b := padded(t)
	z := int(t.Z)
	var out []tiles.Feature
	for _, p := range s.labelPoints() {
		if z < p.minZ || z > p.maxZ || !b.Contains(p.world) || p.id == 0 {
			continue
		}
		out = append(out, tiles.Feature{ID: p.id, Geometry: p.world, Properties: p.props})
	}
	return out
}
