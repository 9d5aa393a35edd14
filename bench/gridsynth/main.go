// Command gridsynth writes a synthetic INSEE Filosofi 200 m file, in the
// official CSV format (Filosofi2017_carreaux_200m_met.csv's 35 columns), over
// the communes of a GeoJSON: the 200 m squares of EPSG:3035 whose centre lies
// in a commune, a share of them populated at random with log-normal counts.
// It stands in for the real file, which the data mirror does not hold, to
// measure cartonum import-grid and the analysis at the region's size:
//
//	go run ./bench/gridsynth -communes ../shared/data/communes-32.geojson -out /tmp/grid-32.csv
//	cartonum import-grid /tmp/grid-32.csv --db data/cartonum.db
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/grid"
)

var header = strings.Split("Idcar_200m,I_est_200,Idcar_1km,I_est_1km,Idcar_nat,Groupe,Ind,Men_1ind,Men_5ind,Men_prop,Men_fmp,Ind_snv,Men_surf,Men_coll,Men_mais,Log_av45,Log_45_70,Log_70_90,Log_ap90,Log_inc,Log_soc,Ind_0_3,Ind_4_5,Ind_6_10,Ind_11_17,Ind_18_24,Ind_25_39,Ind_40_54,Ind_55_64,Ind_65_79,Ind_80p,Ind_inc,Men_pauv,Men,lcog_geo", ",")

func main() {
	communesPath := flag.String("communes", "../shared/data/communes-32.geojson", "communes GeoJSON (geo.api.gouv.fr shape)")
	out := flag.String("out", "grid-synthetic.csv", "CSV file to write")
	share := flag.Float64("share", 0.19, "share of the squares that are populated (the real file populates about a fifth of the region's)")
	seed := flag.Uint64("seed", 2026, "random seed")
	flag.Parse()
	if err := run(*communesPath, *out, *share, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(communesPath, out string, share float64, seed uint64) error {
	b, err := os.ReadFile(communesPath)
	if err != nil {
		return err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return fmt.Errorf("%s: %w", communesPath, err)
	}
	var communes []analysis.Commune
	minE, minN, maxE, maxN := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, f := range fc.Features {
		c := analysis.Commune{Code: f.Properties.MustString("code", "")}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			c.Geometry = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			c.Geometry = g
		default:
			continue
		}
		for _, p := range c.Geometry {
			for _, pt := range p[0] {
				e, n := grid.FromWGS84(pt[0], pt[1])
				minE, minN, maxE, maxN = math.Min(minE, e), math.Min(minN, n), math.Max(maxE, e), math.Max(maxN, n)
			}
		}
		communes = append(communes, c)
	}
	loc := analysis.NewLocator(communes)
	rng := rand.New(rand.NewPCG(seed, 3035))
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(strings.Join(header, ",") + "\n")
	num := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	squares, populated := 0, 0
	for n := math.Floor(minN/200) * 200; n <= maxN; n += 200 {
		for e := math.Floor(minE/200) * 200; e <= maxE; e += 200 {
			lon, lat := grid.ToWGS84(e+100, n+100)
			k := loc.Locate(orb.Point{lon, lat}, 0)
			if k < 0 {
				continue
			}
			squares++
			if rng.Float64() >= share {
				continue
			}
			populated++
			ind := math.Max(1, math.Round(math.Exp(2+1.2*rng.NormFloat64())*2)/2)
			men := math.Max(1, math.Round(ind/2.2))
			pauv := math.Round(men * 0.3 * rng.Float64())
			v := make(map[string]string, len(header))
			v["Idcar_200m"] = fmt.Sprintf("CRS3035RES200mN%.0fE%.0f", n, e)
			v["Idcar_1km"] = fmt.Sprintf("CRS3035RES1000mN%.0fE%.0f", math.Floor(n/1000)*1000, math.Floor(e/1000)*1000)
			v["Idcar_nat"] = v["Idcar_1km"]
			v["Groupe"] = strconv.Itoa(populated)
			v["Ind"], v["Men"], v["Men_pauv"] = num(ind), num(men), num(pauv)
			v["Ind_65_79"], v["Ind_80p"] = num(ind*0.15), num(ind*0.05)
			v["Ind_snv"] = num(ind * 22000)
			v["lcog_geo"] = communes[k].Code
			row := make([]string, len(header))
			for i, h := range header {
				if row[i] = v[h]; row[i] == "" {
					row[i] = "0"
				}
			}
			w.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d squares of 200 m in %d communes, %d populated\n", out, squares, len(communes), populated)
	return nil
}
