package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/tileset"
	"github.com/cartonum/cartonum/tiles"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// The synthetic region 28 (testdata/region-28): nine square communes of
// Calvados and Manche with real codes, given as a user gets them, a
// geo.api.gouv.fr communes file and a places file, without EPCI or
// départements file. 50998 belongs to no EPCI; 200099999 is an EPCI no
// names table knows. `make e2e` runs the dashboard on the same files
// (web/e2e/synthetic).
const syntheticDir = "testdata/region-28"

var (
	syntheticEPCI = []string{"200042604", "200065597", "200067205", "200099999", "241400555"}
	syntheticDeps = []string{"14", "50"}
)

// syntheticConfig imports the synthetic region into a fresh database.
func syntheticConfig(t *testing.T) Config {
	dir := t.TempDir()
	return Config{
		DB: filepath.Join(dir, "r28.db"), Region: "28",
		Communes: []string{filepath.Join(syntheticDir, "communes-28.geojson")},
		Files:    []string{filepath.Join(syntheticDir, "lieux-28-v1.csv")},
		Report:   filepath.Join(dir, "report.json"),
	}
}

// startSynthetic imports the synthetic region and serves it on loopback.
func startSynthetic(t *testing.T) string {
	t.Helper()
	cfg := syntheticConfig(t)
	rep := doImport(t, cfg)
	if rep.Totals.RowsRead != 11 || rep.Totals.Imported != 11 {
		t.Fatalf("import: %+v, want the 11 places imported", rep.Totals)
	}
	return "http://" + runMain(t, cfg).Addr()
}

type indicatorItem struct {
	Level      string  `json:"level"`
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Population float64 `json:"population"`
	Sites      int     `json:"sites"`
}

func getIndicatorItems(t *testing.T, base, level string) []indicatorItem {
	t.Helper()
	resp, b := get(t, base+"/api/indicators?level="+level)
	if resp.StatusCode != 200 {
		t.Fatalf("indicators %s: %d %s", level, resp.StatusCode, b)
	}
	var body struct {
		Items []indicatorItem `json:"items"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	return body.Items
}

// TestSyntheticRegionEndToEnd runs a region the project has never seen from
// its two public files: import → serve → indicators → tiles → dashboard.
func TestSyntheticRegionEndToEnd(t *testing.T) {
	base := startSynthetic(t)
	names, err := territory.BuiltinNames()
	if err != nil {
		t.Fatal(err)
	}
	named := names.Source != "" // built with the table (make build, make test)

	t.Run("EPCI derived from the communes", func(t *testing.T) {
		items := getIndicatorItems(t, base, "epci")
		var codes []string
		pop := 0.0
		for _, it := range items {
			codes = append(codes, it.Code)
			pop += it.Population
			switch {
			case it.Code == "200099999" && it.Name != "":
				t.Errorf("unknown EPCI named %q", it.Name)
			case it.Code == "200065597" && named && it.Name != "CU Caen la Mer":
				t.Errorf("EPCI 200065597 named %q, want CU Caen la Mer", it.Name)
			}
		}
		slices.Sort(codes)
		if !slices.Equal(codes, syntheticEPCI) {
			t.Errorf("EPCI %v, want %v", codes, syntheticEPCI)
		}
		// Every commune (262,138 inhabitants) but 50998 (no EPCI, 120).
		if want := 262138.0 - 120; pop < want-1 || pop > want+1 {
			t.Errorf("EPCI population %v, want %v", pop, want)
		}
	})
	t.Run("départements derived from the communes", func(t *testing.T) {
		items := getIndicatorItems(t, base, "departement")
		var codes []string
		for _, it := range items {
			codes = append(codes, it.Code)
			if named && it.Name == "" {
				t.Errorf("département %s has no name", it.Code)
			}
		}
		if !slices.Equal(codes, syntheticDeps) {
			t.Errorf("départements %v, want %v", codes, syntheticDeps)
		}
	})
	t.Run("portrait of an EPCI without a name", func(t *testing.T) {
		resp, b := get(t, base+"/api/indicators/epci/200099999")
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
	})
	t.Run("tiles at every zoom", func(t *testing.T) {
		for _, z := range []maptile.Zoom{5, 8, 10, 12, 14} {
			tl := maptile.At(orb.Point{-0.85, 49.15}, z) // 50129, the centre of the grid
			resp, b := get(t, fmt.Sprintf("%s/tiles/departements,epci,communes/%d/%d/%d.mvt", base, z, tl.X, tl.Y))
			if resp.StatusCode != 200 {
				t.Fatalf("z%d: %d, want a tile", z, resp.StatusCode)
			}
			probs, err := mvtcheck.Validate(b, tiles.Extent, tiles.Buffer)
			if err != nil || len(probs) > 0 {
				t.Fatalf("z%d: %v %v", z, err, probs)
			}
			dec, err := mvtcheck.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			layers := map[string][]mvtcheck.Feature{}
			for _, l := range dec.Layers {
				layers[l.Name] = l.Features
			}
			for _, layer := range []string{"departements", "epci", "communes"} {
				if len(layers[layer]) == 0 {
					t.Errorf("z%d: layer %s empty", z, layer)
				}
			}
			if z <= 8 {
				// The whole region fits: every EPCI, its id the SIREN, and
				// from zoom 6 its code too.
				var codes []string
				for _, f := range layers["epci"] {
					codes = append(codes, fmt.Sprint(f.ID))
					if code := f.Properties["code"]; z >= tileset.EPCIDetailZoom && code != fmt.Sprint(f.ID) {
						t.Errorf("z%d: EPCI %d has code %v", z, f.ID, code)
					}
				}
				slices.Sort(codes)
				if !slices.Equal(codes, syntheticEPCI) {
					t.Errorf("z%d: EPCI %v, want %v", z, codes, syntheticEPCI)
				}
			}
		}
	})
	t.Run("dashboard page", func(t *testing.T) {
		resp, _ := get(t, base+"/tableau-de-bord")
		if resp.StatusCode != 200 {
			t.Fatalf("%d", resp.StatusCode)
		}
	})
}

// TestSyntheticRegionFilesWin checks that a territory file given is used as
// is, and only the missing one is derived from the communes.
func TestSyntheticRegionFilesWin(t *testing.T) {
	cfg := syntheticConfig(t)
	cfg.Files = nil
	cfg.EPCI = []string{filepath.Join(t.TempDir(), "epci-28.json")}
	epci := `[{"code":"200065597","nom":"Caen la Mer (fichier)","type":"CU","population":1,"membres":["14118","14327","14341"]}]`
	if err := os.WriteFile(cfg.EPCI[0], []byte(epci), 0o644); err != nil {
		t.Fatal(err)
	}
	doImport(t, cfg)
	cfg.Addr = "127.0.0.1:0"
	m := NewMain(cfg, quietLogger())
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	base := "http://" + m.Addr()
	for _, it := range getIndicatorItems(t, base, "epci") {
		if it.Code == "200065597" && it.Name != "Caen la Mer (fichier)" {
			t.Errorf("EPCI %+v, want the file's name", it)
		}
	}
	if deps := getIndicatorItems(t, base, "departement"); len(deps) != 2 {
		t.Errorf("départements %+v, want 14 and 50 derived", deps)
	}
}
