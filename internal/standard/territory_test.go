package standard

import (
	"maps"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// fakeTerritory is a region of three square communes of the Nord and the
// Pas-de-Calais, enough for every branch of location repair. It satisfies
// Territory the way the in-memory index does.
type fakeTerritory struct {
	communes []*cartonum.Commune
	// distances answers DistanceToCommune and NearestCommune as the real
	// index does, on the same communes.
	distances *index.Snapshot
}

// square is the contour of a commune spanning [minLon, maxLon] ×
// [minLat, maxLat].
func square(minLon, minLat, maxLon, maxLat float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{
		{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat},
	}}}
}

// Communes of the fake territory. Lille's square holds the Grand-Place
// (3.0633, 50.6372); Roubaix lies north-east of it, Laventie west.
var (
	lille = cartonum.Commune{
		Code: "59350", Nom: "Lille", CodeDepartement: "59", CodeRegion: "32",
		CodesPostaux: []string{"59000", "59160", "59260", "59777", "59800"}, Population: 236710,
		Geometry: square(3.00, 50.60, 3.10, 50.67),
	}
	roubaix = cartonum.Commune{
		Code: "59512", Nom: "Roubaix", CodeDepartement: "59", CodeRegion: "32",
		CodesPostaux: []string{"59100"}, Population: 98892,
		Geometry: square(3.13, 50.67, 3.21, 50.72),
	}
	laventie = cartonum.Commune{
		Code: "62491", Nom: "Laventie", CodeDepartement: "62", CodeRegion: "32",
		CodesPostaux: []string{"62840"}, Population: 4656,
		Geometry: square(2.74, 50.60, 2.81, 50.65),
	}
)

func newFakeTerritory() *fakeTerritory {
	t := &fakeTerritory{}
	for _, c := range []cartonum.Commune{lille, roubaix, laventie} {
		t.communes = append(t.communes, &c)
	}
	t.distances = index.New(index.Data{Communes: []cartonum.Commune{lille, roubaix, laventie}})
	return t
}

func (f *fakeTerritory) DistanceToCommune(code string, p orb.Point) (float64, bool) {
	return f.distances.DistanceToCommune(code, p)
}

func (f *fakeTerritory) NearestCommune(p orb.Point, maxMetres float64) (*cartonum.Commune, float64, bool) {
	c, d, ok := f.distances.NearestCommune(p, maxMetres)
	if !ok {
		return nil, 0, false
	}
	own, _ := f.Commune(c.Code)
	return own, d, true
}

func (f *fakeTerritory) CommuneAt(p orb.Point) (*cartonum.Commune, bool) {
	for _, c := range f.communes {
		if planar.MultiPolygonContains(c.Geometry, p) {
			return c, true
		}
	}
	return nil, false
}

func (f *fakeTerritory) Commune(code string) (*cartonum.Commune, bool) {
	for _, c := range f.communes {
		if c.Code == code {
			return c, true
		}
	}
	return nil, false
}

func (f *fakeTerritory) CommunesNamed(key string) []*cartonum.Commune {
	var out []*cartonum.Commune
	for _, c := range f.communes {
		if cartonum.Key(c.Nom) == key {
			out = append(out, c)
		}
	}
	return out
}

// Anchor is the centre of the commune's square.
func (f *fakeTerritory) Anchor(code string) (orb.Point, bool) {
	c, ok := f.Commune(code)
	if !ok {
		return orb.Point{}, false
	}
	return c.Geometry.Bound().Center(), true
}

// nearTerritory reports whether p lies in one of the communes' bounds
// padded by the margin Normalize tolerates for points "just outside" the
// contour of their declared commune.
func (f *fakeTerritory) nearTerritory(p orb.Point) bool {
	for _, c := range f.communes {
		if c.Geometry.Bound().Pad(0.02).Contains(p) {
			return true
		}
	}
	return false
}

// lilleFields is a clean v1.0.2 record of a place in Lille: Normalize
// accepts it without any repair.
func lilleFields() map[string]string {
	return map[string]string{
		"id":          "lieu-lille-1",
		"pivot":       "21590350100017",
		"nom":         "Médiathèque Jean Lévy",
		"commune":     "Lille",
		"code_postal": "59000",
		"code_insee":  "59350",
		"adresse":     "32 rue Édouard Delesalle",
		"latitude":    "50.6333",
		"longitude":   "3.0622",
		"telephone":   "+33320155700",
		"courriels":   "contact@mairie-lille.fr",
		"site_web":    "https://www.lille.fr",
		"horaires":    "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00",
		"source":      "conseiller-numerique",
		"date_maj":    "2024-03-01",
		"services":    "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien",
	}
}

// with returns a copy of base with the given fields set; an empty value is
// a missing field, as it is for Normalize.
func with(base map[string]string, kv ...string) map[string]string {
	out := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// hasRepair fails the test unless p has a repair on field.
func hasRepair(t *testing.T, p *cartonum.Place, field string) {
	t.Helper()
	for _, r := range p.Provenance.Repairs {
		if r.Field == field {
			if r.Record != p.ID {
				t.Errorf("repair %q records id %q, want %q", r.Message, r.Record, p.ID)
			}
			return
		}
	}
	t.Errorf("no repair on %q; repairs: %+v", field, p.Provenance.Repairs)
}
