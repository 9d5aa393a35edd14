package grid

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
)

// Resolution is the side, in metres, of the squares Read accepts.
const Resolution = 200

// SnapMeters is how far outside every commune polygon of the region a
// square's centre may lie and still be assigned, to the nearest commune,
// when the square's lcog_geo lists that commune: the communes' contours are
// simplified, so centres on coasts and borders can fall just outside.
const SnapMeters = 300

// MaxRejects is how many rejected rows the report lists; Rejected counts
// them all.
const MaxRejects = 1000

// Read reads a Filosofi 200 m file (CSV or GeoPackage) and returns the
// squares whose centre lies in one of communes (the region's), each
// assigned to that commune, with the report of every row. It fails, with an
// error wrapping ErrFormat, when the file lacks the official columns or
// holds no square of the region.
func Read(ctx context.Context, path string, communes []cartonum.Commune) ([]cartonum.GridCell, cartonum.GridImport, error) {
	rep := cartonum.GridImport{File: filepath.Base(path), ImportedAt: time.Now().UTC(), Rejects: []cartonum.GridReject{}}
	ac := make([]analysis.Commune, len(communes))
	for i := range communes {
		ac[i] = analysis.Commune{Code: communes[i].Code, Geometry: communes[i].Geometry}
	}
	loc := analysis.NewLocator(ac)
	seen := map[string]int{}
	held := map[string]bool{}
	var cells []cartonum.GridCell
	reject := func(r *record, idcar, reason string) {
		rep.Rejected++
		if len(rep.Rejects) < MaxRejects {
			rep.Rejects = append(rep.Rejects, cartonum.GridReject{Line: r.line, Idcar: idcar, Reason: reason})
		}
	}
	err := readFile(ctx, path, func(r *record) error {
		rep.Rows++
		if r.err != "" {
			reject(r, "", r.err)
			return nil
		}
		c, reason := parseRecord(r)
		if reason != "" {
			reject(r, c.Idcar, reason)
			return nil
		}
		p := orb.Point{c.Lon, c.Lat}
		k := loc.Locate(p, 0)
		if k < 0 && r.values[6] != "" {
			if n := loc.Locate(p, SnapMeters); n >= 0 && listsCommune(r.values[6], ac[n].Code) {
				k = n
			}
		}
		if k < 0 {
			rep.Outside++
			return nil
		}
		// Duplicates are looked for among the region's squares only: the
		// national file has 2.3 million others.
		if first, dup := seen[c.Idcar]; dup {
			reject(r, c.Idcar, fmt.Sprintf("carreau en double (déjà ligne %d)", first))
			return nil
		}
		seen[c.Idcar] = r.line
		c.Commune = ac[k].Code
		held[c.Commune] = true
		rep.Imported++
		rep.Population += c.Ind
		cells = append(cells, c)
		return nil
	})
	if err != nil {
		return nil, rep, fmt.Errorf("lecture de %s : %w", path, err)
	}
	rep.Communes = len(held)
	if rep.Imported == 0 {
		return nil, rep, fmt.Errorf("%s : %w : aucun carreau dans les communes chargées (%d lignes : %d hors de leurs régions, %d rejetées)",
			path, ErrFormat, rep.Rows, rep.Outside, rep.Rejected)
	}
	return cells, rep, nil
}

// listsCommune reports whether lcog_geo (commune codes, concatenated or
// separated) names code.
func listsCommune(lcog, code string) bool {
	s := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == 'A' || r == 'B' || r == 'a' || r == 'b' {
			return r
		}
		return -1
	}, lcog)
	s = strings.ToUpper(s)
	for i := 0; i+5 <= len(s); i += 5 {
		if s[i:i+5] == code {
			return true
		}
	}
	return false
}

// parseRecord reads one row's square and counts; reason says why a row is
// rejected.
func parseRecord(r *record) (c cartonum.GridCell, reason string) {
	c.Idcar = strings.ToUpper(strings.Trim(r.values[0], `"' `))
	res, north, east, err := ParseIdcar(c.Idcar)
	if err != nil {
		return c, err.Error()
	}
	if res != Resolution {
		return c, fmt.Sprintf("carreau de %g m : le fichier attendu est celui des carreaux de %d m", res, Resolution)
	}
	c.Lon, c.Lat = ToWGS84(east+res/2, north+res/2)
	var nums [5]float64
	for k := range nums {
		raw := r.values[k+1]
		if raw == "" && k > 0 {
			continue // an empty count other than Ind is zero
		}
		v, ok := parseNumber(raw)
		if !ok {
			return c, fmt.Sprintf("%s « %s » n'est pas un nombre", Columns[k+1], raw)
		}
		if v < 0 {
			return c, fmt.Sprintf("%s « %s » est négatif", Columns[k+1], raw)
		}
		nums[k] = v
	}
	c.Ind, c.Men, c.MenPauv = nums[0], nums[1], math.Min(nums[2], nums[1])
	c.Elderly = math.Min(nums[3]+nums[4], c.Ind)
	if c.Men > 0 {
		c.Poor = c.Ind * c.MenPauv / c.Men
	}
	return c, ""
}

// parseNumber reads a count written with a decimal point or comma, maybe
// quoted, maybe with spaces between thousands.
func parseNumber(s string) (float64, bool) {
	s = strings.Trim(s, `"' `)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ParseIdcar reads a square identifier such as
// CRS3035RES200mN2029800E3780600 (any case): the resolution, and the
// northing and easting of the lower-left corner in EPSG:3035, in metres.
func ParseIdcar(id string) (res, north, east float64, err error) {
	s := strings.ToUpper(strings.TrimSpace(id))
	bad := func() (float64, float64, float64, error) {
		return 0, 0, 0, fmt.Errorf("identifiant de carreau « %s » illisible (attendu CRS3035RES200mN…E…)", id)
	}
	rest, ok := strings.CutPrefix(s, "CRS3035RES")
	if !ok {
		return bad()
	}
	r, rest, ok := strings.Cut(rest, "M")
	if !ok {
		return bad()
	}
	rest, ok = strings.CutPrefix(rest, "N")
	if !ok {
		return bad()
	}
	n, e, ok := strings.Cut(rest, "E")
	if !ok {
		return bad()
	}
	var vals [3]float64
	for i, t := range []string{r, n, e} {
		v, err := strconv.ParseUint(t, 10, 32)
		if err != nil || t == "" {
			return bad()
		}
		vals[i] = float64(v)
	}
	if vals[0] == 0 {
		return bad()
	}
	return vals[0], vals[1], vals[2], nil
}
