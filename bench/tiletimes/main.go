// Command tiletimes measures how long Cartonum takes to build the communes
// vector tiles of a region, uncached, zoom by zoom.
//
// It reads the region's files straight from the data mirror (no database),
// builds the tile set of that snapshot, generalises every zoom once with
// Warm — as the server does when a data version is loaded, the way PostGIS
// builds its GiST index once per data load — and then encodes every tile
// covering the region's bounds, several times, with the cache bypassed
// (tileset.Set.Encode). One line per zoom, tab-separated:
//
//	zoom  tiles  median_ms  p90_ms  mean_bytes  max_bytes  mean_ms  empty
//
// The times are per tile: each tile's median over the repetitions, then the
// median, 90th percentile and mean of those over the zoom's tiles. Byte
// figures are the raw (uncompressed) MVT sizes over the non-empty tiles;
// empty counts the tiles with no commune at all (sea, neighbouring
// countries inside the bounding box).
//
// Two more columns follow: p99_ms and max_ms, the 99th percentile and the
// maximum of the tiles' medians.
//
// With -region all it reads the national files of the directory
// (communes-france.geojson, epci-france.json, lieux-france-v1.csv and
// departements-france.geojson when present, else the départements are
// derived from the communes), as bench/natsynth writes them, and times the
// tiles touching a commune's bounds (-cover, on by default for all: the
// bounding box of France with its overseas départements is mostly sea).
// With -served each tile is timed through the tile cache's miss path
// (Set.Get with no cache: encoding, ETag and gzip), what a server pays for
// an uncached tile before HTTP.
//
// With -list it prints the tiles instead ("z x y" per line), so that
// bench/postgis-compare.sh asks PostGIS for exactly the same tiles.
//
// Usage:
//
//	go run ./bench/tiletimes [-data DIR] [-region 32|all] [-zooms 6-12] [-reps 5] [-cover] [-served] [-cpuprofile F]
//	go run ./bench/tiletimes -list [-zooms 6-12]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/tileset"
)

// config is what the flags say.
type config struct {
	Data       string
	Region     string
	MinZoom    int
	MaxZoom    int
	Reps       int
	List       bool
	Cover      bool
	Served     bool
	CPUProfile string
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tiletimes:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	set, err := load(cfg.Data, cfg.Region, cfg.Served)
	if err != nil {
		return err
	}
	tilesOf := func(z int) []maptile.Tile {
		if cfg.Cover {
			return coverTiles(set, z)
		}
		return tileset.TilesOver(set.Bounds(), z)
	}
	if cfg.List {
		for z := cfg.MinZoom; z <= cfg.MaxZoom; z++ {
			for _, t := range tilesOf(z) {
				fmt.Fprintf(stdout, "%d %d %d\n", t.Z, t.X, t.Y)
			}
		}
		return nil
	}
	loaded := time.Since(start)
	start = time.Now()
	set.Warm()
	warmed := time.Since(start)
	fmt.Fprintf(stdout, "# cartonum tiletimes: region %s, %d communes, data %s\n",
		cfg.Region, len(set.Snapshot().Communes()), cfg.Data)
	fmt.Fprintf(stdout, "# load %.0f ms; Warm (generalisation of every zoom, done once per data version, like PostGIS's GiST index) %.0f ms, not counted below\n",
		ms(loaded), ms(warmed))
	how := "cache bypassed (Set.Encode)"
	if cfg.Served {
		how = "cache miss path (Set.Get without cache: encoding, ETag, gzip)"
	}
	fmt.Fprintf(stdout, "# layer communes (no indicator attributes), %s, %d repetitions per tile, 1 goroutine, GOMAXPROCS %d, %s\n",
		how, cfg.Reps, runtime.GOMAXPROCS(0), runtime.Version())

	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	fmt.Fprintln(stdout, "zoom\ttiles\tmedian_ms\tp90_ms\tmean_bytes\tmax_bytes\tmean_ms\tempty\tp99_ms\tmax_ms")
	for z := cfg.MinZoom; z <= cfg.MaxZoom; z++ {
		r, err := measure(set, tilesOf(z), cfg.Reps, cfg.Served)
		if err != nil {
			return fmt.Errorf("z%d: %w", z, err)
		}
		fmt.Fprintf(stdout, "%d\t%d\t%.4f\t%.4f\t%.0f\t%d\t%.4f\t%d\t%.4f\t%.4f\n",
			z, r.tiles, r.median, r.p90, r.meanBytes, r.maxBytes, r.mean, r.empty, r.p99, r.max)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("tiletimes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	var zooms string
	fs.StringVar(&cfg.Data, "data", "", "data mirror directory (default ../shared/data relative to the repository root)")
	fs.StringVar(&cfg.Region, "region", "32", "INSEE region code")
	fs.StringVar(&zooms, "zooms", "6-12", "zoom range, e.g. 6-12 or 8")
	fs.IntVar(&cfg.Reps, "reps", 5, "timed repetitions per tile (after one untimed pass)")
	fs.BoolVar(&cfg.List, "list", false, "print the tiles (z x y per line) instead of timing them")
	fs.BoolVar(&cfg.Cover, "cover", false, "only the tiles touching a commune's bounds, instead of every tile of the bounding box (default for -region all)")
	fs.BoolVar(&cfg.Served, "served", false, "time the cache miss path (encoding, ETag, gzip) instead of the encoding alone")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the timed part to this file")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	lo, hi, ok := strings.Cut(zooms, "-")
	if !ok {
		hi = lo
	}
	var err1, err2 error
	cfg.MinZoom, err1 = strconv.Atoi(lo)
	cfg.MaxZoom, err2 = strconv.Atoi(hi)
	if err1 != nil || err2 != nil || cfg.MinZoom < 0 || cfg.MaxZoom > tileset.MaxRequestZoom || cfg.MinZoom > cfg.MaxZoom {
		return cfg, fmt.Errorf("invalid -zooms %q: want MIN-MAX between 0 and %d", zooms, tileset.MaxRequestZoom)
	}
	if cfg.Region == "all" {
		covered := false
		fs.Visit(func(f *flag.Flag) { covered = covered || f.Name == "cover" })
		cfg.Cover = cfg.Cover || !covered
	}
	if cfg.Reps < 1 {
		return cfg, fmt.Errorf("invalid -reps %d", cfg.Reps)
	}
	if cfg.Data == "" {
		root, err := repoRoot()
		if err != nil {
			return cfg, err
		}
		cfg.Data = filepath.Join(root, "..", "shared", "data")
	}
	return cfg, nil
}

// repoRoot is the nearest directory above the working directory holding
// go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: give -data")
		}
		dir = parent
	}
}

// load builds the tile set of the region from the mirror files, as
// internal/tileset's tests do: communes, EPCI and départements, and the
// places when the mirror has them (their counts are commune properties).
// The tiles are those the server builds, less its indicator attributes.
func load(dir, region string, served bool) (*tileset.Set, error) {
	open := func(name string) (*os.File, error) { return os.Open(filepath.Join(dir, name)) }
	suffix := region
	if region == "all" {
		suffix = "france"
	}
	f, err := open("communes-" + suffix + ".geojson")
	if err != nil {
		return nil, err
	}
	communes, err := territory.ReadCommunes(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("communes: %w", err)
	}
	f, err = open("epci-" + suffix + ".json")
	if err != nil {
		return nil, err
	}
	epcis, err := territory.ReadEPCIs(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("epci: %w", err)
	}
	var deps []cartonum.Departement
	if f, err = open("departements-" + suffix + ".geojson"); err == nil {
		deps, err = territory.ReadDepartements(f)
		f.Close()
	} else if errors.Is(err, os.ErrNotExist) {
		deps, err = territory.DeriveDepartements(communes, territory.Names{})
	}
	if err != nil {
		return nil, fmt.Errorf("départements: %w", err)
	}
	data := index.Data{Version: 1, Communes: communes, EPCIs: epcis, Departements: deps}
	name := "lieux-" + suffix + "-v1.csv"
	if f, err := open(name); err == nil {
		src, err := standard.Read(name, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		terr := index.New(index.Data{Communes: slices.Clone(communes)})
		res, err := standard.Import(nil, []*standard.Source{src}, terr, standard.Options{Region: region, KeepOutside: region == "all"})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		data.Places = res.Upserts
	}
	// No extra attributes: the server adds its accessibility indicators
	// (four numbers per commune from z8), which belong to internal/httpapi.
	cfg := tileset.DefaultConfig()
	if served {
		cfg.CacheBytes = 0 // every Get is a miss
	}
	return tileset.New(index.New(data), cfg, tileset.Attributes{}), nil
}

// coverTiles lists the tiles of zoom z touching the bounds of at least
// one commune, by column then row.
func coverTiles(set *tileset.Set, z int) []maptile.Tile {
	seen := map[maptile.Tile]bool{}
	for _, c := range set.Snapshot().Communes() {
		for _, t := range tileset.TilesOver(c.Geometry.Bound(), z) {
			seen[t] = true
		}
	}
	out := make([]maptile.Tile, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b maptile.Tile) int {
		if a.X != b.X {
			return int(a.X) - int(b.X)
		}
		return int(a.Y) - int(b.Y)
	})
	return out
}

// result sums up one zoom.
type result struct {
	tiles, empty      int
	median, p90, mean float64 // ms per tile
	p99, max          float64
	meanBytes         float64 // over non-empty tiles
	maxBytes          int
}

// measure encodes every tile once untimed, then reps times timed, and
// summarises each tile's median time.
func measure(set *tileset.Set, ts []maptile.Tile, reps int, served bool) (result, error) {
	encode := func(t maptile.Tile) (int, error) {
		req := tileset.Request{Layers: []string{tileset.Communes}, Tile: t}
		if served {
			tile, err := set.Get(req)
			return tile.Size, err
		}
		raw, err := set.Encode(req)
		return len(raw), err
	}
	r := result{tiles: len(ts)}
	total := 0
	for _, t := range ts {
		n, err := encode(t)
		if err != nil {
			return r, fmt.Errorf("%v: %w", t, err)
		}
		if n == 0 {
			r.empty++
			continue
		}
		total += n
		r.maxBytes = max(r.maxBytes, n)
	}
	if full := len(ts) - r.empty; full > 0 {
		r.meanBytes = float64(total) / float64(full)
	}
	samples := make([][]float64, len(ts))
	for range reps {
		for i, t := range ts {
			start := time.Now()
			if _, err := encode(t); err != nil {
				return r, err
			}
			samples[i] = append(samples[i], ms(time.Since(start)))
		}
	}
	perTile := make([]float64, len(ts))
	for i, s := range samples {
		perTile[i] = percentile(s, 0.5)
	}
	r.median = percentile(perTile, 0.5)
	r.p90 = percentile(perTile, 0.9)
	r.p99 = percentile(perTile, 0.99)
	if len(perTile) > 0 {
		r.max = slices.Max(perTile)
	}
	for _, v := range perTile {
		r.mean += v / float64(len(perTile))
	}
	return r, nil
}

// percentile interpolates linearly between the closest ranks, like
// PostgreSQL's percentile_cont.
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	pos := p * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
