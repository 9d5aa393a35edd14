package grid

import "math"

// ETRS89-LAEA (EPSG:3035): Lambert azimuthal equal-area on the GRS80
// ellipsoid, centred at 52°N 10°E, false easting 4,321,000 m and false
// northing 3,210,000 m. The formulas are those of IOGP's Guidance Note 7-2
// (EPSG method 9820), the inverse ending with the series for the latitude
// from the authalic latitude; its error stays under a millimetre over France.
const (
	laeaA    = 6378137.0
	laeaInvF = 298.257222101
	laeaLat0 = 52.0
	laeaLon0 = 10.0
	laeaFE   = 4321000.0
	laeaFN   = 3210000.0
	deg      = math.Pi / 180
)

// laea holds the projection's constants, derived once.
var laea = func() (c struct {
	e, e2, qp, rq, d, beta0 float64
	phiSeries               [3]float64
}) {
	f := 1 / laeaInvF
	c.e2 = 2*f - f*f
	c.e = math.Sqrt(c.e2)
	c.qp = authalicQ(c.e, c.e2, math.Pi/2)
	q0 := authalicQ(c.e, c.e2, laeaLat0*deg)
	c.rq = laeaA * math.Sqrt(c.qp/2)
	c.beta0 = math.Asin(q0 / c.qp)
	s0 := math.Sin(laeaLat0 * deg)
	c.d = laeaA * (math.Cos(laeaLat0*deg) / math.Sqrt(1-c.e2*s0*s0)) / (c.rq * math.Cos(c.beta0))
	e4, e6 := c.e2*c.e2, c.e2*c.e2*c.e2
	c.phiSeries = [3]float64{c.e2/3 + 31*e4/180 + 517*e6/5040, 23*e4/360 + 251*e6/3780, 761 * e6 / 45360}
	return c
}()

// authalicQ is q of Guidance Note 7-2 at latitude phi (radians).
func authalicQ(e, e2, phi float64) float64 {
	s := math.Sin(phi)
	return (1 - e2) * (s/(1-e2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
}

// ToWGS84 converts EPSG:3035 easting and northing (metres) to longitude
// and latitude (degrees). ETRS89 and WGS84 agree to well under a metre,
// far below the 200 m of a cell.
func ToWGS84(east, north float64) (lon, lat float64) {
	c := &laea
	x, y := (east-laeaFE)/c.d, c.d*(north-laeaFN)
	rho := math.Hypot(x, y)
	if rho == 0 {
		return laeaLon0, laeaLat0
	}
	C := 2 * math.Asin(math.Min(rho/(2*c.rq), 1))
	sinC, cosC := math.Sincos(C)
	sinB0, cosB0 := math.Sincos(c.beta0)
	beta := math.Asin(cosC*sinB0 + y*sinC*cosB0/rho)
	lam := math.Atan2((east-laeaFE)*sinC, c.d*rho*cosB0*cosC-c.d*c.d*(north-laeaFN)*sinB0*sinC)
	phi := beta + c.phiSeries[0]*math.Sin(2*beta) + c.phiSeries[1]*math.Sin(4*beta) + c.phiSeries[2]*math.Sin(6*beta)
	return laeaLon0 + lam/deg, phi / deg
}

// FromWGS84 converts longitude and latitude (degrees) to EPSG:3035
// easting and northing (metres): the inverse of ToWGS84, used by tests and
// by generators of synthetic grids.
func FromWGS84(lon, lat float64) (east, north float64) {
	c := &laea
	q := authalicQ(c.e, c.e2, lat*deg)
	beta := math.Asin(math.Max(-1, math.Min(1, q/c.qp)))
	sinB, cosB := math.Sincos(beta)
	sinB0, cosB0 := math.Sincos(c.beta0)
	sinL, cosL := math.Sincos((lon - laeaLon0) * deg)
	b := c.rq * math.Sqrt(2/(1+sinB0*sinB+cosB0*cosB*cosL))
	return laeaFE + b*c.d*cosB*sinL, laeaFN + (b/c.d)*(cosB0*sinB-sinB0*cosB*cosL)
}
