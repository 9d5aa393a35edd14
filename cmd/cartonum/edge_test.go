package main

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startEdgeServer imports the region's places and the national file with
// the default 30 km margin, and serves them.
func startEdgeServer(t *testing.T) string {
	t.Helper()
	dir := mirror(t)
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "edge.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv"), filepath.Join(dir, "lieux-france-v1.csv")}
	cfg.MarginKm = 30
	doImport(t, cfg)
	cfg.Addr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	m := NewMain(cfg, quietLogger())
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return "http://" + m.Addr()
}

// TestRegionEdge: places of the neighbouring regions within the margin are
// found by position and flagged, serve the analysis, and count in none of
// the region's figures or per-territory lists.
func TestRegionEdge(t *testing.T) {
	base := startEdgeServer(t)
	var health struct{ Places, PlacesOutside int }
	_, b := get(t, base+"/healthz")
	var h map[string]any
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	health.Places, health.PlacesOutside = int(h["places"].(float64)), int(h["places_outside_region"].(float64))
	if health.PlacesOutside < 50 || health.Places < 400 {
		t.Fatalf("healthz %s: want hundreds of places in the region and neighbouring ones", b)
	}

	// Every page of places, flagged or not.
	all := getSites(t, base, "limit=1000")
	if all.Total != health.Places+health.PlacesOutside {
		t.Errorf("/api/sites total %d, healthz %d + %d", all.Total, health.Places, health.PlacesOutside)
	}
	_, raw := get(t, base+"/api/sites?limit=1000")
	var flagged struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				CodeInsee  string `json:"code_insee"`
				HorsRegion bool   `json:"hors_region"`
			} `json:"properties"`
			Geometry struct{ Coordinates [2]float64 } `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &flagged); err != nil {
		t.Fatal(err)
	}
	outside := 0
	var border [2]float64
	for _, f := range flagged.Features {
		if f.Properties.HorsRegion {
			outside++
			if strings.HasPrefix(f.Properties.CodeInsee, "59") || strings.HasPrefix(f.Properties.CodeInsee, "62") ||
				strings.HasPrefix(f.Properties.CodeInsee, "80") || strings.HasPrefix(f.Properties.CodeInsee, "02") || strings.HasPrefix(f.Properties.CodeInsee, "60") {
				t.Errorf("neighbouring place %s carries a commune code of the region: %s", f.ID, f.Properties.CodeInsee)
			}
			border = f.Geometry.Coordinates
		}
	}
	if outside != health.PlacesOutside {
		t.Errorf("%d places flagged hors_region, healthz says %d", outside, health.PlacesOutside)
	}

	// Per-territory lists hold none of them.
	for _, dep := range []string{"02", "59", "60", "62", "80"} {
		page := getSites(t, base, "limit=1000&departement="+dep)
		for _, f := range page.Features {
			if !strings.HasPrefix(f.Properties.CodeInsee, dep) {
				t.Errorf("departement=%s lists %s (%s)", dep, f.ID, f.Properties.CodeInsee)
			}
		}
	}
	// Found by position near the border.
	near := getSites(t, base, "near="+url.QueryEscape(ftoa(border[0])+","+ftoa(border[1]))+"&radius=1000")
	if near.Total == 0 {
		t.Errorf("no place near the neighbouring place at %v", border)
	}

	// The region's indicators count only its own places.
	items := getIndicatorItems(t, base, "region")
	if len(items) != 1 || items[0].Sites != health.Places {
		t.Errorf("region indicators count %+v sites, healthz %d places in the region", items, health.Places)
	}
	communes := getIndicatorItems(t, base, "commune")
	sum := 0
	for _, c := range communes {
		sum += c.Sites
	}
	if sum != health.Places {
		t.Errorf("communes count %d sites in all, want %d", sum, health.Places)
	}
}

// TestFranceServicesFilter: every France Services place is listed by the
// filter on help with administrative procedures, even when its source did
// not declare that service.
func TestFranceServicesFilter(t *testing.T) {
	_, base := startServer(t)
	fs := getSites(t, base, "limit=1000&dispositifs="+url.QueryEscape("France Services"))
	dem := getSites(t, base, "limit=1000&services="+url.QueryEscape("Aide aux démarches administratives"))
	in := map[string]bool{}
	for _, f := range dem.Features {
		in[f.ID] = true
	}
	omitted := 0
	for _, f := range fs.Features {
		if !in[f.ID] {
			t.Errorf("France Services place %s missing from services=Aide aux démarches administratives", f.ID)
		}
		if !contains(f.Properties.Services, "Aide aux démarches administratives") {
			omitted++
		}
	}
	if fs.Total == 0 || omitted == 0 {
		t.Errorf("%d France Services places, %d without the service in their record: the fixture no longer exercises the rule", fs.Total, omitted)
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
