package analysis

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Commune is a territory that holds demand: its population and polygon
// (WGS84 longitude, latitude), with the codes of the EPCI and département it
// belongs to.
type Commune struct {
	Code        string
	Name        string
	EPCI        string
	Departement string
	Population  float64
	Geometry    orb.MultiPolygon
	// EPCIName and DepartementName name the commune's EPCI and département
	// in the indicators of those levels (the first non-empty name of their
	// communes wins); Region is the code of the commune's region and
	// RegionName its official name, that of the region's indicators.
	EPCIName, DepartementName, Region, RegionName string
	// Fragility is the commune's digital-fragility score (higher is more
	// fragile); zero or NaN means unknown. With Params.WeightFragility the
	// demand of the commune is weighted by its score relative to the
	// population-weighted mean of the known scores (see weights.go).
	Fragility float64
	// Interior is InteriorPoint(Geometry) when the caller already has it
	// (the index computes it for every commune): NewModel computes it when
	// it is the zero point.
	Interior orb.Point
}

// Site is a place that supplies digital-inclusion services. Point is
// longitude, latitude. Weight is the site's supply in E2SFCA; zero or less
// counts as 1. A SupplyOnly site (a place of a neighbouring region near the
// border) serves demand — travel times, white zones, E2SFCA, siting — but
// is counted in no territory.
type Site struct {
	ID          string
	Point       orb.Point
	Services    []string
	Dispositifs []string
	Weight      float64
	SupplyOnly  bool
}

// DemandPoint is a share of a commune's population located at one point.
// Commune is the index of the commune in the slice given to the
// DemandSource (for a Model, Model.Communes).
type DemandPoint struct {
	Commune    int
	Point      orb.Point
	Population float64
	// Elderly is the inhabitants aged 65 or more and Poor the inhabitants
	// of households below the poverty line among Population; zero when
	// unknown. The demand profiles of Params.Profile weigh them.
	Elderly, Poor float64
}

// Demand profiles: whose demand the indicators measure.
const (
	ProfilePopulation = "population" // every inhabitant (default)
	ProfileElderly    = "65plus"     // inhabitants aged 65 or more
	ProfilePoor       = "pauvres"    // inhabitants of poor households
	ProfileMix        = "mixte"      // Params.Mix weights of the three
)

// Profiles lists the demand profiles, default first.
var Profiles = []string{ProfilePopulation, ProfileElderly, ProfilePoor, ProfileMix}

// Mix weighs the three populations of a demand point in the "mixte"
// profile: demand = Population·Population + Elderly·Elderly + Poor·Poor.
type Mix struct {
	Population float64 `json:"population"`
	Elderly    float64 `json:"elderly"`
	Poor       float64 `json:"poor"`
}

// Band is a travel-time band of E2SFCA: trips of FromMin to ToMin minutes
// weigh Weight.
type Band struct {
	FromMin float64 `json:"from_min"`
	ToMin   float64 `json:"to_min"`
	Weight  float64 `json:"weight"`
}

// Params is one request. Zero fields take the defaults of DefaultParams.
type Params struct {
	// ThresholdMin is the travel time beyond which people live in a white
	// zone; Siting covers people within it.
	ThresholdMin float64 `json:"threshold_min"`
	// Circuity is road distance over great-circle distance.
	Circuity float64 `json:"circuity"`
	// SpeedKmh is the door-to-door travel speed.
	SpeedKmh float64 `json:"speed_kmh"`
	// Services and Dispositifs filter the sites: a site matches when it
	// offers any of Services (if set) and belongs to any of Dispositifs
	// (if set).
	Services    []string `json:"services,omitempty"`
	Dispositifs []string `json:"dispositifs,omitempty"`
	// Bands are the E2SFCA travel-time bands.
	Bands []Band `json:"bands"`
	// Travel, when set, replaces the crow-fly model built from Circuity
	// and SpeedKmh, e.g. with a routing engine (*Routing). It must be
	// deterministic. When nil, the model's default travel applies
	// (Model.UseTravel), else crow-fly.
	Travel Travel `json:"-"`
	// TravelModel names the travel model of an answer: "crowfly", or the
	// routing's name ("osrm"), with the engine's host and the plausible
	// pairs asked (Routing.K, Routing.CutoffKm). Filled by the model;
	// ignored on input.
	TravelModel    string  `json:"travel_model"`
	TravelEngine   string  `json:"travel_engine,omitempty"`
	TravelK        int     `json:"travel_k,omitempty"`
	TravelCutoffKm float64 `json:"travel_cutoff_km,omitempty"`
	// Profile is the demand profile (Profiles); empty is
	// ProfilePopulation. Mix weighs the populations of ProfileMix (all
	// zero: 1 each). WeightFragility weighs each commune's demand by its
	// relative fragility.
	Profile         string `json:"profile"`
	Mix             Mix    `json:"mix"`
	WeightFragility bool   `json:"weight_fragility"`
}

// DefaultParams returns a 20-minute white-zone threshold, a circuity of 1.3,
// 45 km/h and the E2SFCA bands of PySAL access (0–10 min 1.00, 10–20 min
// 0.68, 20–30 min 0.22).
func DefaultParams() Params {
	return Params{
		ThresholdMin: 20,
		Circuity:     1.3,
		SpeedKmh:     45,
		Bands:        []Band{{0, 10, 1}, {10, 20, 0.68}, {20, 30, 0.22}},
	}
}

// normalize fills the defaults and sorts the bands.
func (p Params) normalize() Params {
	d := DefaultParams()
	if !(p.ThresholdMin > 0) {
		p.ThresholdMin = d.ThresholdMin
	}
	if !(p.Circuity > 0) {
		p.Circuity = d.Circuity
	}
	if !(p.SpeedKmh > 0) {
		p.SpeedKmh = d.SpeedKmh
	}
	var bands []Band
	for _, b := range p.Bands {
		if b.ToMin >= b.FromMin && b.FromMin >= 0 && b.Weight >= 0 {
			bands = append(bands, b)
		}
	}
	if len(bands) == 0 {
		bands = d.Bands
	}
	slices.SortStableFunc(bands, func(a, b Band) int {
		if a.FromMin != b.FromMin {
			return cmpFloat(a.FromMin, b.FromMin)
		}
		return cmpFloat(a.ToMin, b.ToMin)
	})
	p.Bands = bands
	p.Profile = strings.ToLower(strings.TrimSpace(p.Profile))
	if p.Profile == "" {
		p.Profile = ProfilePopulation
	}
	if p.Profile == ProfileMix {
		if !(p.Mix.Population >= 0) || !(p.Mix.Elderly >= 0) || !(p.Mix.Poor >= 0) ||
			p.Mix.Population+p.Mix.Elderly+p.Mix.Poor == 0 {
			p.Mix = Mix{Population: 1, Elderly: 1, Poor: 1}
		}
	} else {
		p.Mix = Mix{}
	}
	p.Services = cleanList(p.Services)
	p.Dispositifs = cleanList(p.Dispositifs)
	p.describeTravel()
	return p
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cleanList trims, drops empty values and sorts, so that equal filters give
// equal cache keys.
func cleanList(l []string) []string {
	var out []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// filterKey identifies the set of sites a normalized request selects.
func (p Params) filterKey() string {
	return strings.Join(p.Services, "\x1f") + "\x1e" + strings.Join(p.Dispositifs, "\x1f")
}

// cacheKey identifies a normalized request; ok is false when its Travel
// cannot be compared, and the request is then never cached.
func (p Params) cacheKey() (key string, travel Travel, ok bool) {
	var b strings.Builder
	f := func(v float64) { b.WriteString(strconv.FormatFloat(v, 'g', -1, 64)); b.WriteByte(',') }
	f(p.ThresholdMin)
	f(p.Circuity)
	f(p.SpeedKmh)
	for _, band := range p.Bands {
		f(band.FromMin)
		f(band.ToMin)
		f(band.Weight)
	}
	b.WriteString(p.Profile)
	b.WriteByte(',')
	f(p.Mix.Population)
	f(p.Mix.Elderly)
	f(p.Mix.Poor)
	if p.WeightFragility {
		b.WriteString("fragility,")
	}
	b.WriteString(p.filterKey())
	if p.Travel != nil && !reflect.TypeOf(p.Travel).Comparable() {
		return "", nil, false
	}
	return b.String(), p.Travel, true
}

// Matches reports whether a site is part of the supply of a request (its
// services and dispositifs filters).
func (p Params) Matches(s *Site) bool { return p.normalize().matches(s) }

// matches reports whether the site passes the request's filter.
func (p Params) matches(s *Site) bool {
	return anyOf(s.Services, p.Services) && anyOf(s.Dispositifs, p.Dispositifs)
}

func anyOf(have, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, h := range have {
		h = strings.TrimSpace(h)
		for _, w := range want {
			if strings.EqualFold(h, w) {
				return true
			}
		}
	}
	return false
}

// bandWeight returns the weight of a trip of t minutes: the first band,
// in order of FromMin, that holds it.
func bandWeight(bands []Band, t float64) float64 {
	for _, b := range bands {
		if t >= b.FromMin && t <= b.ToMin {
			return b.Weight
		}
	}
	return 0
}

// maxReach is the longest trip with a positive weight.
func maxReach(bands []Band) float64 {
	r := 0.0
	for _, b := range bands {
		if b.Weight > 0 && b.ToMin > r {
			r = b.ToMin
		}
	}
	return r
}

// Range is the closed interval a parameter may take.
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Bounds are the ranges of the numeric parameters a caller may set. They
// keep a request within what the model is meant for (and its cost
// bounded); the API serves them so that forms offer nothing else.
type Bounds struct {
	ThresholdMin Range `json:"threshold_min"`
	SpeedKmh     Range `json:"speed_kmh"`
	Circuity     Range `json:"circuity"`
}

// ParamBounds returns the bounds Validate checks: 1 to 180 minutes, 5 to
// 130 km/h, a circuity of 1 to 3.
func ParamBounds() Bounds {
	return Bounds{ThresholdMin: Range{1, 180}, SpeedKmh: Range{5, 130}, Circuity: Range{1, 3}}
}

// ParamError is a parameter outside its bounds.
type ParamError struct {
	Name  string // JSON name of the parameter
	Value float64
	Range Range
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%s « %s » invalide : un nombre entre %g et %g", e.Name,
		strconv.FormatFloat(e.Value, 'g', -1, 64), e.Range.Min, e.Range.Max)
}

// Validate reports, as a *ParamError, the first numeric parameter outside
// ParamBounds. It is the one range check of a request, whoever makes it
// (the API, the analyse command): start from DefaultParams, set what the
// caller gave, then Validate. Zero is out of range, not "the default".
func (p Params) Validate() error {
	b := ParamBounds()
	for _, c := range []struct {
		name string
		v    float64
		r    Range
	}{{"threshold_min", p.ThresholdMin, b.ThresholdMin}, {"speed_kmh", p.SpeedKmh, b.SpeedKmh}, {"circuity", p.Circuity, b.Circuity}} {
		if math.IsNaN(c.v) || c.v < c.r.Min || c.v > c.r.Max {
			return &ParamError{Name: c.name, Value: c.v, Range: c.r}
		}
	}
	return nil
}
