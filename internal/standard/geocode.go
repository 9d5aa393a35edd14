package standard

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// DefaultGeocodeMinScore is the lowest geocoder score (0–1, the BAN API's
// scale) accepted at import by default.
const DefaultGeocodeMinScore = 0.6

// Geocoder finds the point of a postal address. The BAN client of
// internal/ban, with its import cache, implements it; tests use a fake BAN
// on loopback.
type Geocoder interface {
	Geocode(q GeocodeQuery) (GeocodeResult, error)
}

// GeocodeQuery is an address to place, in a known commune.
type GeocodeQuery struct {
	Address  string // street address (number and street)
	Postcode string
	City     string
	CityCode string // INSEE code of the commune the result must lie in
}

// GeocodeResult is the geocoder's best answer (Found false: none).
type GeocodeResult struct {
	Found    bool
	Point    orb.Point
	Score    float64
	CityCode string
	Label    string
	Kind     string // housenumber, street, locality, municipality
}

// geocode tries to place p from its address when it has no usable
// coordinates or sits at its commune's centre; it returns the point to
// use. A result is used only above the score threshold, at street or
// house-number level, and inside the declared commune.
func (r *row) geocode(p *cartonum.Place, pt orb.Point, c *cartonum.Commune, t Territory, o Options) orb.Point {
	atCentre := false
	if p.Provenance.Precision == cartonum.PrecisionExact {
		a, ok := t.Anchor(c.Code)
		if !ok || Distance(pt[1], pt[0], a[1], a[0]) > centreTolerance {
			return pt
		}
		atCentre = true
	}
	addr := clean(r.get("adresse"))
	if addr == "" {
		return pt
	}
	q := GeocodeQuery{Address: addr, CityCode: c.Code, City: c.Nom}
	if cp := r.postcodeCandidates(); len(cp) == 1 && (len(c.CodesPostaux) == 0 || contains(c.CodesPostaux, cp[0])) {
		q.Postcode = cp[0]
	}
	res, err := o.Geocoder.Geocode(q)
	minScore := o.GeocodeMinScore
	if minScore <= 0 {
		minScore = DefaultGeocodeMinScore
	}
	switch {
	case err != nil:
		r.repair("latitude", "géocodage impossible (%v) : position inchangée", err)
		return pt
	case !res.Found:
		r.repair("latitude", "géocodage sans résultat pour « %s » : position inchangée", addr)
		return pt
	case res.Score < minScore:
		r.repair("latitude", "géocodage écarté, score %s inférieur au seuil %s (« %s ») : position inchangée", frenchFloat(res.Score, 2), frenchFloat(minScore, 2), res.Label)
		return pt
	case res.Kind == "municipality":
		r.repair("latitude", "géocodage écarté : seule la commune a été trouvée (« %s ») : position inchangée", res.Label)
		return pt
	}
	if d := distanceTo(t, c, res.Point); d > 0 || (res.CityCode != "" && res.CityCode != c.Code) {
		r.repair("latitude", "géocodage écarté : résultat « %s » hors de la commune déclarée %s (%s) : position inchangée", res.Label, c.Code, c.Nom)
		return pt
	}
	was := "sans coordonnées"
	if atCentre {
		was = "placé au centre de sa commune"
	}
	p.Provenance.Precision = cartonum.PrecisionExact
	r.repair("latitude", "géocodé, score %s (%s, « %s ») : lieu %s placé en (%g, %g)", frenchFloat(res.Score, 2), kindLabel(res.Kind), res.Label, was, round6(res.Point[1]), round6(res.Point[0]))
	return orb.Point{round6(res.Point[0]), round6(res.Point[1])}
}

func kindLabel(kind string) string {
	switch kind {
	case "housenumber":
		return "numéro"
	case "street":
		return "voie"
	case "locality":
		return "lieu-dit"
	}
	return strings.TrimSpace(fmt.Sprint(kind))
}
