package analysis

import (
	"fmt"
	"math"
	"slices"
)

// ValidProfile reports whether s names a demand profile (empty is the
// default).
func ValidProfile(s string) bool {
	return s == "" || slices.Contains(Profiles, s)
}

// CheckProfile returns an error, in French, for an unknown profile.
func CheckProfile(s string) error {
	if ValidProfile(s) {
		return nil
	}
	return fmt.Errorf("profil inconnu %q (valeurs : %v)", s, Profiles)
}

// profileDemand is the demand of point d under a normalized request's
// profile.
func profileDemand(p *Params, d *DemandPoint) float64 {
	switch p.Profile {
	case ProfileElderly:
		return d.Elderly
	case ProfilePoor:
		return d.Poor
	case ProfileMix:
		return p.Mix.Population*d.Population + p.Mix.Elderly*d.Elderly + p.Mix.Poor*d.Poor
	}
	return d.Population
}

// fragilityFactors returns each commune's demand multiplier under
// WeightFragility: its score over the mean score of the communes that have
// one, weighted by their population, so that the region's weighted demand
// stays close to its population; communes without a score weigh 1.
func (m *Model) fragilityFactors() []float64 {
	f := make([]float64, len(m.communes))
	sum, pop := 0.0, 0.0
	for c := range m.communes {
		if s := m.communes[c].Fragility; s > 0 && !math.IsInf(s, 0) {
			sum += s * m.communes[c].Population
			pop += m.communes[c].Population
		}
	}
	mean := 0.0
	if pop > 0 {
		mean = sum / pop
	}
	for c := range m.communes {
		f[c] = 1
		if s := m.communes[c].Fragility; mean > 0 && s > 0 && !math.IsInf(s, 0) {
			f[c] = s / mean
		}
	}
	return f
}

// demandWeights returns the weight of each demand point under a normalized
// request: its profile's demand, times its commune's fragility factor when
// the request weighs fragility. Every indicator, E2SFCA ratio and siting
// gain uses these weights where it would use Population.
func (m *Model) demandWeights(p Params) []float64 {
	if p.Profile == ProfilePopulation && !p.WeightFragility {
		return m.pop
	}
	w := make([]float64, len(m.points))
	var ff []float64
	if p.WeightFragility {
		ff = m.fragilityFactors()
	}
	for i := range m.points {
		v := profileDemand(&p, &m.points[i])
		if ff != nil {
			v *= ff[m.points[i].Commune]
		}
		if !(v > 0) || math.IsInf(v, 0) {
			v = 0
		}
		w[i] = v
	}
	return w
}
