package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

func request(t *testing.T, method, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// A bare transport: no transparent gzip decoding, headers as sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestTilesHTTP(t *testing.T) {
	_, base := startServer(t)
	lt := maptile.At(orb.Point{3.0573, 50.6366}, 12) // Lille
	lille := fmt.Sprintf("/tiles/communes,sites/12/%d/%d.mvt", lt.X, lt.Y)

	t.Run("tile, gzip and validity", func(t *testing.T) {
		resp, gz := request(t, "GET", base+lille, map[string]string{"Accept-Encoding": "gzip"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" ||
			resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%d %v", resp.StatusCode, resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		plain, body := request(t, "GET", base+lille, nil)
		if plain.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, raw) {
			t.Fatal("identity and gzip representations differ")
		}
		probs, err := mvtcheck.Validate(raw, tiles.Extent, tiles.Buffer)
		if err != nil || len(probs) > 0 {
			t.Fatalf("invalid tile: %v %v", err, probs)
		}
		dec, _ := mvtcheck.Decode(raw)
		if len(dec.Layers) != 2 || dec.Layers[0].Name != "communes" || dec.Layers[1].Name != "sites" {
			t.Fatalf("layers %+v", dec.Layers)
		}
	})
	t.Run("etag and 304", func(t *testing.T) {
		resp, _ := request(t, "GET", base+lille, map[string]string{"Accept-Encoding": "gzip"})
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) {
			t.Fatalf("etag %q", etag)
		}
		again, body := request(t, "GET", base+lille, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
		if again.StatusCode != 304 || len(body) != 0 {
			t.Fatalf("conditional request: %d", again.StatusCode)
		}
		plain, _ := request(t, "GET", base+lille, map[string]string{"If-None-Match": etag})
		if plain.StatusCode != 200 {
			t.Fatalf("gzip etag matched the identity representation: %d", plain.StatusCode)
		}
	})
	t.Run("empty tile is 204", func(t *testing.T) {
		resp, _ := request(t, "GET", base+"/tiles/communes/10/0/0.mvt", nil)
		if resp.StatusCode != 204 {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
	t.Run("invalid tiles are 400, unknown layers 404", func(t *testing.T) {
		for _, p := range []string{"/tiles/communes/-1/0/0.mvt", "/tiles/communes/3/8/0.mvt", "/tiles/communes/3/0/8.mvt",
			"/tiles/communes/23/0/0.mvt", "/tiles/communes/a/0/0.mvt", "/tiles/communes/3/0/0.png",
			"/tiles/sites/5/16/10.mvt?services=Inconnu", "/tiles/sites/5/16/10.mvt?bbox=1,2,3,4"} {
			if resp, _ := request(t, "GET", base+p, nil); resp.StatusCode != 400 {
				t.Errorf("%s: %d", p, resp.StatusCode)
			}
		}
		if resp, _ := request(t, "GET", base+"/tiles/roads/5/16/10.mvt", nil); resp.StatusCode != 404 {
			t.Errorf("unknown layer: %d", resp.StatusCode)
		}
	})
	t.Run("tilejson and catalog", func(t *testing.T) {
		resp, b := request(t, "GET", base+"/tiles/sites.json?dispositifs=France+Services", nil)
		var tj struct {
			TileJSON     string     `json:"tilejson"`
			Tiles        []string   `json:"tiles"`
			Bounds       [4]float64 `json:"bounds"`
			MinZoom      int        `json:"minzoom"`
			MaxZoom      int        `json:"maxzoom"`
			VectorLayers []struct {
				ID     string            `json:"id"`
				Fields map[string]string `json:"fields"`
			} `json:"vector_layers"`
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &tj) != nil {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.Contains(tj.Tiles[0], "v=") ||
			!strings.Contains(tj.Tiles[0], "dispositifs=France+Services") || tj.MaxZoom != 14 ||
			tj.Bounds[0] < 1 || tj.Bounds[2] > 5 || len(tj.VectorLayers) != 1 || tj.VectorLayers[0].Fields["nom"] == "" {
			t.Fatalf("tilejson %s", b)
		}
		// The versioned URL is cacheable for long.
		u := strings.NewReplacer("{z}", "12", "{x}", fmt.Sprint(lt.X), "{y}", fmt.Sprint(lt.Y)).Replace(tj.Tiles[0])
		tresp, _ := request(t, "GET", u, nil)
		if cc := tresp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("versioned tile Cache-Control %q", cc)
		}
		resp, b = request(t, "GET", base+"/tiles", nil)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"communes"`) {
			t.Fatalf("catalog %d %s", resp.StatusCode, b)
		}
	})
}
