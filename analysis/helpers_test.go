package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// dataDir is the data mirror: $CARTONUM_DATA_MIRROR (set by the Makefile)
// or ../../shared/data.
func dataDir() string {
	if d := os.Getenv("CARTONUM_DATA_MIRROR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "data")
}

// needData skips the test when the real data is absent, or fails it on CI.
func needData(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("real data required on CI: %v", err)
	}
	tb.Skipf("real data absent: %v", err)
}

func readCommunes(path string) ([]Commune, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var out []Commune
	for _, f := range fc.Features {
		c := Commune{
			Code:        f.Properties.MustString("code", ""),
			Name:        f.Properties.MustString("nom", ""),
			EPCI:        f.Properties.MustString("codeEpci", ""),
			Departement: f.Properties.MustString("codeDepartement", ""),
			Population:  f.Properties.MustFloat64("population", 0),
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			c.Geometry = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			c.Geometry = g
		}
		out = append(out, c)
	}
	return out, nil
}

func readSites(path string) ([]Site, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	var out []Site
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Site{
			ID:          rec[col["id"]],
			Point:       orb.Point{lon, lat},
			Services:    split(rec[col["services"]]),
			Dispositifs: split(rec[col["dispositif_programmes_nationaux"]]),
		})
	}
	return out, nil
}

type regionData struct {
	communes []Commune
	sites    []Site
	model    *Model
	err      error
}

var (
	regionOnce sync.Once
	region     regionData
)

// loadRegion reads region 32 once and builds its model with the default
// grid. The model is shared: tests must not rely on its cache being cold.
func loadRegion(tb testing.TB) regionData {
	tb.Helper()
	regionOnce.Do(func() {
		region.communes, region.err = readCommunes(filepath.Join(dataDir(), "communes-32.geojson"))
		if region.err != nil {
			return
		}
		region.sites, region.err = readSites(filepath.Join(dataDir(), "lieux-32-v1.csv"))
		if region.err != nil {
			return
		}
		region.model = NewModel(region.communes, region.sites, Grid{})
	})
	needData(tb, region.err)
	return region
}

// kmDeg converts km along the equator into degrees.
func kmDeg(km float64) float64 { return km * 1000 / metersPerDegree }

// eq is a point on the equator x km east of 0°, y km north.
func eq(x, y float64) orb.Point { return orb.Point{kmDeg(x), kmDeg(y)} }

// square is an axis-aligned square commune near (0°, 0°), in km.
func square(code string, x0, y0, side, pop float64) Commune {
	ring := orb.Ring{eq(x0, y0), eq(x0+side, y0), eq(x0+side, y0+side), eq(x0, y0+side), eq(x0, y0)}
	return Commune{Code: code, Name: "C" + code, EPCI: "E", Departement: "D", Population: pop, Geometry: orb.MultiPolygon{{ring}}}
}

// fixedDemand is a DemandSource that returns given points.
type fixedDemand []DemandPoint

func (f fixedDemand) Demand([]Commune) []DemandPoint { return append([]DemandPoint(nil), f...) }

// kmParams travel one km per minute in straight line: minutes equal km.
func kmParams() Params {
	p := DefaultParams()
	p.Circuity = 1
	p.SpeedKmh = 60
	return p
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

var (
	synthServices    = []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien", "Accès internet et matériel informatique"}
	synthDispositifs = []string{"France Services", "Conseillers numériques", "Aidants Connect"}
)

// synthFrance generates n communes tiling a square of side sideKm centred
// in France, with a heavy-tailed population (log-normal villages plus
// Zipf-sized cities) of about 68 million, and s sites drawn in proportion to
// population^0.7. Commune borders are shared jittered polylines, so the
// communes tile the square without gaps or overlaps.
func synthFrance(n, s int, sideKm float64, seed uint64) ([]Commune, []Site) {
	rng := rand.New(rand.NewPCG(seed, 42))
	k := int(math.Round(math.Sqrt(float64(n))))
	cell := sideKm / float64(k)
	lat0, lon0 := 46.5, 2.5
	cos0 := math.Cos(lat0 * degToRad)
	toLL := func(x, y float64) orb.Point {
		return orb.Point{lon0 + (x-sideKm/2)*1000/(metersPerDegree*cos0), lat0 + (y-sideKm/2)*1000/metersPerDegree}
	}
	type xy struct{ x, y float64 }
	// Jittered lattice nodes (the square's border stays straight).
	node := make([][]xy, k+1)
	for r := range node {
		node[r] = make([]xy, k+1)
		for c := range node[r] {
			p := xy{float64(c) * cell, float64(r) * cell}
			if r > 0 && r < k {
				p.y += (rng.Float64() - 0.5) * 0.5 * cell
			}
			if c > 0 && c < k {
				p.x += (rng.Float64() - 0.5) * 0.5 * cell
			}
			node[r][c] = p
		}
	}
	const sub = 7
	// edge returns the wiggly polyline between two nodes, without its
	// ends; inner edges wiggle, shared by both neighbours.
	edge := func(a, b xy, wiggle bool) []xy {
		out := make([]xy, sub)
		dx, dy := b.x-a.x, b.y-a.y
		l := math.Hypot(dx, dy)
		for i := range out {
			t := float64(i+1) / (sub + 1)
			j := 0.0
			if wiggle {
				j = (rng.Float64() - 0.5) * 0.12 * l
			}
			out[i] = xy{a.x + t*dx - j*dy/l, a.y + t*dy + j*dx/l}
		}
		return out
	}
	hEdge := make([][][]xy, k+1) // node (r,c) → (r,c+1)
	vEdge := make([][][]xy, k)   // node (r,c) → (r+1,c)
	for r := 0; r <= k; r++ {
		hEdge[r] = make([][]xy, k)
		for c := range k {
			hEdge[r][c] = edge(node[r][c], node[r][c+1], r > 0 && r < k)
		}
	}
	for r := range k {
		vEdge[r] = make([][]xy, k+1)
		for c := 0; c <= k; c++ {
			vEdge[r][c] = edge(node[r][c], node[r+1][c], c > 0 && c < k)
		}
	}
	// Cities: Zipf sizes, Gaussian spread.
	type city struct{ x, y, pop, sigma float64 }
	cities := make([]city, 120)
	for i := range cities {
		size := 1 / float64(i+1)
		cities[i] = city{rng.Float64() * sideKm, rng.Float64() * sideKm, size, 4 + 12*math.Sqrt(size)}
	}
	communes := make([]Commune, 0, k*k)
	weights := make([]float64, 0, k*k)
	total := 0.0
	for r := range k {
		for c := range k {
			var ring orb.Ring
			add := func(p xy) { ring = append(ring, toLL(p.x, p.y)) }
			add(node[r][c])
			for _, p := range hEdge[r][c] {
				add(p)
			}
			add(node[r][c+1])
			for _, p := range vEdge[r][c+1] {
				add(p)
			}
			add(node[r+1][c+1])
			for i := sub - 1; i >= 0; i-- {
				add(hEdge[r+1][c][i])
			}
			add(node[r+1][c])
			for i := sub - 1; i >= 0; i-- {
				add(vEdge[r][c][i])
			}
			add(node[r][c])
			cx, cy := (float64(c)+0.5)*cell, (float64(r)+0.5)*cell
			pop := math.Exp(rng.NormFloat64()*1.0 + math.Log(350))
			urban := 0.0
			for _, ct := range cities {
				d2 := (cx-ct.x)*(cx-ct.x) + (cy-ct.y)*(cy-ct.y)
				if d2 < 16*ct.sigma*ct.sigma {
					urban += ct.pop * math.Exp(-d2/(2*ct.sigma*ct.sigma)) / (ct.sigma * ct.sigma)
				}
			}
			pop *= 1 + 400*urban
			total += pop
			code := fmt.Sprintf("%05d", len(communes))
			communes = append(communes, Commune{
				Code: code, Name: "Commune " + code,
				EPCI:        fmt.Sprintf("E%03d-%03d", r/6, c/6),
				Departement: fmt.Sprintf("D%02d-%02d", r/40, c/40),
				Population:  pop,
				Geometry:    orb.MultiPolygon{{ring}},
			})
		}
	}
	scale := 68e6 / total
	cum := make([]float64, len(communes))
	acc := 0.0
	for i := range communes {
		communes[i].Population = math.Round(communes[i].Population * scale)
		weights = append(weights, math.Pow(communes[i].Population, 0.7))
		acc += weights[i]
		cum[i] = acc
	}
	sites := make([]Site, s)
	for i := range sites {
		u := rng.Float64() * acc
		lo, hi := 0, len(cum)-1
		for lo < hi {
			m := (lo + hi) / 2
			if cum[m] < u {
				lo = m + 1
			} else {
				hi = m
			}
		}
		r, c := lo/k, lo%k
		x := (float64(c) + 0.5 + (rng.Float64()-0.5)*0.4) * cell
		y := (float64(r) + 0.5 + (rng.Float64()-0.5)*0.4) * cell
		site := Site{ID: fmt.Sprintf("S%06d", i), Point: toLL(x, y)}
		site.Services = []string{synthServices[rng.IntN(len(synthServices))]}
		if rng.IntN(4) == 0 {
			site.Dispositifs = []string{synthDispositifs[rng.IntN(len(synthDispositifs))]}
		}
		sites[i] = site
	}
	return communes, sites
}
