package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Travel gives the trips from many sources to many destinations at once
// (longitude, latitude): the batch call a routing engine answers (OSRM's
// table service) and the crow-fly model computes. Crowfly is the default.
type Travel interface {
	// Matrix returns the trips from every source to every destination,
	// or an error when the trips could not all be had: the model never
	// fills a gap with another travel model.
	Matrix(ctx context.Context, sources, destinations []orb.Point) (*Matrix, error)
}

// Matrix holds trips from sources (rows) to destinations (columns):
// Meters[i][j] and Minutes[i][j]; +Inf (or NaN) when j cannot be reached
// from i.
type Matrix struct {
	Meters, Minutes [][]float64
}

// NewMatrix returns a matrix of rows × cols trips, all unreachable.
func NewMatrix(rows, cols int) *Matrix {
	m := &Matrix{Meters: make([][]float64, rows), Minutes: make([][]float64, rows)}
	cells := make([]float64, 2*rows*cols)
	for k := range cells {
		cells[k] = math.Inf(1)
	}
	for i := range rows {
		m.Meters[i], cells = cells[:cols:cols], cells[cols:]
		m.Minutes[i], cells = cells[:cols:cols], cells[cols:]
	}
	return m
}

// Crowfly is travel along the great circle stretched by a circuity factor, at
// a constant speed. Zero fields take the defaults (1.3 and 45 km/h).
type Crowfly struct {
	Circuity float64
	SpeedKmh float64
}

func (c Crowfly) norm() Crowfly {
	if !(c.Circuity > 0) {
		c.Circuity = 1.3
	}
	if !(c.SpeedKmh > 0) {
		c.SpeedKmh = 45
	}
	return c
}

// metersPerMinute is the speed in road meters per minute.
func (c Crowfly) metersPerMinute() float64 { return c.SpeedKmh * 1000 / 60 }

// Distance returns the road-equivalent distance (great circle × circuity) and
// the time to drive it.
func (c Crowfly) Distance(a, b orb.Point) (meters, minutes float64) {
	c = c.norm()
	meters = chordMeters(chord2(toVec(a), toVec(b))) * c.Circuity
	return meters, meters / c.metersPerMinute()
}

// Matrix returns the crow-fly trips between every source and destination.
// The model does not call it: it computes crow-fly trips in place, on the
// squared chords of its k-d trees.
func (c Crowfly) Matrix(ctx context.Context, sources, destinations []orb.Point) (*Matrix, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := NewMatrix(len(sources), len(destinations))
	for i, a := range sources {
		for j, b := range destinations {
			m.Meters[i][j], m.Minutes[i][j] = c.Distance(a, b)
		}
	}
	return m, nil
}

// Reach returns the great-circle distance a trip of the given minutes
// covers.
func (c Crowfly) Reach(minutes float64) float64 {
	c = c.norm()
	return minutes * c.metersPerMinute() / c.Circuity
}

// Routing is a routing engine's Travel with the pairs the model asks it
// about. A what-if scenario or a siting asks only the trips of the new
// sites; Cache keeps the trips between requests and runs.
//
// Plausible pairs. A demand point is asked only about its K nearest
// matching sites by straight line within CutoffKm; every other site is out
// of its reach. Sites a scenario adds are asked about every demand point
// within CutoffKm, on top of the K nearest of the existing sites (so that
// adding a site never lengthens a trip).
type Routing struct {
	// Engine computes the trips, e.g. an OSRM client.
	Engine Travel
	// Name names the model in answers (Params.TravelModel), e.g. "osrm";
	// Host is the engine's host, without credentials nor path.
	Name, Host string
	// K is the number of nearest sites asked per demand point (10 when
	// zero); CutoffKm the straight-line distance beyond which no site is
	// asked (50 km when zero).
	K        int
	CutoffKm float64
	// TopSpeedKmh bounds the straight-line speed of any trip (90 km/h when
	// zero): siting asks about the candidates within ThresholdMin at that
	// speed. Its candidates are the uncovered demand points, the most
	// populated of each cell of SitingCellKm (5 km when zero).
	TopSpeedKmh  float64
	SitingCellKm float64
	// MaxCoordinates is the most sources plus destinations of one Matrix
	// call (100 when zero: OSRM's default --max-table-size);
	// Concurrency the calls in flight (4 when zero).
	MaxCoordinates int
	Concurrency    int
	// Cache, when set, keeps the trips between requests and runs.
	Cache TripCache
}

// Matrix asks the engine.
func (r *Routing) Matrix(ctx context.Context, sources, destinations []orb.Point) (*Matrix, error) {
	return r.Engine.Matrix(ctx, sources, destinations)
}

// Defaults of Routing.
const (
	DefaultRoutingK        = 10
	DefaultRoutingCutoffKm = 50
	defaultTopSpeedKmh     = 90
	defaultSitingCellKm    = 5
	defaultMaxCoordinates  = 100
	defaultConcurrency     = 4
)

// routingOf returns the routing of a Travel that is not Crowfly, defaults
// filled; any Travel other than a *Routing is asked with the defaults.
func routingOf(t Travel) Routing {
	var r Routing
	if rt, ok := t.(*Routing); ok && rt != nil {
		r = *rt
	} else {
		r = Routing{Engine: t}
	}
	if r.Name == "" {
		r.Name = "routage"
	}
	if r.K <= 0 {
		r.K = DefaultRoutingK
	}
	if !(r.CutoffKm > 0) {
		r.CutoffKm = DefaultRoutingCutoffKm
	}
	if !(r.TopSpeedKmh > 0) {
		r.TopSpeedKmh = defaultTopSpeedKmh
	}
	if !(r.SitingCellKm > 0) {
		r.SitingCellKm = defaultSitingCellKm
	}
	if r.MaxCoordinates < 2 {
		r.MaxCoordinates = defaultMaxCoordinates
	}
	if r.Concurrency <= 0 {
		r.Concurrency = defaultConcurrency
	}
	return r
}

// Pair is a trip asked of a routing engine: from a demand point to a site.
type Pair struct{ From, To orb.Point }

// Trip is the length and duration of a trip; Minutes is +Inf when the
// engine found no route.
type Trip struct{ Meters, Minutes float64 }

// TripCache keeps a routing engine's trips (e.g. in SQLite), so that a
// restart, a new data version or a what-if asks the engine only about the
// pairs it never answered.
type TripCache interface {
	// Trips returns the known trips of pairs; known[k] is false when
	// pairs[k] was never stored.
	Trips(ctx context.Context, pairs []Pair) (trips []Trip, known []bool, err error)
	// Store keeps trips of pairs; a cache that cannot write reports it
	// itself (it costs queries, not answers).
	Store(ctx context.Context, pairs []Pair, trips []Trip)
}

// ErrTravelUnavailable is wrapped by the errors of a routing engine that
// cannot be reached or does not answer in time (as opposed to one that
// answers wrongly).
var ErrTravelUnavailable = errors.New("calculateur d'itinéraires injoignable")

// TravelError is the failure of a routing engine during a request: the
// request has no answer rather than crow-fly figures labelled as road
// times.
type TravelError struct {
	Model string // Routing.Name
	Err   error
}

func (e *TravelError) Error() string {
	return fmt.Sprintf("calcul des temps de trajet (%s) impossible : %v", e.Model, e.Err)
}

func (e *TravelError) Unwrap() error { return e.Err }

// Unavailable reports whether the engine could not be reached or was too
// slow, rather than answering wrongly.
func (e *TravelError) Unavailable() bool { return errors.Is(e.Err, ErrTravelUnavailable) }

// vec3 is a point on the unit sphere.
type vec3 [3]float64

const degToRad = math.Pi / 180

func toVec(p orb.Point) vec3 {
	lon, lat := p[0]*degToRad, p[1]*degToRad
	sinLat, cosLat := math.Sincos(lat)
	sinLon, cosLon := math.Sincos(lon)
	return vec3{cosLat * cosLon, cosLat * sinLon, sinLat}
}

// chord2 is the squared straight-line distance between two points of the
// unit sphere: it grows with the great-circle distance, so it orders
// neighbours without trigonometry.
func chord2(a, b vec3) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// chordMeters converts a squared chord into great-circle meters.
func chordMeters(d2 float64) float64 {
	return 2 * orb.EarthRadius * math.Asin(math.Min(1, math.Sqrt(d2)/2))
}

// metersChord converts great-circle meters into a squared chord.
func metersChord(m float64) float64 {
	th := m / orb.EarthRadius
	if !(th < math.Pi) {
		return 4
	}
	if th <= 0 {
		return 0
	}
	c := 2 * math.Sin(th/2)
	return c * c
}

// metric is the travel model of one request: the crow-fly fast path, which
// works on squared chords, or a routing engine asked through a sparse
// matrix of plausible pairs.
type metric struct {
	crow bool
	fly  Crowfly
	mpm  float64 // crow: road meters per minute
	rt   Routing // routed: the routing, defaults filled
	// travel is the request's Travel as given: the key of its matrices.
	travel Travel
}

func newMetric(p Params) metric {
	if p.Travel != nil {
		if c, ok := p.Travel.(Crowfly); ok {
			c = c.norm()
			return metric{crow: true, fly: c, mpm: c.metersPerMinute()}
		}
		return metric{rt: routingOf(p.Travel), travel: p.Travel}
	}
	c := Crowfly{Circuity: p.Circuity, SpeedKmh: p.SpeedKmh}.norm()
	return metric{crow: true, fly: c, mpm: c.metersPerMinute()}
}

// trip returns the crow-fly travel of squared chord d2.
func (t *metric) trip(d2 float64) (meters, minutes float64) {
	m := chordMeters(d2) * t.fly.Circuity
	return m, m / t.mpm
}

// reach2 returns a crow-fly squared chord beyond which no trip takes
// minutes or less (routed: beyond which the routing asks nothing).
func (t *metric) reach2(minutes float64) float64 {
	switch {
	case !t.crow:
		return metersChord(t.rt.CutoffKm * 1000)
	case math.IsInf(minutes, 1):
		return 4
	}
	return metersChord(minutes * t.mpm / t.fly.Circuity)
}

// describeTravel fills the fields that name the travel model of an answer.
func (p *Params) describeTravel() {
	p.TravelModel, p.TravelEngine, p.TravelK, p.TravelCutoffKm = "crowfly", "", 0, 0
	if p.Travel == nil {
		return
	}
	if _, ok := p.Travel.(Crowfly); ok {
		return
	}
	r := routingOf(p.Travel)
	p.TravelModel, p.TravelEngine, p.TravelK, p.TravelCutoffKm = r.Name, r.Host, r.K, r.CutoffKm
}
