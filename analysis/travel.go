package analysis

import (
	"math"

	"github.com/paulmach/orb"
)

// Travel gives the travel distance and time from a to b (longitude,
// latitude). Crowfly is the default; a routing engine can replace it.
type Travel interface {
	Distance(a, b orb.Point) (meters, minutes float64)
}

// Reacher is implemented by a Travel that can bound its trips: Reach returns
// the longest great-circle distance, in meters, that a trip of the given
// minutes can cover (e.g. minutes × the top speed). The model uses it to ask
// the Travel only about the sites that can matter; without it every site is
// examined.
type Reacher interface {
	Reach(minutes float64) (meters float64)
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

// Reach returns the great-circle distance a trip of the given minutes
// covers.
func (c Crowfly) Reach(minutes float64) float64 {
	c = c.norm()
	return minutes * c.metersPerMinute() / c.Circuity
}

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
// works on squared chords, or a Travel.
type metric struct {
	crow    bool
	fly     Crowfly
	mpm     float64 // crow: road meters per minute
	travel  Travel
	reacher Reacher
}

func newMetric(p Params) metric {
	if p.Travel != nil {
		if c, ok := p.Travel.(Crowfly); ok {
			c = c.norm()
			return metric{crow: true, fly: c, mpm: c.metersPerMinute()}
		}
		r, _ := p.Travel.(Reacher)
		return metric{travel: p.Travel, reacher: r}
	}
	c := Crowfly{Circuity: p.Circuity, SpeedKmh: p.SpeedKmh}.norm()
	return metric{crow: true, fly: c, mpm: c.metersPerMinute()}
}

// trip returns the travel from a to b, whose squared chord is d2.
func (t *metric) trip(d2 float64, a, b orb.Point) (meters, minutes float64) {
	if t.crow {
		m := chordMeters(d2) * t.fly.Circuity
		return m, m / t.mpm
	}
	meters, minutes = t.travel.Distance(a, b)
	if math.IsNaN(minutes) {
		minutes = math.Inf(1)
	}
	return meters, minutes
}

// reach2 returns a squared chord beyond which no trip takes minutes or
// less. The crow-fly bound is exact; a Travel's is padded against rounding,
// since its trips are checked one by one anyway.
func (t *metric) reach2(minutes float64) float64 {
	switch {
	case math.IsInf(minutes, 1):
		return 4
	case t.crow:
		return metersChord(minutes * t.mpm / t.fly.Circuity)
	case t.reacher != nil:
		return math.Min(4, metersChord(t.reacher.Reach(minutes))*(1+1e-9)+1e-18)
	}
	return 4
}
