package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/cartonum/cartonum/internal/generation"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/tileset"
)

// exportConfig is what the flags of export-tiles say.
type exportConfig struct {
	DB               string
	Out              string
	Layers           []string
	MinZoom, MaxZoom int
}

const exportUsage = `cartonum export-tiles — PMTiles archive of the vector tiles the server serves

  cartonum export-tiles --out F.pmtiles [--db F] [--layers departements,epci,communes,sites,libelles]
                        [--minzoom 0] [--maxzoom 14]

The archive holds, for the database's data version, every non-empty tile of
the zooms over the region and its places, byte for byte the tiles of
/tiles/{layers}/{z}/{x}/{y}.mvt (gzip), identical tiles stored once, and the
TileJSON's vector_layers in its metadata. Serve it from object storage or a
CDN (HTTP range requests) and read it with the npm pmtiles protocol.

`

func parseExportConfig(args []string, getenv func(string) string, stderr io.Writer) (exportConfig, error) {
	var c exportConfig
	fs := flag.NewFlagSet("cartonum export-tiles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, exportUsage)
		fs.PrintDefaults()
	}
	all := make([]string, len(tileset.Layers))
	for i, l := range tileset.Layers {
		all[i] = l.ID
	}
	var layers string
	fs.StringVar(&c.DB, "db", env(getenv, "DB", "data/cartonum.db"), "SQLite database file (CARTONUM_DB)")
	fs.StringVar(&c.Out, "out", "", "the archive to write (.pmtiles; replaced if it exists)")
	fs.StringVar(&layers, "layers", strings.Join(all, ","), "layers of every tile, in their order, as in a /tiles/{layers}/… URL")
	fs.IntVar(&c.MinZoom, "minzoom", 0, "first zoom written")
	fs.IntVar(&c.MaxZoom, "maxzoom", tileset.MaxZoom, "last zoom written (clients overzoom beyond it)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("export-tiles : argument inattendu %q", fs.Arg(0))
	}
	if c.Out == "" {
		return c, errors.New("export-tiles : --out requis (fichier .pmtiles)")
	}
	for _, name := range strings.Split(layers, ",") {
		if _, ok := tileset.Layer(name); !ok {
			return c, fmt.Errorf("export-tiles : couche « %s » inconnue ; couches : %s", name, strings.Join(all, ", "))
		}
		for _, o := range c.Layers {
			if o == name {
				return c, fmt.Errorf("export-tiles : couche « %s » demandée deux fois", name)
			}
		}
		c.Layers = append(c.Layers, name)
	}
	if c.MinZoom < 0 || c.MaxZoom > tileset.MaxZoom || c.MinZoom > c.MaxZoom {
		return c, fmt.Errorf("export-tiles : zooms %d à %d invalides : de 0 à %d", c.MinZoom, c.MaxZoom, tileset.MaxZoom)
	}
	return c, nil
}

// runExportTiles writes the PMTiles archive of the database's current
// data version: the same generation (tile set with its default
// indicators) the server builds, so the same bytes.
func runExportTiles(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	c, err := parseExportConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if _, err := os.Stat(c.DB); err != nil {
		return fmt.Errorf("export-tiles : base %s introuvable : lancez d'abord cartonum import", c.DB)
	}
	start := time.Now()
	db, err := sqlite.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, err := loadSnapshot(ctx, db)
	if err != nil {
		return err
	}
	cfg := generation.DefaultConfig()
	cfg.Tiles.CacheBytes = 0 // every tile is encoded once, none served again
	gen, err := generation.Build(ctx, snap, cfg)
	if err != nil {
		return err
	}
	// Only the tile set is read from now on: the rest of the generation
	// (the analysis model, a few hundred MB at national scale) is garbage
	// once gen is no longer used, before the tiles' own garbage piles up
	// (peak RSS of a national export to z10: 1.6 GB before, 1.2 GB).
	tiles, version := gen.Tiles(), gen.Version()
	// Write beside the destination, then rename: a reader never sees half
	// an archive.
	tmp, err := os.CreateTemp(filepath.Dir(c.Out), filepath.Base(c.Out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export-tiles : %w", err)
	}
	defer os.Remove(tmp.Name())
	opt := tileset.ExportOptions{Layers: c.Layers, MinZoom: c.MinZoom, MaxZoom: c.MaxZoom, TempDir: filepath.Dir(c.Out)}
	bar := newProgress(stderr)
	opt.Progress = bar.update
	st, err := tiles.ExportPMTiles(tmp, opt)
	bar.done()
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp's 0600 would hide it from a web server
	}
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err != nil {
		return fmt.Errorf("export-tiles : %w", err)
	}
	if err := os.Rename(tmp.Name(), c.Out); err != nil {
		return fmt.Errorf("export-tiles : %w", err)
	}
	fmt.Fprintf(stdout, "%s : version %d des données, couches %s, zooms %d à %d : %d tuiles (%d contenus distincts, %d entrées), %.1f Mo en %.1f s\n",
		c.Out, version, strings.Join(c.Layers, ","), c.MinZoom, c.MaxZoom, st.Written, st.Contents, st.Entries,
		float64(st.Bytes)/1e6, time.Since(start).Seconds())
	return nil
}

// progress draws a progress bar on a terminal, and nothing elsewhere (a
// log file or a pipe gets only the final summary).
type progress struct {
	mu   sync.Mutex // update is called from the encoding goroutines
	w    io.Writer
	on   bool
	last time.Time
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) update(done, total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < total && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	n := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d tuiles", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, total)
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
