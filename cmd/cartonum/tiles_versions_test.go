package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestTileURLsKeepTheirVersion: after a data change that only a layer
// shows, the TileJSON URLs of the other layers keep their version (and
// their tiles stay immutable), so browsers and CDNs keep them; the changed
// layer's URL gets the new data version, and its old URL is no longer
// served as immutable.
func TestTileURLsKeepTheirVersion(t *testing.T) {
	m, base := startServer(t)
	tile := maptile.At(orb.Point{3.0573, 50.6366}, 12) // Lille
	tileURL := func(tpl string) string {
		return strings.NewReplacer("{z}", "12", "{x}", fmt.Sprint(tile.X), "{y}", fmt.Sprint(tile.Y)).Replace(tpl)
	}
	templates := func() map[string]string {
		out := map[string]string{}
		for _, src := range []string{"departements,epci,communes,libelles", "sites"} {
			resp, b := request(t, "GET", base+"/tiles/"+src+".json", nil)
			var tj struct {
				Tiles []string `json:"tiles"`
			}
			if resp.StatusCode != 200 || json.Unmarshal(b, &tj) != nil || len(tj.Tiles) != 1 {
				t.Fatalf("tilejson %s: %d %s", src, resp.StatusCode, b)
			}
			out[src] = tj.Tiles[0]
		}
		return out
	}
	immutable := func(u string) bool {
		resp, _ := request(t, "GET", u, map[string]string{"Accept-Encoding": "gzip"})
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", u, resp.StatusCode)
		}
		return strings.Contains(resp.Header.Get("Cache-Control"), "immutable")
	}
	v1 := m.idx.Load().Version()
	before := templates()

	// Change the opening hours of one place: the sites layer shows them
	// (ouvert= filters), no polygon or label does.
	f, err := os.Open(filepath.Join(mirror(t), "lieux-32-v1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(f)
	header, err1 := r.Read()
	row, err2 := r.Read()
	f.Close()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for i, h := range header {
		if h == "horaires" {
			row[i] = "Mo-Fr 09:00-12:00"
		}
	}
	change := filepath.Join(t.TempDir(), "change.csv")
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write(header)
	w.Write(row)
	w.Flush()
	if err := os.WriteFile(change, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := m.Config
	cfg.Communes, cfg.EPCI, cfg.Departements = nil, nil, nil
	cfg.Files = []string{change}
	doImport(t, cfg)
	if err := m.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	v2 := m.idx.Load().Version()
	if v2 == v1 {
		t.Fatalf("data version still %d after the import", v1)
	}
	after := templates()

	territories := "departements,epci,communes,libelles"
	if after[territories] != before[territories] {
		t.Errorf("territories' URL changed with a place's hours: %s → %s", before[territories], after[territories])
	}
	if !immutable(tileURL(after[territories])) {
		t.Error("the territories' tile is no longer immutable")
	}
	if after["sites"] == before["sites"] || !strings.Contains(after["sites"], fmt.Sprintf("v=%d", v2)) {
		t.Errorf("sites' URL %s after the change (was %s), want v=%d", after["sites"], before["sites"], v2)
	}
	if !immutable(tileURL(after["sites"])) || immutable(tileURL(before["sites"])) {
		t.Error("the new sites URL should be immutable, the old one no longer")
	}
}
