package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// archive is a PMTiles file read with go-pmtiles.
type archive struct {
	data   []byte
	header pmtiles.HeaderV3
}

func readArchive(t *testing.T, path string) *archive {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(data[:pmtiles.HeaderV3LenBytes])
	if err != nil {
		t.Fatal(err)
	}
	return &archive{data: data, header: h}
}

// tile returns the stored (gzipped) bytes of a tile, following the root
// and leaf directories; false when the archive has no such tile.
func (a *archive) tile(z uint8, x, y uint32) ([]byte, bool) {
	id := pmtiles.ZxyToID(z, x, y)
	off, length := a.header.RootOffset, a.header.RootLength
	for depth := 0; depth < 4; depth++ {
		entries := pmtiles.DeserializeEntries(bytes.NewBuffer(a.data[off:off+length]), a.header.InternalCompression)
		e, ok := pmtiles.FindTile(entries, id)
		if !ok {
			return nil, false
		}
		if e.RunLength > 0 {
			start := a.header.TileDataOffset + e.Offset
			return a.data[start : start+uint64(e.Length)], true
		}
		off, length = a.header.LeafDirectoryOffset+e.Offset, uint64(e.Length)
	}
	return nil, false
}

func (a *archive) metadata(t *testing.T) map[string]any {
	t.Helper()
	m, err := pmtiles.DeserializeMetadata(bytes.NewReader(a.data[a.header.MetadataOffset:a.header.MetadataOffset+a.header.MetadataLength]), a.header.InternalCompression)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestExportTiles writes the PMTiles archive of a served database, reads
// it back with go-pmtiles and compares sampled tiles, byte for byte, with
// the server's gzip answers for the same tiles (an empty tile: 204 from
// the server, absent from the archive).
func TestExportTiles(t *testing.T) {
	m, base := startServer(t)
	out := filepath.Join(t.TempDir(), "region.pmtiles")
	var stdout, stderr bytes.Buffer
	args := []string{"--db", m.Config.DB, "--out", out, "--maxzoom", "12"}
	if err := run(context.Background(), append([]string{"export-tiles"}, args...), func(string) string { return "" }, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export-tiles: %v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("progress written off a terminal: %q", stderr.String())
	}
	if !strings.Contains(stdout.String(), "region.pmtiles") {
		t.Errorf("summary %q", stdout.String())
	}
	a := readArchive(t, out)
	h := a.header
	if h.SpecVersion != 3 || h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip ||
		h.MinZoom != 0 || h.MaxZoom != 12 || !h.Clustered {
		t.Fatalf("header %+v", h)
	}
	if h.TileContentsCount == 0 || h.TileContentsCount > h.AddressedTilesCount || h.TileEntriesCount > h.AddressedTilesCount {
		t.Errorf("%d tiles, %d entries, %d contents", h.AddressedTilesCount, h.TileEntriesCount, h.TileContentsCount)
	}
	lon, lat := float64(h.CenterLonE7)/1e7, float64(h.CenterLatE7)/1e7
	if lon < 1 || lon > 5 || lat < 48.5 || lat > 51.5 {
		t.Errorf("centre %g, %g outside Hauts-de-France", lon, lat)
	}

	layers := "departements,epci,communes,sites,libelles"
	meta := a.metadata(t)
	var ids []string
	vl, _ := meta["vector_layers"].([]any)
	for _, l := range vl {
		ids = append(ids, fmt.Sprint(l.(map[string]any)["id"]))
	}
	if strings.Join(ids, ",") != layers {
		t.Errorf("vector_layers %v, want %s", ids, layers)
	}
	cart, _ := meta["cartonum"].(map[string]any)
	if v, _ := cart["data_version"].(float64); int64(v) != m.idx.Load().Version() {
		t.Errorf("metadata data_version %v, want %d", cart["data_version"], m.idx.Load().Version())
	}

	// The server's TileJSON names the same layers and versions its URLs.
	resp, b := request(t, "GET", base+"/tiles/"+layers+".json", nil)
	var tj struct {
		Tiles []string `json:"tiles"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &tj) != nil || len(tj.Tiles) != 1 {
		t.Fatalf("tilejson %d %s", resp.StatusCode, b)
	}

	// Samples: a regular sample of every zoom over the region, the whole
	// region at z6, Lille at z12, and tiles away from the data.
	var samples []maptile.Tile
	for z := maptile.Zoom(0); z <= 12; z++ {
		lo := maptile.At(orb.Point{1.3, 51.1}, z)
		hi := maptile.At(orb.Point{4.3, 48.8}, z)
		i := 0
		for x := lo.X; x <= hi.X; x++ {
			for y := lo.Y; y <= hi.Y; y++ {
				if i%23 == 0 {
					samples = append(samples, maptile.New(x, y, z))
				}
				i++
			}
		}
	}
	samples = append(samples, maptile.At(orb.Point{2.8, 49.9}, 6), maptile.At(orb.Point{3.0573, 50.6366}, 12),
		maptile.At(orb.Point{-4.5, 48.4}, 9), maptile.At(orb.Point{7.2, 43.7}, 12))
	found, empty := 0, 0
	for _, tl := range samples {
		u := strings.NewReplacer("{z}", fmt.Sprint(tl.Z), "{x}", fmt.Sprint(tl.X), "{y}", fmt.Sprint(tl.Y)).Replace(tj.Tiles[0])
		resp, body := request(t, "GET", u, map[string]string{"Accept-Encoding": "gzip"})
		got, ok := a.tile(uint8(tl.Z), tl.X, tl.Y)
		switch {
		case resp.StatusCode == 204 && !ok:
			empty++
		case resp.StatusCode == 200 && ok:
			if !bytes.Equal(body, got) {
				t.Errorf("%d/%d/%d: archive %d bytes, server %d bytes: they differ", tl.Z, tl.X, tl.Y, len(got), len(body))
			}
			found++
		default:
			t.Errorf("%d/%d/%d: server %d, in the archive: %v", tl.Z, tl.X, tl.Y, resp.StatusCode, ok)
		}
	}
	if found < 50 || empty == 0 {
		t.Errorf("%d tiles compared, %d empty on both sides", found, empty)
	}
	t.Logf("%d tiles identical, %d empty on both sides; archive: %d tiles, %d contents, %d entries, %d bytes",
		found, empty, h.AddressedTilesCount, h.TileContentsCount, h.TileEntriesCount, len(a.data))

	// Bad flags are refused before anything is written.
	for _, bad := range [][]string{{"--out", ""}, {"--layers", "routes"}, {"--layers", "sites,sites"}, {"--maxzoom", "15"}, {"--minzoom", "9", "--maxzoom", "8"}} {
		err := run(context.Background(), append([]string{"export-tiles", "--db", m.Config.DB, "--out", out + ".bad"}, bad...), func(string) string { return "" }, nil, &stdout, &stderr)
		if err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if matches, _ := filepath.Glob(out + ".bad*"); len(matches) > 0 {
		t.Errorf("files left behind: %v", matches)
	}
}
