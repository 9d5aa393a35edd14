// Command tilesizes prints the size of the vector tiles the server serves,
// zoom by zoom: every tile covering the region's bounds, for the communes
// layer alone and for the combined base-map request
// (departements,epci,communes,sites), built exactly as `cartonum serve`
// builds them (the generation of the database's data version, with the
// default indicators as attributes of the communes and EPCI).
//
// One line per zoom and request, tab-separated:
//
//	layers  zoom  tiles  mean_bytes  max_bytes  mean_gzip  max_gzip  max_tile
//
// Byte figures are over the non-empty tiles; bytes are the uncompressed
// MVT, gzip the bytes the server sends to a client accepting gzip.
//
// Usage:
//
//	cartonum import --db /tmp/t.db --region 32 … (see README)
//	go run ./bench/tilesizes -db /tmp/t.db [-zooms 5-14] [-each]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/tileset"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tilesizes:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tilesizes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "SQLite database made by cartonum import")
	zooms := fs.String("zooms", "5-14", "zoom range, e.g. 5-14 or 6")
	each := fs.Bool("each", false, "also every other layer alone (departements, epci, sites)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" {
		return errors.New("-db is required")
	}
	lo, hi, ok := strings.Cut(*zooms, "-")
	if !ok {
		hi = lo
	}
	minZ, err1 := strconv.Atoi(lo)
	maxZ, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || minZ < 0 || maxZ > tileset.MaxRequestZoom || minZ > maxZ {
		return fmt.Errorf("invalid -zooms %q", *zooms)
	}
	db, err := sqlite.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.Load(ctx)
	if err != nil {
		return err
	}
	snap := index.New(index.Data{Version: d.Version, Communes: d.Communes, EPCIs: d.EPCIs,
		Departements: d.Departements, Places: d.Places})
	cfg := generation.DefaultConfig()
	cfg.Tiles.CacheBytes = 0
	gen, err := generation.Build(ctx, snap, cfg)
	if err != nil {
		return err
	}
	set := gen.Tiles()
	fmt.Fprintf(stdout, "# cartonum tilesizes: %s, data version %d, %d communes, %d places; build %d ms\n",
		*dbPath, d.Version, len(d.Communes), len(d.Places), gen.BuildTime().Milliseconds())
	fmt.Fprintln(stdout, "layers\tzoom\ttiles\tmean_bytes\tmax_bytes\tmean_gzip\tmax_gzip\tmax_tile")
	requests := [][]string{{tileset.Communes}}
	if *each {
		requests = append(requests, []string{tileset.Departements}, []string{tileset.EPCI}, []string{tileset.Sites})
	}
	requests = append(requests, []string{tileset.Departements, tileset.EPCI, tileset.Communes, tileset.Sites})
	for _, layers := range requests {
		for z := minZ; z <= maxZ; z++ {
			var n, total, gzTotal, maxRaw, maxGz int
			var maxTile maptile.Tile
			for _, t := range tileset.TilesOver(set.Bounds(), z) {
				tile, err := set.Get(tileset.Request{Layers: layers, Tile: t})
				if err != nil {
					return fmt.Errorf("%v: %w", t, err)
				}
				if tile.Gzip == nil {
					continue
				}
				n++
				total += tile.Size
				gzTotal += len(tile.Gzip)
				if tile.Size > maxRaw {
					maxRaw, maxTile = tile.Size, t
				}
				maxGz = max(maxGz, len(tile.Gzip))
			}
			if n == 0 {
				continue
			}
			fmt.Fprintf(stdout, "%s\t%d\t%d\t%.0f\t%d\t%.0f\t%d\t%d/%d/%d\n", strings.Join(layers, ","), z, n,
				float64(total)/float64(n), maxRaw, float64(gzTotal)/float64(n), maxGz, maxTile.Z, maxTile.X, maxTile.Y)
		}
	}
	return nil
}
