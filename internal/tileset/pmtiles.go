package tileset

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"
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
	// Progress, when set, is called after each tile with the number of
	// tiles done and the total.
	Progress func(done, total int)
}

// ExportStats sums up an archive.
type ExportStats struct {
	Tiles    int   // tiles looked at: every tile of the zooms over the data's bounds
	Written  int   // non-empty tiles, addressed by the archive
	Contents int   // distinct tile contents stored (identical tiles once)
	Entries  int   // directory entries after run-length encoding
	Bytes    int64 // size of the archive
}

// exportTile is one encoded tile of an export.
type exportTile struct {
	id   uint64
	gzip []byte
}

// ExportPMTiles writes a PMTiles v3 archive of the set's tiles: for every
// zoom of opt, every tile covering the data (the region's communes and
// every place, neighbouring supply included), exactly the gzipped bytes
// Get returns for the same request without filters, so that the archive
// and the server answer the same tile with the same bytes. Empty tiles
// are left out (the server answers 204), identical tiles are stored once
// and consecutive ones share a run-length entry. The header, directories
// and tile ids are go-pmtiles', the metadata is the TileJSON's
// (vector_layers of the layers, bounds, data version).
func (s *Set) ExportPMTiles(w io.Writer, opt ExportOptions) (ExportStats, error) {
	var st ExportStats
	if len(opt.Layers) == 0 {
		return st, errors.New("aucune couche à exporter")
	}
	var infos []LayerInfo
	for _, name := range opt.Layers {
		info, ok := Layer(name)
		if !ok {
			return st, fmt.Errorf("couche « %s » inconnue", name)
		}
		infos = append(infos, info)
	}
	if opt.MinZoom < 0 || opt.MaxZoom > MaxZoom || opt.MinZoom > opt.MaxZoom {
		return st, fmt.Errorf("zooms %d à %d invalides : de 0 à %d", opt.MinZoom, opt.MaxZoom, MaxZoom)
	}
	b := s.DataBounds()
	var ids []uint64
	for z := opt.MinZoom; z <= opt.MaxZoom; z++ {
		lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
		hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				ids = append(ids, pmtiles.ZxyToID(uint8(z), x, y))
			}
		}
	}
	slices.Sort(ids)
	st.Tiles = len(ids)

	// Encode on every core, in chunks, then write in tile id order.
	out := make([]exportTile, len(ids))
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
	)
	const chunk = 64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next += chunk
				stop := firstErr != nil
				mu.Unlock()
				if i >= len(ids) || stop {
					return
				}
				end := min(i+chunk, len(ids))
				for j := i; j < end; j++ {
					z, x, y := pmtiles.IDToZxy(ids[j])
					t, err := s.build(Request{Layers: opt.Layers, Tile: maptile.New(x, y, maptile.Zoom(z))})
					if err != nil {
						mu.Lock()
						firstErr = fmt.Errorf("tuile %d/%d/%d : %w", z, x, y, err)
						mu.Unlock()
						return
					}
					out[j] = exportTile{id: ids[j], gzip: t.Gzip}
				}
				mu.Lock()
				done += end - i
				d := done
				mu.Unlock()
				if opt.Progress != nil {
					opt.Progress(d, len(ids))
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return st, firstErr
	}

	// Tile data, each distinct content once, in the order of first use.
	var data bytes.Buffer
	type stored struct {
		offset uint64
		length uint32
	}
	seen := map[[sha256.Size]byte]stored{}
	var entries []pmtiles.EntryV3
	minZ, maxZ := uint8(math.MaxUint8), uint8(0)
	for _, t := range out {
		if t.gzip == nil {
			continue
		}
		st.Written++
		z, _, _ := pmtiles.IDToZxy(t.id)
		minZ, maxZ = min(minZ, z), max(maxZ, z)
		sum := sha256.Sum256(t.gzip)
		c, ok := seen[sum]
		if !ok {
			c = stored{offset: uint64(data.Len()), length: uint32(len(t.gzip))}
			seen[sum] = c
			data.Write(t.gzip)
		}
		if n := len(entries); n > 0 {
			last := &entries[n-1]
			if last.Offset == c.offset && last.TileID+uint64(last.RunLength) == t.id {
				last.RunLength++
				continue
			}
		}
		entries = append(entries, pmtiles.EntryV3{TileID: t.id, Offset: c.offset, Length: c.length, RunLength: 1})
	}
	if st.Written == 0 {
		return st, errors.New("aucune tuile à exporter : les données sont vides")
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
		CenterLonE7:         e7((rb.Min[0] + rb.Max[0]) / 2),
		CenterLatE7:         e7((rb.Min[1] + rb.Max[1]) / 2),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(meta))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = uint64(data.Len())
	for _, part := range [][]byte{pmtiles.SerializeHeader(h), root, meta, leaves, data.Bytes()} {
		n, err := w.Write(part)
		st.Bytes += int64(n)
		if err != nil {
			return st, err
		}
	}
	return st, nil
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
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzipLevel)
		zw.Write(raw)
		zw.Close()
		t.Gzip = buf.Bytes()
	}
	return t, nil
}
