// Command natsynth writes a national synthetic case in the real file
// shapes, to measure Cartonum at the size of the whole country without
// the national files (the data mirror holds one region):
//
//	go run ./bench/natsynth -out /tmp/nat
//	cartonum import --region all --communes /tmp/nat/communes-france.geojson \
//	    --epci /tmp/nat/epci-france.json /tmp/nat/lieux-france-v1.csv
//
// It writes, deterministic from -seed:
//
//   - communes-france.geojson: about 35,000 communes in the shape of the
//     geo.api.gouv.fr answer (code, nom, codeDepartement, codeRegion,
//     codeEpci, codesPostaux, population; Polygon in WGS84, 5 decimals).
//     Metropolitan France is a jittered grid of cells of about 4 km whose
//     edges carry shared, jittered intermediate vertices (about 45 vertices
//     a commune, as the mirror's region 32), kept inside a rough outline of
//     the country and Corsica: neighbours share their edges exactly, no two
//     communes overlap. Each cell belongs to the nearest of the 96
//     départements' real centres (hence real région codes, spread like
//     France's; the cells being of one size, a region's number of communes
//     follows its area: 1,977 in Hauts-de-France, which has 3,782, 5,295
//     in Nouvelle-Aquitaine, which has 4,309); the five overseas
//     départements are small grids at their real places. Populations are log-normal with the big cities at their
//     real places, scaled to sum to -population (68 M).
//   - epci-france.json: the EPCI (about 30 neighbouring communes of one
//     département each) as @etalab/decoupage-administratif's epci.json.
//   - lieux-france-v1.csv: -places places in the national standard CSV
//     (schema v1.0.2, the columns of the mirror's lieux-france-v1.csv), in
//     communes drawn by population; every field but the identity and the
//     location is taken in turn from the records of -template (the real
//     national file) when it is readable, so services, hours, phones and
//     their quirks are real ones. About half carry no code_insee, as the
//     real file.
//   - with -per-region, communes-R.geojson, epci-R.json and lieux-R-v1.csv
//     for each region R, the files make run reads per region.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// departement is one département: its code, région and (rough) centre.
type departement struct {
	code, region string
	lon, lat     float64
}

// metropole are the 96 départements of metropolitan France with their
// centres, to a few kilometres.
var metropole = []departement{
	{"01", "84", 5.35, 46.1}, {"02", "32", 3.55, 49.55}, {"03", "84", 3.2, 46.4}, {"04", "93", 6.25, 44.1},
	{"05", "93", 6.3, 44.65}, {"06", "93", 7.1, 43.95}, {"07", "84", 4.4, 44.75}, {"08", "44", 4.65, 49.6},
	{"09", "76", 1.5, 42.95}, {"10", "44", 4.15, 48.3}, {"11", "76", 2.4, 43.1}, {"12", "76", 2.65, 44.3},
	{"13", "93", 5.1, 43.5}, {"14", "28", -0.35, 49.1}, {"15", "84", 2.65, 45.05}, {"16", "75", 0.2, 45.7},
	{"17", "75", -0.7, 45.75}, {"18", "24", 2.5, 47.05}, {"19", "75", 1.9, 45.35}, {"2A", "94", 8.95, 41.85},
	{"2B", "94", 9.2, 42.4}, {"21", "27", 4.75, 47.4}, {"22", "53", -2.85, 48.45}, {"23", "75", 2.0, 46.1},
	{"24", "75", 0.75, 45.1}, {"25", "27", 6.35, 47.15}, {"26", "84", 5.15, 44.7}, {"27", "28", 1.0, 49.1},
	{"28", "24", 1.35, 48.4}, {"29", "53", -4.1, 48.25}, {"30", "76", 4.2, 44.0}, {"31", "76", 1.2, 43.35},
	{"32", "76", 0.45, 43.7}, {"33", "75", -0.55, 44.85}, {"34", "76", 3.4, 43.6}, {"35", "53", -1.65, 48.15},
	{"36", "24", 1.55, 46.8}, {"37", "24", 0.7, 47.25}, {"38", "84", 5.55, 45.25}, {"39", "27", 5.7, 46.75},
	{"40", "75", -0.75, 43.95}, {"41", "24", 1.4, 47.6}, {"42", "84", 4.2, 45.7}, {"43", "84", 3.8, 45.1},
	{"44", "52", -1.7, 47.35}, {"45", "24", 2.35, 47.9}, {"46", "76", 1.6, 44.6}, {"47", "75", 0.45, 44.35},
	{"48", "76", 3.5, 44.5}, {"49", "52", -0.55, 47.4}, {"50", "28", -1.3, 49.1}, {"51", "44", 4.25, 48.95},
	{"52", "44", 5.2, 48.1}, {"53", "52", -0.65, 48.15}, {"54", "44", 6.15, 48.8}, {"55", "44", 5.4, 49.0},
	{"56", "53", -2.8, 47.85}, {"57", "44", 6.65, 49.05}, {"58", "27", 3.5, 47.1}, {"59", "32", 3.2, 50.45},
	{"60", "32", 2.45, 49.4}, {"61", "28", 0.1, 48.6}, {"62", "32", 2.3, 50.5}, {"63", "84", 3.15, 45.7},
	{"64", "75", -0.75, 43.25}, {"65", "76", 0.15, 43.05}, {"66", "76", 2.55, 42.6}, {"67", "44", 7.55, 48.65},
	{"68", "44", 7.25, 47.85}, {"69", "84", 4.65, 45.85}, {"70", "27", 6.1, 47.65}, {"71", "27", 4.55, 46.65},
	{"72", "52", 0.2, 48.0}, {"73", "84", 6.45, 45.5}, {"74", "84", 6.45, 46.05}, {"75", "11", 2.35, 48.86},
	{"76", "28", 1.0, 49.65}, {"77", "11", 2.95, 48.6}, {"78", "11", 1.85, 48.8}, {"79", "75", -0.3, 46.55},
	{"80", "32", 2.3, 49.95}, {"81", "76", 2.15, 43.8}, {"82", "76", 1.3, 44.05}, {"83", "93", 6.25, 43.45},
	{"84", "93", 5.2, 44.0}, {"85", "52", -1.3, 46.65}, {"86", "75", 0.45, 46.55}, {"87", "75", 1.25, 45.9},
	{"88", "44", 6.4, 48.2}, {"89", "27", 3.55, 47.85}, {"90", "27", 6.95, 47.65}, {"91", "11", 2.25, 48.5},
	{"92", "11", 2.22, 48.85}, {"93", "11", 2.48, 48.92}, {"94", "11", 2.47, 48.78}, {"95", "11", 2.15, 49.08},
}

// outreMer are the five overseas départements, each with its real number
// of communes, drawn as a small grid around its centre.
var outreMer = []struct {
	departement
	communes int
}{
	{departement{"971", "01", -61.55, 16.2}, 32}, {departement{"972", "02", -61.0, 14.65}, 34},
	{departement{"973", "03", -53.1, 4.0}, 22}, {departement{"974", "04", 55.5, -21.12}, 24},
	{departement{"976", "06", 45.15, -12.8}, 17},
}

// outline is a rough outline of metropolitan France, and corsica of
// Corsica: a grid cell whose centre is in one of them is a commune.
var (
	outline = orb.Ring{{2.55, 51.1}, {4.2, 49.95}, {4.85, 50.15}, {5.8, 49.55}, {6.35, 49.47}, {8.2, 48.97},
		{7.55, 47.6}, {6.85, 47.45}, {6.1, 46.15}, {7.0, 45.9}, {6.8, 45.1}, {7.65, 44.15}, {7.5, 43.78},
		{6.6, 43.15}, {5.0, 43.35}, {4.0, 43.5}, {3.0, 42.9}, {3.17, 42.43}, {1.7, 42.5}, {-0.3, 42.8},
		{-1.75, 43.35}, {-1.45, 44.5}, {-1.2, 46.0}, {-2.2, 46.9}, {-2.5, 47.3}, {-4.35, 47.8}, {-4.75, 48.4},
		{-3.0, 48.85}, {-1.6, 48.65}, {-1.9, 49.7}, {-1.25, 49.65}, {0.2, 49.45}, {1.4, 50.1}, {1.6, 50.85},
		{2.55, 51.1}}
	corsica = orb.Ring{{8.55, 42.4}, {9.4, 43.0}, {9.55, 42.1}, {9.25, 41.4}, {8.75, 41.6}, {8.6, 42.0}, {8.55, 42.4}}
)

// cities are the big cities, at their real places with their population,
// so that the map has its dense spots where France has them.
var cities = []struct {
	lon, lat float64
	pop      int
}{
	{2.35, 48.86, 2100000}, {5.37, 43.30, 870000}, {4.83, 45.76, 520000}, {1.44, 43.60, 500000},
	{7.26, 43.70, 340000}, {-1.55, 47.22, 320000}, {3.88, 43.61, 300000}, {7.75, 48.58, 290000},
	{-0.58, 44.84, 260000}, {3.06, 50.63, 235000}, {-1.68, 48.11, 225000}, {4.03, 49.26, 180000},
	{5.93, 45.18, 160000}, {4.39, 45.43, 170000}, {0.11, 49.49, 165000}, {5.72, 45.19, 158000},
	{5.04, 47.32, 160000}, {-0.55, 47.47, 155000}, {4.36, 43.84, 150000}, {2.30, 49.89, 135000},
}

func main() {
	out := flag.String("out", "natsynth", "directory to write into (created)")
	seed := flag.Uint64("seed", 2026, "random seed: the same seed writes the same files")
	cell := flag.Float64("cell-km", 4.02, "side of a metropolitan commune, in km (4.02 gives about 35,000 communes)")
	places := flag.Int("places", 20000, "number of places")
	population := flag.Int("population", 68_000_000, "total population")
	template := flag.String("template", "../shared/data/lieux-france-v1.csv", "real places CSV whose non-geographic fields the places take in turn (none: synthetic values)")
	perRegion := flag.Bool("per-region", false, "also write communes-R.geojson, epci-R.json and lieux-R-v1.csv per region")
	flag.Parse()
	if err := run(*out, *seed, *cell, *places, *population, *template, *perRegion); err != nil {
		log.Fatal(err)
	}
}

// commune is one generated commune.
type commune struct {
	code, nom, dep, region, epci, postcode string
	pop                                    int
	ring                                   orb.Ring
	centre                                 orb.Point
	block                                  [2]int // grid block, for the EPCI
}

type epci struct {
	Code       string   `json:"code"`
	Nom        string   `json:"nom"`
	Type       string   `json:"type"`
	Population int      `json:"population"`
	Membres    []string `json:"membres"`
	region     string
}

func run(out string, seed uint64, cellKm float64, nPlaces, population int, template string, perRegion bool) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	communes := grid(r, cellKm)
	communes = append(communes, overseas()...)
	if err := number(communes); err != nil {
		return err
	}
	names := newNamer(r)
	for i := range communes {
		communes[i].nom = names.commune()
	}
	populate(r, communes, population)
	epcis := groupEPCI(communes)
	rows, header, err := placesRows(r, communes, nPlaces, template)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeCommunes(filepath.Join(out, "communes-france.geojson"), communes); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(out, "epci-france.json"), epcis); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(out, "lieux-france-v1.csv"), header, rows); err != nil {
		return err
	}
	if perRegion {
		regions := map[string]bool{}
		for _, c := range communes {
			regions[c.region] = true
		}
		regionOf := map[string]string{}
		for _, c := range communes {
			regionOf[c.code] = c.region
		}
		for reg := range regions {
			var cs []commune
			for _, c := range communes {
				if c.region == reg {
					cs = append(cs, c)
				}
			}
			var es []epci
			for _, e := range epcis {
				if e.region == reg {
					es = append(es, e)
				}
			}
			var rs [][]string
			for _, row := range rows {
				if regionOf[row[len(row)-1]] == reg {
					rs = append(rs, row)
				}
			}
			if err := writeCommunes(filepath.Join(out, "communes-"+reg+".geojson"), cs); err != nil {
				return err
			}
			if err := writeJSON(filepath.Join(out, "epci-"+reg+".json"), es); err != nil {
				return err
			}
			if err := writeCSV(filepath.Join(out, "lieux-"+reg+"-v1.csv"), header, rs); err != nil {
				return err
			}
		}
	}
	total, vertices := 0, 0
	for _, c := range communes {
		total += c.pop
		vertices += len(c.ring)
	}
	fmt.Printf("natsynth: %d communes (%d vertices), %d EPCI, %d places, population %d, in %s\n",
		len(communes), vertices, len(epcis), len(rows), total, out)
	return nil
}

// grid draws metropolitan France as a jittered grid whose corners and
// edge vertices are shared by the neighbouring cells.
func grid(r *rand.Rand, cellKm float64) []commune {
	const lat0 = 46.5
	dlat := cellKm / 111.2
	dlon := dlat / math.Cos(lat0*math.Pi/180)
	minLon, minLat, maxLon, maxLat := -4.9, 41.3, 9.7, 51.2
	nx := int((maxLon-minLon)/dlon) + 1
	ny := int((maxLat-minLat)/dlat) + 1
	// Corners, jittered by up to a fifth of a cell.
	corner := make([]orb.Point, (nx+1)*(ny+1))
	for j := 0; j <= ny; j++ {
		for i := 0; i <= nx; i++ {
			corner[j*(nx+1)+i] = orb.Point{
				minLon + (float64(i)+0.4*(r.Float64()-0.5))*dlon,
				minLat + (float64(j)+0.4*(r.Float64()-0.5))*dlat,
			}
		}
	}
	c := func(i, j int) orb.Point { return corner[j*(nx+1)+i] }
	// Each edge carries k vertices displaced across it (zero at its ends).
	const k = 10
	edge := func(a, b orb.Point, id uint64, amp float64) []orb.Point {
		er := rand.New(rand.NewPCG(id, 0x5eed))
		nxp, nyp := -(b[1] - a[1]), b[0]-a[0]
		pts := make([]orb.Point, k)
		phase := er.Float64() * 2 * math.Pi
		for n := range k {
			t := float64(n+1) / float64(k+1)
			off := amp * math.Sin(math.Pi*t) * (0.6*math.Sin(3*math.Pi*t+phase) + 0.4*(er.Float64()-0.5))
			pts[n] = orb.Point{a[0] + t*(b[0]-a[0]) + off*nxp, a[1] + t*(b[1]-a[1]) + off*nyp}
		}
		return pts
	}
	// Horizontal edge (i,j)-(i+1,j) and vertical edge (i,j)-(i,j+1),
	// always generated from their lower corner, so both cells agree.
	hEdge := func(i, j int) []orb.Point {
		return edge(c(i, j), c(i+1, j), uint64(j*(nx+1)+i)<<1, 0.12)
	}
	vEdge := func(i, j int) []orb.Point {
		return edge(c(i, j), c(i, j+1), uint64(j*(nx+1)+i)<<1|1, 0.12)
	}
	var out []commune
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			centre := orb.Point{minLon + (float64(i)+0.5)*dlon, minLat + (float64(j)+0.5)*dlat}
			if !planar.RingContains(outline, centre) && !planar.RingContains(corsica, centre) {
				continue
			}
			// Counter-clockwise: bottom edge, right edge up, top edge
			// back, left edge down.
			ring := orb.Ring{c(i, j)}
			ring = append(ring, hEdge(i, j)...)
			ring = append(ring, c(i+1, j))
			ring = append(ring, vEdge(i+1, j)...)
			ring = append(ring, c(i+1, j+1))
			ring = append(ring, reversed(hEdge(i, j+1))...)
			ring = append(ring, c(i, j+1))
			ring = append(ring, reversed(vEdge(i, j))...)
			ring = append(ring, c(i, j))
			for n := range ring {
				ring[n] = orb.Point{round5(ring[n][0]), round5(ring[n][1])}
			}
			d := nearest(centre)
			out = append(out, commune{dep: d.code, region: d.region, ring: ring, centre: centre, block: [2]int{i / 7, j / 6}})
		}
	}
	return out
}

func reversed(p []orb.Point) []orb.Point {
	out := slices.Clone(p)
	slices.Reverse(out)
	return out
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// nearest is the département whose centre is the closest (distance in km
// on the local plane): a Voronoi diagram of the départements.
func nearest(p orb.Point) departement {
	best, bd := metropole[0], math.Inf(1)
	k := math.Cos(p[1] * math.Pi / 180)
	for _, d := range metropole {
		dx, dy := (d.lon-p[0])*k, d.lat-p[1]
		if v := dx*dx + dy*dy; v < bd {
			best, bd = d, v
		}
	}
	return best
}

// overseas draws each overseas département as a small square grid of its
// communes around its centre (simple squares: they are few).
func overseas() []commune {
	var out []commune
	const s = 0.06
	for _, d := range outreMer {
		side := int(math.Ceil(math.Sqrt(float64(d.communes))))
		for n := range d.communes {
			i, j := n%side, n/side
			x0 := d.lon + float64(i-side/2)*s
			y0 := d.lat + float64(j-side/2)*s
			ring := orb.Ring{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}
			for m := range ring {
				ring[m] = orb.Point{round5(ring[m][0]), round5(ring[m][1])}
			}
			out = append(out, commune{dep: d.code, region: d.region, ring: ring,
				centre: orb.Point{x0 + s/2, y0 + s/2}, block: [2]int{0, j / 3}})
		}
	}
	return out
}

// number gives each commune its INSEE code (département + number, in
// grid order) and a postcode.
func number(cs []commune) error {
	next := map[string]int{}
	for i := range cs {
		next[cs[i].dep]++
		n := next[cs[i].dep]
		width := 5 - len(cs[i].dep)
		if n >= int(math.Pow10(width)) {
			return fmt.Errorf("département %s: more than %d communes; use a larger -cell-km", cs[i].dep, int(math.Pow10(width))-1)
		}
		cs[i].code = fmt.Sprintf("%s%0*d", cs[i].dep, width, n)
		dep := strings.NewReplacer("2A", "20", "2B", "20").Replace(cs[i].dep)
		cs[i].postcode = fmt.Sprintf("%s%0*d", dep, 5-len(dep), (n*7)%int(math.Pow10(5-len(dep))))
		if len(dep) == 2 {
			cs[i].postcode = fmt.Sprintf("%s%03d", dep, 10*(1+n%99))
		}
	}
	return nil
}

// populate draws log-normal populations, puts the big cities where they
// are (with a denser ring around), then scales the whole to total.
func populate(r *rand.Rand, cs []commune, total int) {
	w := make([]float64, len(cs))
	sum := 0.0
	for i := range cs {
		w[i] = math.Exp(6.0 + 1.25*r.NormFloat64())
		for _, c := range cities {
			dx := (cs[i].centre[0] - c.lon) * math.Cos(c.lat*math.Pi/180) * 111.2
			dy := (cs[i].centre[1] - c.lat) * 111.2
			if d := math.Hypot(dx, dy); d < 25 {
				w[i] *= 1 + 8*(1-d/25)
			}
		}
		sum += w[i]
	}
	rest := float64(total)
	for _, c := range cities {
		rest -= float64(c.pop)
	}
	assigned := map[int]bool{}
	for _, c := range cities {
		best, bd := -1, math.Inf(1)
		for i := range cs {
			if d := math.Hypot(cs[i].centre[0]-c.lon, cs[i].centre[1]-c.lat); d < bd && !assigned[i] {
				best, bd = i, d
			}
		}
		assigned[best] = true
		sum -= w[best]
		cs[best].pop = c.pop
	}
	for i := range cs {
		if !assigned[i] {
			cs[i].pop = max(1, int(math.Round(w[i]/sum*rest)))
		}
	}
}

// groupEPCI makes the EPCI: the communes of one département in one grid
// block (7 × 6 cells), named after their biggest commune.
func groupEPCI(cs []commune) []epci {
	type key struct {
		dep   string
		block [2]int
	}
	groups := map[key][]int{}
	var order []key
	for i, c := range cs {
		k := key{c.dep, c.block}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	var out []epci
	for n, k := range order {
		e := epci{Code: fmt.Sprintf("2%08d", 100000+n*37), region: cs[groups[k][0]].region}
		big := groups[k][0]
		for _, i := range groups[k] {
			cs[i].epci = e.Code
			e.Population += cs[i].pop
			e.Membres = append(e.Membres, cs[i].code)
			if cs[i].pop > cs[big].pop {
				big = i
			}
		}
		switch {
		case e.Population > 400000:
			e.Type, e.Nom = "METRO", "Métropole de "+cs[big].nom
		case e.Population > 250000:
			e.Type, e.Nom = "CU", "Communauté urbaine de "+cs[big].nom
		case e.Population > 50000:
			e.Type, e.Nom = "CA", "CA de "+cs[big].nom
		default:
			e.Type, e.Nom = "CC", "CC de "+cs[big].nom
		}
		slices.Sort(e.Membres)
		out = append(out, e)
	}
	return out
}

// namer makes French-looking commune names, with the repetitions of the
// real list (many Saint-…, -sur-…).
type namer struct{ r *rand.Rand }

func newNamer(r *rand.Rand) *namer { return &namer{r} }

var (
	syllables = strings.Fields("ab bau bel ber bois bon bour bre cha cham char chau cour cré dam dom éper fon fré gau gen gon gre gui her jon la lan lau ler lon lou mar mau mes mon mor nan neu nor pal pé pon pré ra ren ri roc ro sau sé sou ta tou tré val ven ver vil vi cel lieu mont ferté")
	endings   = strings.Fields("ville court court mont y ac an ay é ier ières ot ange ange ois euil ette ard eaux enne ières as")
	saints    = strings.Fields("Martin Pierre Jean Germain Laurent Hilaire Denis Georges Julien Aubin Étienne Sauveur Vincent Rémy Amand Paul Médard Quentin Omer Valery")
	saintes   = strings.Fields("Marie Colombe Croix Foy Geneviève Anne Radegonde Marguerite")
	rivers    = strings.Fields("Seine Loire Marne Saône Rhône Oise Somme Meuse Moselle Aisne Garonne Dordogne Vienne Lot Tarn Aude Orne Yonne Cher Indre Sarthe Mayenne Vilaine Charente Allier Durance Isère Ain Eure Lys Scarpe Authie Canche Aa Ill")
	articles  = []string{"", "", "", "", "", "", "Le ", "La ", "Les "}
)

func (n *namer) root() string {
	r := n.r
	s := syllables[r.IntN(len(syllables))]
	if r.IntN(3) == 0 {
		s += syllables[r.IntN(len(syllables))]
	}
	s += endings[r.IntN(len(endings))]
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:]
}

func (n *namer) commune() string {
	r := n.r
	var name string
	switch v := r.IntN(100); {
	case v < 10:
		name = "Saint-" + saints[r.IntN(len(saints))]
	case v < 12:
		name = "Sainte-" + saintes[r.IntN(len(saintes))]
	default:
		name = articles[r.IntN(len(articles))] + n.root()
	}
	switch v := r.IntN(100); {
	case v < 12:
		name += "-sur-" + rivers[r.IntN(len(rivers))]
	case v < 16:
		name += "-en-" + n.root()
	case v < 19:
		name += "-le-" + []string{"Grand", "Petit", "Château", "Vieux", "Bas", "Haut"}[r.IntN(6)]
	case v < 21:
		name += "-lès-" + n.root()
	}
	return name
}

var standardHeader = strings.Split("id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv", ",")

// placesRows draws the places; each row ends with an extra cell, the
// commune code (dropped when written), to split them per region.
func placesRows(r *rand.Rand, cs []commune, n int, template string) ([][]string, []string, error) {
	header := standardHeader
	var tmpl [][]string
	if template != "" && template != "none" {
		f, err := os.Open(template)
		if err != nil {
			return nil, nil, fmt.Errorf("template: %w (-template none for synthetic values)", err)
		}
		rd := csv.NewReader(bufio.NewReader(f))
		rd.FieldsPerRecord = -1
		all, err := rd.ReadAll()
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("template %s: %w", template, err)
		}
		if len(all) < 2 || !slices.Equal(all[0], standardHeader) {
			return nil, nil, fmt.Errorf("template %s: not the standard v1 columns", template)
		}
		tmpl = all[1:]
	}
	// Cumulative weights: places follow the population, softened (the
	// small communes have more than their share of places).
	cum := make([]float64, len(cs))
	s := 0.0
	for i, c := range cs {
		s += math.Pow(float64(c.pop), 0.7)
		cum[i] = s
	}
	col := func(name string) int { return slices.Index(header, name) }
	streets := strings.Fields("Mairie Église République Gare Paix Libération Écoles Poste Fontaine Moulin Château Victor-Hugo Jean-Jaurès Pasteur")
	usedPivot := map[string]bool{}
	rows := make([][]string, 0, n)
	for k := range n {
		i, _ := slices.BinarySearch(cum, r.Float64()*s)
		i = min(i, len(cs)-1)
		c := cs[i]
		row := make([]string, len(header))
		if tmpl != nil {
			copy(row, tmpl[k%len(tmpl)])
		} else {
			row[col("nom")] = "Espace numérique"
			row[col("services")] = "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique"
			row[col("source")] = "natsynth"
			row[col("date_maj")] = "2026-01-15"
			row[col("frais_a_charge")] = "Gratuit"
		}
		row[col("id")] = fmt.Sprintf("%024x", uint64(k)*0x9e3779b97f4a7c15>>8)
		if p := row[col("pivot")]; p == "" || usedPivot[p] {
			row[col("pivot")] = "00000000000000"
		} else if p != "00000000000000" {
			usedPivot[p] = true
		}
		if row[col("nom")] == "" {
			row[col("nom")] = "Espace numérique"
		}
		row[col("nom")] += " " + c.nom
		row[col("commune")] = c.nom
		row[col("code_postal")] = c.postcode
		row[col("code_insee")] = ""
		if r.IntN(100) < 45 {
			row[col("code_insee")] = c.code
		}
		row[col("adresse")] = fmt.Sprintf("%d rue de la %s", 1+r.IntN(80), streets[r.IntN(len(streets))])
		// A point inside the cell: from its centre towards one of its
		// vertices, at most a third of the way.
		v := c.ring[r.IntN(len(c.ring)-1)]
		t := r.Float64() / 3
		row[col("latitude")] = strconv.FormatFloat(round6(c.centre[1]+t*(v[1]-c.centre[1])), 'f', -1, 64)
		row[col("longitude")] = strconv.FormatFloat(round6(c.centre[0]+t*(v[0]-c.centre[0])), 'f', -1, 64)
		rows = append(rows, append(row, c.code))
	}
	return rows, header, nil
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func writeCommunes(path string, cs []commune) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, `{"type":"FeatureCollection","features":[`)
	for i, c := range cs {
		if i > 0 {
			w.WriteByte(',')
		}
		props, _ := json.Marshal(map[string]any{
			"code": c.code, "nom": c.nom, "codeDepartement": c.dep, "codeRegion": c.region,
			"codeEpci": c.epci, "codesPostaux": []string{c.postcode}, "population": c.pop,
		})
		fmt.Fprintf(w, `{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[`, props)
		for n, p := range c.ring {
			if n > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "[%s,%s]", strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64))
		}
		io.WriteString(w, "]]}}")
	}
	io.WriteString(w, "]}\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(bufio.NewWriter(f))
	w.Write(header)
	for _, row := range rows {
		w.Write(row[:len(header)])
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
