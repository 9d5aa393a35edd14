package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/sqlite"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/tiles/mvtcheck"
)

// Regions 28 and 32 in one database: the mirror's region 32 (communes, EPCI
// and départements files) and the synthetic region 28 (communes only), as
// `make run REGION=28,32` imports them.
func twoRegionsConfig(t *testing.T, region string) Config {
	cfg := territoryConfig(t, filepath.Join(t.TempDir(), "r.db"))
	cfg.Region = region
	cfg.Communes = append(cfg.Communes, filepath.Join(syntheticDir, "communes-28.geojson"))
	cfg.Files = []string{filepath.Join(mirror(t), "lieux-32-v1.csv"), filepath.Join(syntheticDir, "lieux-28-v1.csv")}
	return cfg
}

// importSummary runs the import of cfg and returns its report and printed
// summary.
func importSummary(t *testing.T, cfg Config) (*standard.Report, string) {
	t.Helper()
	var out bytes.Buffer
	rep, err := runImport(context.Background(), cfg, quietLogger(), &out, io.Discard)
	if err != nil {
		t.Fatalf("import --region %s: %v", cfg.Region, err)
	}
	return rep, out.String()
}

// accounted checks that every row of every file has one fate.
func accounted(t *testing.T, rep *standard.Report) {
	t.Helper()
	var sum standard.Counts
	for _, f := range rep.Files {
		c := f.Counts
		if c.Imported+c.Merged+c.Conflicts+c.Rejected != c.RowsRead || len(f.Rows) != c.RowsRead {
			t.Errorf("%s: %+v with %d rows reported: rows unaccounted for", f.Name, c, len(f.Rows))
		}
		sum.RowsRead += c.RowsRead
		sum.Imported += c.Imported
		sum.Rejected += c.Rejected
	}
	if tot := rep.Totals; tot.RowsRead != sum.RowsRead || tot.Imported != sum.Imported || tot.Rejected != sum.Rejected ||
		tot.Imported+tot.Merged+tot.Conflicts+tot.Rejected != tot.RowsRead {
		t.Errorf("totals %+v, files sum %+v", tot, sum)
	}
}

// TestTwoRegions imports regions 28 and 32 into one database with --region
// 28,32 and serves both: their communes, places and tiles.
func TestTwoRegions(t *testing.T) {
	cfg := twoRegionsConfig(t, "28,32")
	rep, summary := importSummary(t, cfg)
	accounted(t, rep)
	if c := rep.Communes; c == nil || c.Read != c.Kept || c.LeftOut != nil || c.Kept < 3782+9 {
		t.Errorf("communes %+v, want the 3,782 of region 32 and the 9 of region 28 kept, none left out", c)
	}
	f28 := rep.Files[1]
	if f28.Counts.RowsRead != 11 || f28.Counts.Imported != 11 {
		t.Errorf("region 28's file: %+v, want its 11 places imported", f28.Counts)
	}
	for _, want := range []string{"Import des régions 28, 32 :", "Territoires : 3791 communes"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Contains(summary, "écartées") {
		t.Errorf("summary says communes were left out:\n%s", summary)
	}
	db, err := sqlite.Open(context.Background(), cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	ims, err := db.Imports(context.Background())
	db.Close()
	if err != nil || len(ims) != 1 || ims[0].Region != "28,32" {
		t.Errorf("imports %+v %v, want one import of regions 28,32", ims, err)
	}

	cfg.MinFill, cfg.ProposalsPerHour = 0, 10
	m := runMain(t, cfg)
	if m.regions != "28,32" {
		t.Errorf("contributions checked against regions %q, want 28,32", m.regions)
	}
	base := "http://" + m.Addr()

	t.Run("communes of both regions", func(t *testing.T) {
		for code, nom := range map[string]string{"14118": "Caen", "50129": "Cherbourg-en-Cotentin", "80021": "Amiens", "59350": "Lille"} {
			resp, b := get(t, base+"/api/communes/"+code)
			if resp.StatusCode != 200 || !strings.Contains(string(b), nom) {
				t.Errorf("commune %s: %d %s, want %s", code, resp.StatusCode, b, nom)
			}
		}
	})
	t.Run("places of both regions", func(t *testing.T) {
		all := getSites(t, base, "limit=1")
		if all.Total != rep.Places.Total {
			t.Errorf("%d places served, %d stored by the import", all.Total, rep.Places.Total)
		}
		r28 := getSites(t, base, "bbox=-1.2,49.0,-0.5,49.7&limit=100")
		var ids []string
		for _, f := range r28.Features {
			ids = append(ids, f.ID)
		}
		if len(ids) != 11 || !slices.Contains(ids, "syn-caen-1") {
			t.Errorf("region 28's box: %v, want its 11 places", ids)
		}
		if r32 := getSites(t, base, "bbox=1.3,48.8,4.3,51.1&limit=1"); r32.Total < 400 || r32.Total+11 > all.Total {
			t.Errorf("region 32's box: %d places of %d, want region 32's", r32.Total, all.Total)
		}
	})
	t.Run("proposals checked against both regions", func(t *testing.T) {
		resp, b := callJSON(t, "POST", base+"/api/propositions", caenAjout(formToken(t, base), "Tiers-lieu de Caen"), nil)
		if resp.StatusCode != 201 {
			t.Errorf("a new place in Caen (region 28): %d %s, want 201", resp.StatusCode, b)
		}
		lyon := caenAjout(formToken(t, base), "Tiers-lieu de Lyon")
		lyon["champs"] = map[string]any{"nom": "Tiers-lieu de Lyon", "adresse": "1 place Bellecour", "commune": "Lyon",
			"code_postal": "69002", "latitude": "45.757", "longitude": "4.832", "services": []string{"Aide aux démarches administratives"}}
		resp, b = callJSON(t, "POST", base+"/api/propositions", lyon, nil)
		if resp.StatusCode != 400 || !strings.Contains(string(b), "hors des régions 28, 32") {
			t.Errorf("a new place in Lyon: %d %s, want 400 outside regions 28, 32", resp.StatusCode, b)
		}
	})
	t.Run("tiles of both regions", func(t *testing.T) {
		for _, at := range []struct {
			name    string
			pt      orb.Point
			commune uint64 // the feature id: the INSEE code as a number
		}{{"Caen", orb.Point{-0.75, 49.25}, 14118}, {"Lille", orb.Point{3.06, 50.63}, 59350}} {
			for _, z := range []maptile.Zoom{6, 10, 14} {
				tl := maptile.At(at.pt, z)
				resp, b := get(t, fmt.Sprintf("%s/tiles/communes,sites/%d/%d/%d.mvt", base, z, tl.X, tl.Y))
				if resp.StatusCode != 200 {
					t.Fatalf("%s z%d: %d", at.name, z, resp.StatusCode)
				}
				dec, err := mvtcheck.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				layers := map[string][]mvtcheck.Feature{}
				for _, l := range dec.Layers {
					layers[l.Name] = l.Features
				}
				if !slices.ContainsFunc(layers["communes"], func(f mvtcheck.Feature) bool { return f.ID == at.commune }) {
					t.Errorf("%s z%d: commune %d not in the tile", at.name, z, at.commune)
				}
				if len(layers["sites"]) == 0 {
					t.Errorf("%s z%d: no place in the tile", at.name, z)
				}
			}
		}
	})
}

// TestOneRegionOfTwoFiles imports the same files with --region 32: region
// 28's communes are left out and counted, its places rejected as outside
// region 32.
func TestOneRegionOfTwoFiles(t *testing.T) {
	cfg := twoRegionsConfig(t, "32")
	rep, summary := importSummary(t, cfg)
	accounted(t, rep)
	if c := rep.Communes; c == nil || c.Kept != c.Read-9 || !maps.Equal(c.LeftOut, map[string]int{"28": 9}) {
		t.Errorf("communes %+v, want region 28's 9 left out", c)
	}
	f28 := rep.Files[1]
	if f28.Counts.Rejected != 11 {
		t.Errorf("region 28's file: %+v, want its 11 places rejected", f28.Counts)
	}
	for _, row := range f28.Rows {
		if row.Rejection == nil || !strings.Contains(row.Rejection.Reason, "hors de la région 32") {
			t.Errorf("line %d: %+v, want rejected outside region 32", row.Line, row.Rejection)
		}
	}
	want := "Communes écartées (hors de --region 32) : 9 de la région 28 (Normandie)"
	if !strings.Contains(summary, want) || !strings.Contains(summary, "Import de la région 32 :") {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
	db, err := sqlite.Open(context.Background(), cfg.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ds.Communes {
		if c.CodeRegion != "32" {
			t.Fatalf("commune %s of region %s stored", c.Code, c.CodeRegion)
		}
	}
	for _, d := range ds.Departements {
		if d.Code == "14" || d.Code == "50" {
			t.Errorf("département %s of region 28 stored", d.Code)
		}
	}
}

// TestAnalyseTwoRegions: analyse over two regions writes one row per region
// at level region, their total at level national, and refuses national over
// one region.
func TestAnalyseTwoRegions(t *testing.T) {
	cfg := twoRegionsConfig(t, "28,32")
	importSummary(t, cfg)
	rows := func(cfg Config, level string) []analysis.Indicators {
		t.Helper()
		cfg.Level, cfg.Format = level, "json"
		var out strings.Builder
		if err := runAnalyse(context.Background(), cfg, &out); err != nil {
			t.Fatalf("analyse --level %s: %v", level, err)
		}
		var a struct {
			Items []analysis.Indicators `json:"items"`
		}
		if err := json.Unmarshal([]byte(out.String()), &a); err != nil {
			t.Fatal(err)
		}
		return a.Items
	}
	regions, national := rows(cfg, "region"), rows(cfg, "national")
	if len(regions) != 2 || regions[0].Code != "28" || regions[0].Name != "Normandie" ||
		regions[1].Code != "32" || regions[1].Name != "Hauts-de-France" {
		t.Fatalf("regions %+v, want 28 Normandie and 32 Hauts-de-France", regions)
	}
	if len(national) != 1 || national[0].Level != analysis.LevelNational {
		t.Fatalf("national %+v", national)
	}
	n := national[0]
	if pop := regions[0].Population + regions[1].Population; math.Abs(n.Population-pop) > 1e-6*pop {
		t.Errorf("national population %v, regions sum %v", n.Population, pop)
	}
	if s := regions[0].Sites + regions[1].Sites; n.Sites != s || s == 0 {
		t.Errorf("national sites %d, regions sum %d", n.Sites, s)
	}
	if b := regions[0].BeyondPopulation + regions[1].BeyondPopulation; math.Abs(n.BeyondPopulation-b) > 1e-6*n.Population {
		t.Errorf("national beyond %v, regions sum %v", n.BeyondPopulation, b)
	}

	one := twoRegionsConfig(t, "32")
	importSummary(t, one)
	one.Level, one.Format = "national", "json"
	err := runAnalyse(context.Background(), one, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "une seule région") {
		t.Errorf("analyse --level national over one region: %v, want a refusal", err)
	}
}
