package analysis

import (
	"cmp"
	"context"
	"maps"
	"math"
	"slices"
)

// Bin is the population whose trip to the nearest site takes from FromMin
// (included) to ToMin (excluded) minutes. The last bin is open: ToMin is 0
// and it also holds the population that reaches no site.
type Bin struct {
	FromMin    float64 `json:"from_min"`
	ToMin      float64 `json:"to_min"`
	Population float64 `json:"population"`
}

// CoveragePoint is the population within Minutes of a site, and its share of
// the territory's population.
type CoveragePoint struct {
	Minutes    float64 `json:"minutes"`
	Population float64 `json:"population"`
	Share      float64 `json:"share"`
}

// Detail is a territory's portrait: its indicators, the distribution of
// travel times in 5-minute bins up to 60 minutes and more, and the coverage
// curve for every whole minute from 0 to 60.
type Detail struct {
	Indicators
	Histogram []Bin           `json:"histogram"`
	Coverage  []CoveragePoint `json:"coverage"`
}

const (
	binMinutes = 5
	maxMinutes = 60
)

// Detail returns the portrait of the territory of a level (LevelCommune,
// LevelEPCI, LevelDepartement, LevelRegion or LevelNational) and code, or
// false when there is none. With one region loaded, LevelRegion ignores the
// code (the whole territory); with several it takes a region's code, and
// LevelNational (code ignored) is the whole territory.
func (m *Model) Detail(p Params, level, code string) (*Detail, bool) {
	d, ok, _ := m.DetailContext(context.Background(), p, level, code)
	return d, ok
}

// DetailContext is Detail stopping early, with ctx's error, when ctx is
// done, or with the error of a routing engine.
func (m *Model) DetailContext(ctx context.Context, p Params, level, code string) (*Detail, bool, error) {
	st, err := m.stateContext(ctx, p)
	if err != nil {
		return nil, false, err
	}
	in, spans, ok := m.territory(st.res, level, code)
	if !ok {
		return nil, false, nil
	}
	d := &Detail{Indicators: in}
	d.Rank = maps.Clone(in.Rank)
	nb := maxMinutes/binMinutes + 1
	d.Histogram = make([]Bin, nb)
	for b := range d.Histogram {
		d.Histogram[b].FromMin = float64(b * binMinutes)
		if b < nb-1 {
			d.Histogram[b].ToMin = float64((b + 1) * binMinutes)
		}
	}
	within := make([]float64, maxMinutes+2) // population with ⌈minutes⌉ = t, t ≤ 60; the rest at 61
	total := 0.0
	for _, s := range spans {
		for i := s[0]; i < s[1]; i++ {
			pop, t := st.eng.w[i], st.minutes[i]
			total += pop
			b := nb - 1
			if t < maxMinutes {
				b = int(t / binMinutes)
			}
			d.Histogram[b].Population += pop
			c := maxMinutes + 1
			if t <= maxMinutes {
				c = int(math.Ceil(t))
			}
			within[c] += pop
		}
	}
	d.Coverage = make([]CoveragePoint, maxMinutes+1)
	cum := 0.0
	for t := range d.Coverage {
		cum += within[t]
		d.Coverage[t] = CoveragePoint{Minutes: float64(t), Population: cum}
		if total > 0 {
			d.Coverage[t].Share = cum / total
		}
	}
	return d, true, nil
}

// territory finds a territory's indicators and the spans of its demand
// points.
func (m *Model) territory(res *Result, level, code string) (Indicators, [][2]int32, bool) {
	find := func(items []Indicators) (int, bool) {
		return slices.BinarySearchFunc(items, code, func(in Indicators, c string) int { return cmp.Compare(in.Code, c) })
	}
	spansOf := func(communes []int32) [][2]int32 {
		var s [][2]int32
		for _, c := range communes {
			s = append(s, [2]int32{m.cstart[c], m.cstart[c+1]})
		}
		return s
	}
	switch level {
	case LevelCommune:
		if c, ok := find(res.Communes); ok {
			return res.Communes[c], spansOf([]int32{int32(c)}), true
		}
	case LevelEPCI:
		if g, ok := find(res.EPCI); ok {
			return res.EPCI[g], spansOf(m.epci[g].communes), true
		}
	case LevelDepartement:
		if g, ok := find(res.Departements); ok {
			return res.Departements[g], spansOf(m.deps[g].communes), true
		}
	case LevelRegion:
		if !m.National() {
			return res.Region, [][2]int32{{0, int32(len(m.points))}}, true
		}
		if g, ok := find(res.Regions); ok {
			return res.Regions[g], spansOf(m.regions[g].communes), true
		}
	case LevelNational:
		if m.National() {
			return res.Region, [][2]int32{{0, int32(len(m.points))}}, true
		}
	}
	return Indicators{}, nil, false
}

// PointResult is the outcome of a request at one demand point.
type PointResult struct {
	// Site is the ID of the nearest matching site; Reached is false when
	// there is none.
	Site    string  `json:"site"`
	Reached bool    `json:"reached"`
	Meters  float64 `json:"meters"`
	Minutes float64 `json:"minutes"`
	// Access is the point's E2SFCA score, per 10,000 inhabitants.
	Access float64 `json:"access"`
}

// Points returns the outcome of a request at every demand point, in the
// order of DemandPoints: what a map of white zones draws.
func (m *Model) Points(p Params) []PointResult {
	out, _ := m.PointsContext(context.Background(), p)
	return out
}

// PointsContext is Points stopping early, with ctx's error, when ctx is
// done, or with the error of a routing engine.
func (m *Model) PointsContext(ctx context.Context, p Params) ([]PointResult, error) {
	st, err := m.stateContext(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]PointResult, len(m.points))
	for i := range out {
		out[i].Access = st.access[i] * 1e4
		if j := st.near[i]; j >= 0 {
			out[i].Site = m.sites[st.eng.set.ids[j]].ID
			out[i].Reached = true
			out[i].Meters, out[i].Minutes = st.meters[i], st.minutes[i]
		}
	}
	return out, nil
}
