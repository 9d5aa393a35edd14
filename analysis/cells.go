package analysis

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// Cell is one square of a gridded population (an INSEE Filosofi 200 m
// square): its centre, the commune that holds it, and its inhabitants, of
// whom Elderly are aged 65 or more and Poor live in poor households.
type Cell struct {
	Commune    string // INSEE code of the commune holding the centre
	Point      orb.Point
	Population float64
	Elderly    float64
	Poor       float64
}

// Cells is the DemandSource of a gridded population: every cell with
// inhabitants becomes a demand point of its commune, and the cells of a
// commune are scaled together (Population, Elderly and Poor by one factor)
// so that they add up to the commune's legal population. Communes without
// any populated cell (INSEE withholds the smallest counts: secret
// statistique) are spread by Uniform (Grid{} when nil), their Elderly and
// Poor set from the gridded shares of their département, or of all the
// cells when their département has none.
type Cells struct {
	Cells   []Cell
	Uniform DemandSource
}

// Demand implements DemandSource. Cells of communes that are not in
// communes are ignored.
func (g Cells) Demand(communes []Commune) []DemandPoint {
	at := make(map[string]int, len(communes))
	for i := range communes {
		at[communes[i].Code] = i
	}
	// Populated cells per commune, in input order.
	count := make([]int, len(communes)+1)
	raw := make([]float64, len(communes))
	var shareAll depShare
	shares := map[string]*depShare{}
	for i := range g.Cells {
		c := &g.Cells[i]
		k, ok := at[c.Commune]
		if !ok || !(c.Population > 0) || !validPoint(c.Point) {
			continue
		}
		count[k+1]++
		raw[k] += c.Population
		d := shares[communes[k].Departement]
		if d == nil {
			d = &depShare{}
			shares[communes[k].Departement] = d
		}
		d.add(c)
		shareAll.add(c)
	}
	for k := range communes {
		count[k+1] += count[k]
	}
	idx := make([]int32, count[len(communes)])
	next := slices.Clone(count[:len(communes)])
	for i := range g.Cells {
		c := &g.Cells[i]
		k, ok := at[c.Commune]
		if !ok || !(c.Population > 0) || !validPoint(c.Point) {
			continue
		}
		idx[next[k]] = int32(i)
		next[k]++
	}

	// Communes without cells: the uniform spread, one commune at a time so
	// that the points come back in commune order.
	var bare []Commune
	var bareIdx []int
	for k := range communes {
		if count[k+1] == count[k] {
			bare = append(bare, communes[k])
			bareIdx = append(bareIdx, k)
		}
	}
	uniform := g.Uniform
	if uniform == nil {
		uniform = Grid{}
	}
	var spread []DemandPoint
	if len(bare) > 0 {
		spread = uniform.Demand(bare)
		slices.SortStableFunc(spread, func(a, b DemandPoint) int { return cmp.Compare(a.Commune, b.Commune) })
	}

	out := make([]DemandPoint, 0, len(idx)+len(spread))
	s := 0
	for k := range communes {
		c := &communes[k]
		if n := count[k+1] - count[k]; n > 0 {
			f := c.Population / raw[k]
			for _, i := range idx[count[k]:count[k+1]] {
				cell := &g.Cells[i]
				out = append(out, DemandPoint{Commune: k, Point: cell.Point, Population: cell.Population * f,
					Elderly: part(cell.Elderly, cell.Population) * f, Poor: part(cell.Poor, cell.Population) * f})
			}
			continue
		}
		share := shares[c.Departement]
		if share == nil || !(share.pop > 0) {
			share = &shareAll
		}
		for ; s < len(spread) && bareIdx[spread[s].Commune] < k; s++ {
		}
		for ; s < len(spread) && bareIdx[spread[s].Commune] == k; s++ {
			d := spread[s]
			d.Commune = k
			d.Elderly, d.Poor = share.elderly(d.Population), share.poor(d.Population)
			out = append(out, d)
		}
	}
	return out
}

// depShare sums the gridded inhabitants of a département.
type depShare struct{ pop, elderlyPop, poorPop float64 }

func (d *depShare) add(c *Cell) {
	d.pop += c.Population
	d.elderlyPop += part(c.Elderly, c.Population)
	d.poorPop += part(c.Poor, c.Population)
}

// part is v clamped to [0, pop]; NaN counts as 0.
func part(v, pop float64) float64 {
	if !(v > 0) {
		return 0
	}
	return min(v, pop)
}

func (d *depShare) elderly(pop float64) float64 {
	if !(d.pop > 0) {
		return 0
	}
	return pop * d.elderlyPop / d.pop
}

func (d *depShare) poor(pop float64) float64 {
	if !(d.pop > 0) {
		return 0
	}
	return pop * d.poorPop / d.pop
}

// Locator finds the commune that holds a point, as the model places sites:
// the first commune, in the order given, whose polygon contains it. Import
// commands use it to assign gridded cells to communes.
type Locator struct{ l *locator }

// NewLocator indexes the polygons of communes.
func NewLocator(communes []Commune) *Locator { return &Locator{newLocator(communes)} }

// Locate returns the index of the commune whose polygon contains p, or,
// when none does, of the nearest one within maxMeters; -1 when there is
// none.
func (l *Locator) Locate(p orb.Point, maxMeters float64) int { return l.l.locate(p, maxMeters) }
