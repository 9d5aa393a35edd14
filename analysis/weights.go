package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
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

// ProfileError is a request for a demand profile the model has no data
// for: its demand points carry no inhabitants aged 65+ (Elderly) or no
// inhabitants of poor households (Poor), as when no gridded population was
// given to the model.
type ProfileError struct {
	Profile string
	// Missing is "Elderly" or "Poor".
	Missing string
}

func (e *ProfileError) Error() string {
	what := "les personnes de 65 ans ou plus"
	if e.Missing == "Poor" {
		what = "les personnes des ménages pauvres"
	}
	return fmt.Sprintf("profil « %s » indisponible : les données ne comptent pas %s ; importez la population carroyée de l'Insee (cartonum import-grid FICHIER)", e.Profile, what)
}

// CheckProfileData returns a *ProfileError when the request's profile
// (CheckProfile's error when it is unknown) weighs inhabitants aged 65+ or
// of poor households and no demand point counts any: the indicators would
// all be zero rather than wrong-looking, so callers refuse the request.
func (m *Model) CheckProfileData(p Params) error {
	if err := CheckProfile(strings.ToLower(strings.TrimSpace(p.Profile))); err != nil {
		return err
	}
	p = p.normalize()
	needElderly := p.Profile == ProfileElderly || (p.Profile == ProfileMix && p.Mix.Elderly > 0)
	needPoor := p.Profile == ProfilePoor || (p.Profile == ProfileMix && p.Mix.Poor > 0)
	hasElderly, hasPoor := !needElderly, !needPoor
	for i := range m.points {
		if hasElderly && hasPoor {
			break
		}
		hasElderly = hasElderly || m.points[i].Elderly > 0
		hasPoor = hasPoor || m.points[i].Poor > 0
	}
	switch {
	case !hasElderly:
		return &ProfileError{Profile: p.Profile, Missing: "Elderly"}
	case !hasPoor:
		return &ProfileError{Profile: p.Profile, Missing: "Poor"}
	}
	return nil
}

// ParseMix reads the weights of the "mixte" profile written
// "population,65plus,pauvres", e.g. "1,2,2": three numbers, none negative,
// not all zero. The API's mix parameter and the analyse command's --mix
// share it.
func ParseMix(s string) (Mix, error) {
	parts := strings.Split(s, ",")
	bad := fmt.Errorf("mix « %s » invalide : trois poids positifs ou nuls, population,65plus,pauvres, par exemple 1,2,2", s)
	if len(parts) != 3 {
		return Mix{}, bad
	}
	var w [3]float64
	for i, part := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return Mix{}, bad
		}
		w[i] = v
	}
	if w[0]+w[1]+w[2] == 0 {
		return Mix{}, bad
	}
	return Mix{Population: w[0], Elderly: w[1], Poor: w[2]}, nil
}

// DemandWeights returns the demand of every demand point (DemandPoints'
// order) under a request: what the indicators count for it — its
// inhabitants, or its people of the request's profile, weighted by its
// commune's fragility when the request asks. It must not be modified.
func (m *Model) DemandWeights(p Params) []float64 { return m.demandWeights(p.normalize()) }
