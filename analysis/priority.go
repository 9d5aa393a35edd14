package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// Priority is one territory of the priority view: how many of its people
// live beyond the threshold, weighted by its fragility, with every input
// of the weighting so that a planner can check the rank.
type Priority struct {
	Rank  int    `json:"rank"`
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name,omitempty"`
	// Population and BeyondPopulation are those of the request's profile,
	// not weighted by fragility.
	Population       float64 `json:"population"`
	BeyondPopulation float64 `json:"beyond_population"`
	// Fragility is the territory's score: its communes' scores averaged
	// weighted by their legal population, over the communes that have
	// one; 0 when none has. FragilityCoverage is the share of its legal
	// population living in communes with a score.
	Fragility         float64 `json:"fragility"`
	FragilityCoverage float64 `json:"fragility_coverage"`
	// Factor is the fragility factor applied to the people beyond the
	// threshold: for a commune its score over the region's mean score
	// (weighted by population; 1 without a score), for a group of
	// communes Weighted / BeyondPopulation (its communes' factors
	// weighted by their people beyond; the population-weighted factor
	// when nobody is beyond).
	Factor float64 `json:"factor"`
	// Weighted is BeyondPopulation times the factor, commune by commune:
	// the people beyond the threshold counted by fragility, the value
	// ranked (the beyond population of the request with WeightFragility).
	Weighted float64 `json:"weighted_beyond"`
}

// Priorities ranks the territories of a level (commune, epci,
// departement, or region when several are loaded) by their population beyond p.ThresholdMin weighted by
// fragility, the largest first (ties: more people beyond, then code). It
// computes the indicators of p without WeightFragility and applies the
// communes' fragility factors (weights.go) to their people beyond, so
// that Weighted is exactly the beyond population of p with
// WeightFragility. It returns the normalized parameters used.
func (m *Model) Priorities(ctx context.Context, p Params, level string) ([]Priority, Params, error) {
	p.WeightFragility = false
	res, err := m.ComputeContext(ctx, p)
	if err != nil {
		return nil, p, err
	}
	ff := m.fragilityFactors()
	var out []Priority
	switch level {
	case LevelCommune:
		out = make([]Priority, len(m.communes))
		for c := range m.communes {
			in := &res.Communes[c]
			pr := Priority{Level: LevelCommune, Code: in.Code, Name: in.Name, Population: in.Population,
				BeyondPopulation: in.BeyondPopulation, Factor: ff[c], Weighted: in.BeyondPopulation * ff[c]}
			pr.Fragility, pr.FragilityCoverage = m.groupFragility([]int32{int32(c)})
			out[c] = pr
		}
	case LevelEPCI, LevelDepartement, LevelRegion:
		if level == LevelRegion && !m.National() {
			return nil, res.Params, fmt.Errorf("niveau region : une seule région chargée ; niveaux possibles : commune, epci ou departement")
		}
		gs, rows := m.epci, res.EPCI
		switch level {
		case LevelDepartement:
			gs, rows = m.deps, res.Departements
		case LevelRegion:
			gs, rows = m.regions, res.Regions
		}
		out = make([]Priority, len(gs))
		for g := range gs {
			in := &rows[g]
			pr := Priority{Level: level, Code: in.Code, Name: in.Name, Population: in.Population,
				BeyondPopulation: in.BeyondPopulation}
			popF, pop := 0.0, 0.0
			for _, c := range gs[g].communes {
				pr.Weighted += res.Communes[c].BeyondPopulation * ff[c]
				popF += m.communes[c].Population * ff[c]
				pop += m.communes[c].Population
			}
			switch {
			case pr.BeyondPopulation > 0:
				pr.Factor = pr.Weighted / pr.BeyondPopulation
			case pop > 0:
				pr.Factor = popF / pop
			default:
				pr.Factor = 1
			}
			pr.Fragility, pr.FragilityCoverage = m.groupFragility(gs[g].communes)
			out[g] = pr
		}
	default:
		return nil, res.Params, fmt.Errorf("niveau %q invalide : commune, epci, departement ou region (plusieurs régions)", level)
	}
	slices.SortStableFunc(out, func(a, b Priority) int {
		if c := cmp.Compare(b.Weighted, a.Weighted); c != 0 {
			return c
		}
		if c := cmp.Compare(b.BeyondPopulation, a.BeyondPopulation); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, res.Params, nil
}

// groupFragility is the population-weighted mean score of the communes
// that have one, and the share of the communes' population they hold.
func (m *Model) groupFragility(communes []int32) (score, coverage float64) {
	sum, known, pop, plain, n := 0.0, 0.0, 0.0, 0.0, 0
	for _, c := range communes {
		cm := &m.communes[c]
		pop += cm.Population
		if s := cm.Fragility; s > 0 && s <= math.MaxFloat64 {
			sum += s * cm.Population
			known += cm.Population
			plain += s
			n++
		}
	}
	switch {
	case known > 0:
		score = sum / known
	case n > 0: // communes without inhabitants: their plain mean
		score = plain / float64(n)
	}
	if pop > 0 {
		coverage = known / pop
	}
	return score, coverage
}

// fillFragility sets the Fragility of every territory of a result.
func (m *Model) fillFragility(res *Result) {
	one := []int32{0}
	for c := range res.Communes {
		one[0] = int32(c)
		res.Communes[c].Fragility, _ = m.groupFragility(one)
	}
	for g := range res.EPCI {
		res.EPCI[g].Fragility, _ = m.groupFragility(m.epci[g].communes)
	}
	for g := range res.Departements {
		res.Departements[g].Fragility, _ = m.groupFragility(m.deps[g].communes)
	}
	if m.National() {
		for g := range res.Regions {
			res.Regions[g].Fragility, _ = m.groupFragility(m.regions[g].communes)
		}
	}
	all := make([]int32, len(m.communes))
	for c := range all {
		all[c] = int32(c)
	}
	res.Region.Fragility, _ = m.groupFragility(all)
}
