package tileset

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/cartonum/cartonum/tiles"
)

// Name, Description and Attribution describe the tile sets in TileJSON
// and in the metadata of an exported archive.
const (
	Description = "Lieux de médiation numérique et territoires (Cartonum)"
	Attribution = "Données : ANCT, La MedNum, IGN, INSEE — Licence Ouverte 2.0"
)

// ExportOptions selects the tiles Export writes.
type ExportOptions struct {
	// Layers are the layers of every tile, in their order, as in a
	// /tiles/{layers}/… URL.
	Layers []string
	// MinZoom and MaxZoom bound the zooms written (MaxZoom at most
	// MaxZoom: clients overzoom the deepest tiles, as the server does).
	MinZoom, MaxZoom int
	// TempDir holds the temporary file of the tile data while the
	// directories are built ("" for the system's); put it on the
	// destination's disk.
	TempDir string
	// Progress, when set, is called after each tile with the number of
	// tiles done and the total.
	Progress func(done, total int)
}

// ExportStats sums up an archive.
type ExportStats struct {
	Tiles    int   // tiles looked at: every tile of the zooms that can hold data
	Written  int   // non-empty tiles, addressed by the archive
	Contents int   // distinct tile contents stored (identical tiles once)
	Entries  int   // directory entries after run-length encoding
	Bytes    int64 // size of the archive
}

// exportBatch is how many tiles are encoded at once, in tile id order,
// before they are appended to the tile data: what the export holds in
// memory besides the directory entries.
const exportBatch = 2048

// ExportPMTiles writes a PMTiles v3 archive of the set's tiles: for every
// zoom of opt, every tile that can hold data (within a tile buffer of a
// commune's bounds or of a place), exactly the gzipped bytes Get returns
// for the same request without filters, so that the archive and the
// server answer the same tile with the same bytes. Empty tiles are left
// out (the server answers 204), identical tiles are stored once and
// consecutive ones share a run-length entry. The header, directories and
// tile ids are go-pmtiles', the metadata is the TileJSON's (vector_layers
// of the layers, bounds, data version).
//
// The tiles are encoded on every core a batch at a time, in tile id order,
// and their data goes to a temporary file in opt.TempDir, as go-pmtiles'
// own writers do: memory holds one batch, the directory entries (24 bytes
// a tile) and a hash per distinct content, not the tiles of the archive,
// which at national scale weigh hundreds of megabytes.
func (s *Set) ExportPMTiles(w io.Writer, opt ExportOptions) (ExportStats, error) {
	var st ExportStats
	if len(opt.Layers) == 0 {
		return st, errors.New("aucune couche à exporter")
	}
	var infos []LayerInfo
	for _, name := range opt.Layers {
		info, ok := s.LayerInfo(name)
		if !ok {
			return st, fmt.Errorf("couche « %s » inconnue", name)
		}
		infos = append(infos, info)
	}
	if opt.MinZoom < 0 || opt.MaxZoom > MaxZoom || opt.MinZoom > opt.MaxZoom {
		return st, fmt.Errorf("zooms %d à %d invalides : de 0 à %d", opt.MinZoom, opt.MaxZoom, MaxZoom)
	}
	ids := s.exportTileIDs(opt.MinZoom, opt.MaxZoom)
	st.Tiles = len(ids)

	tmp, err := os.CreateTemp(opt.TempDir, "cartonum-tiles-*.data")
	if err != nil {
		return st, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	data := bufio.NewWriterSize(tmp, 1<<20)
	var dataLen uint64

	type stored struct {
		offset uint64
		length uint32
	}
	seen := map[[sha256.Size]byte]stored{}
	var entries []pmtiles.EntryV3
	minZ, maxZ := uint8(math.MaxUint8), uint8(0)
	batch := make([][]byte, exportBatch)
	var done atomic.Int64
	for lo := 0; lo < len(ids); lo += exportBatch {
		hi := min(lo+exportBatch, len(ids))
		if err := s.encodeBatch(ids[lo:hi], batch, opt, &done, len(ids)); err != nil {
			return st, err
		}
		// Tile data, each distinct content once, in the order of first use.
		for j, id := range ids[lo:hi] {
			gz := batch[j]
			batch[j] = nil
			if gz == nil {
				continue
			}
			st.Written++
			z, _, _ := pmtiles.IDToZxy(id)
			minZ, maxZ = min(minZ, z), max(maxZ, z)
			sum := sha256.Sum256(gz)
			c, ok := seen[sum]
			if !ok {
				c = stored{offset: dataLen, length: uint32(len(gz))}
				seen[sum] = c
				if _, err := data.Write(gz); err != nil {
					return st, err
				}
				dataLen += uint64(len(gz))
			}
			if n := len(entries); n > 0 {
				last := &entries[n-1]
				if last.Offset == c.offset && last.TileID+uint64(last.RunLength) == id {
					last.RunLength++
					continue
				}
			}
			entries = append(entries, pmtiles.EntryV3{TileID: id, Offset: c.offset, Length: c.length, RunLength: 1})
		}
	}
	if st.Written == 0 {
		return st, errors.New("aucune tuile à exporter : les données sont vides")
	}
	if err := data.Flush(); err != nil {
		return st, err
	}
	st.Contents, st.Entries = len(seen), len(entries)

	root, leaves, _ := pmtiles.BuildDirectories(entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
	rb := s.Bounds()
	meta, err := pmtiles.SerializeMetadata(map[string]any{
		"name":          "cartonum-" + joinLayers(opt.Layers),
		"description":   Description,
		"attribution":   Attribution,
		"version":       strconv.FormatInt(s.Version(), 10),
		"type":          "overlay",
		"format":        "pbf",
		"vector_layers": infos,
		"cartonum": map[string]any{
			"data_version":   s.Version(),
			"layers":         opt.Layers,
			"layer_versions": s.LayerVersions(opt.Layers),
		},
	}, pmtiles.Gzip)
	if err != nil {
		return st, err
	}
	e7 := func(v float64) int32 { return int32(math.Round(v * 1e7)) }
	c := s.Center()
	center := min(max(7, int(minZ)), int(maxZ))
	h := pmtiles.HeaderV3{
		SpecVersion:         3,
		RootOffset:          pmtiles.HeaderV3LenBytes,
		RootLength:          uint64(len(root)),
		AddressedTilesCount: uint64(st.Written),
		TileEntriesCount:    uint64(len(entries)),
		TileContentsCount:   uint64(len(seen)),
		Clustered:           true,
		InternalCompression: pmtiles.Gzip,
		TileCompression:     pmtiles.Gzip,
		TileType:            pmtiles.Mvt,
		MinZoom:             minZ,
		MaxZoom:             maxZ,
		MinLonE7:            e7(rb.Min[0]),
		MinLatE7:            e7(rb.Min[1]),
		MaxLonE7:            e7(rb.Max[0]),
		MaxLatE7:            e7(rb.Max[1]),
		CenterZoom:          uint8(center),
		CenterLonE7:         e7(c[0]),
		CenterLatE7:         e7(c[1]),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = dataLen
	for _, part := range [][]byte{pmtiles.SerializeHeader(h), root, meta, leaves} {
		n, err := w.Write(part)
		st.Bytes += int64(n)
		if err != nil {
			return st, err
		}
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return st, err
	}
	n, err := io.Copy(w, tmp)
	st.Bytes += n
	if err == nil && uint64(n) != dataLen {
		err = fmt.Errorf("données des tuiles : %d octets relus sur %d", n, dataLen)
	}
	return st, err
}

// encodeBatch encodes the tiles of ids on every core into out (nil for an
// empty tile), calling opt.Progress as tiles are done.
func (s *Set) encodeBatch(ids []uint64, out [][]byte, opt ExportOptions, done *atomic.Int64, total int) error {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	const chunk = 32
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(chunk)) - chunk
				if i >= len(ids) {
					return
				}
				end := min(i+chunk, len(ids))
				for j := i; j < end; j++ {
					z, x, y := pmtiles.IDToZxy(ids[j])
					t, err := s.build(Request{Layers: opt.Layers, Tile: maptile.New(x, y, maptile.Zoom(z))})
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = fmt.Errorf("tuile %d/%d/%d : %w", z, x, y, err)
						}
						mu.Unlock()
						next.Store(int64(len(ids)))
						return
					}
					out[j] = t.Gzip
				}
				d := done.Add(int64(end - i))
				if opt.Progress != nil {
					opt.Progress(int(d), total)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// exportTileIDs lists, sorted, the PMTiles ids of the tiles of zooms
// minZ..maxZ that can hold data: those whose buffered square meets a
// commune's bounds (labels, EPCI and départements lie within the
// communes) or comes near a place (a cluster's centre, the mean of its
// members, lies within twice the cluster radius of them). At national
// scale this is a fraction of the tiles of the bounding box, which the
// overseas départements stretch over half the globe.
func (s *Set) exportTileIDs(minZ, maxZ int) []uint64 {
	var ids []uint64
	buffer := float64(tiles.Buffer) / float64(tiles.Extent) // in tiles
	for z := minZ; z <= maxZ; z++ {
		n := math.Ldexp(1, z)
		last := int(n) - 1
		seen := map[uint64]struct{}{}
		margin := buffer
		add := func(b orb.Bound) {
			x0 := min(max(int(math.Floor(b.Min[0]*n-margin)), 0), last)
			x1 := min(max(int(math.Floor(b.Max[0]*n+margin)), 0), last)
			y0 := min(max(int(math.Floor(b.Min[1]*n-margin)), 0), last)
			y1 := min(max(int(math.Floor(b.Max[1]*n+margin)), 0), last)
			for x := x0; x <= x1; x++ {
				for y := y0; y <= y1; y++ {
					seen[pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y))] = struct{}{}
				}
			}
		}
		for i := range s.communes {
			add(s.communes[i].bound)
		}
		if z <= s.cfg.Cluster.MaxZoom {
			margin += 2 * s.cfg.Cluster.Radius / float64(tiles.Extent)
		}
		for _, p := range s.world {
			add(orb.Bound{Min: p, Max: p})
		}
		for id := range seen {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func joinLayers(layers []string) string {
	out := ""
	for i, l := range layers {
		if i > 0 {
			out += ","
		}
		out += l
	}
	return out
}

// DataBounds returns the WGS84 bounds of everything the tiles draw: the
// region's communes and every place, those of neighbouring regions kept
// as supply near the border included.
func (s *Set) DataBounds() orb.Bound {
	b := s.bounds
	for _, p := range s.snap.Places() {
		b = b.Extend(orb.Point{p.Longitude, p.Latitude})
	}
	return b
}

// gzipLevel is the compression of the tiles. On MVT, levels above 5 gain
// almost nothing and cost a lot on the biggest tiles: a national z6
// communes tile of 281 KB gzips to 100.1 KB in 10 ms at level 5, 99.1 KB
// in 18 ms at 6 and 99.4 KB in 57 ms at 9 (BestCompression, used before),
// which made it the slowest uncached tile by far.
const gzipLevel = 5

// build encodes and gzips one tile, without the cache: what Get stores.
func (s *Set) build(r Request) (Tile, error) {
	raw, err := s.Encode(r)
	if err != nil {
		return Tile{}, err
	}
	t := Tile{Size: len(raw)}
	if raw != nil {
		sum := sha256.Sum256(raw)
		t.ETag = `"` + hex.EncodeToString(sum[:16]) + `"`
		t.GzipETag = t.ETag[:len(t.ETag)-1] + `-gz"`
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzipLevel)
		zw.Write(raw)
		zw.Close()
		t.Gzip = buf.Bytes()
		t.Values = &HeaderValues{ETag: []string{t.ETag}, GzipETag: []string{t.GzipETag},
			GzipLength: []string{strconv.Itoa(len(t.Gzip))}}
	}
	return t, nil
}
