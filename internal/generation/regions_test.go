package generation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/territory"
)

// TestTwoRegions builds a generation of smallData plus a commune of
// region 28 and checks its region rows, national total, outlines and
// top level.
func TestTwoRegions(t *testing.T) {
	data := smallData(3)
	data.Communes = append(data.Communes, cartonum.Commune{Code: "76540", Nom: "Rouen", CodeDepartement: "76", CodeRegion: "28",
		Population: 110000, Geometry: square(2.45, 49.85, 0.1)})
	data.Departements = append(data.Departements, cartonum.Departement{Code: "76", Nom: "Seine-Maritime"})
	g, err := Build(context.Background(), index.New(data), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Compute(context.Background(), analysis.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := g.Rows(res, analysis.LevelRegion)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "28" || rows[0].Name != "Normandie" || math.Round(rows[0].Population) != 110000 ||
		rows[1].Code != "32" || rows[1].Name != "Hauts-de-France" || math.Round(rows[1].Population) != 153000 || rows[1].Sites != 3 {
		t.Errorf("region rows %+v", rows)
	}
	total, err := g.Rows(res, analysis.LevelNational)
	if err != nil {
		t.Fatal(err)
	}
	if len(total) != 1 || total[0].Level != analysis.LevelNational || total[0].Code != "FR" || total[0].Name != "Ensemble des régions" ||
		math.Round(total[0].Population) != 263000 {
		t.Errorf("national rows %+v", total)
	}
	if top := g.Top(); top != (Territory{Level: analysis.LevelNational, Code: "FR", Name: "Ensemble des régions"}) {
		t.Errorf("top %+v", top)
	}
	if got := g.Regions(); len(got) != 2 || got[0].Code != "28" || got[0].Name != "Normandie" || !slices.Equal(got[0].Departements, []string{"76"}) ||
		got[1].Code != "32" || got[1].Name != "Hauts-de-France" || !slices.Equal(got[1].Departements, []string{"80"}) {
		t.Errorf("regions %v", got)
	}
	if got := g.Levels(); !slices.Contains(got, analysis.LevelNational) {
		t.Errorf("levels %v lack national", got)
	}
	for _, tc := range []struct {
		level, code string
		area        float64
	}{{analysis.LevelRegion, "28", 0.01}, {analysis.LevelRegion, "32", 0.02}, {analysis.LevelNational, "FR", 0.03}} {
		out := g.Outline(tc.level, tc.code)
		if out == nil {
			t.Errorf("%s %s: no outline", tc.level, tc.code)
			continue
		}
		if a := planar.Area(out); a < tc.area*0.995 || a > tc.area*1.005 {
			t.Errorf("%s %s: outline area %g, want %g", tc.level, tc.code, a, tc.area)
		}
	}
	if g.Outline(analysis.LevelRegion, "11") != nil {
		t.Error("region 11 has an outline")
	}
	for _, tc := range []struct{ level, code, want string }{
		{analysis.LevelCommune, "76540", "28"}, {analysis.LevelEPCI, "248000531", "32"}, {analysis.LevelDepartement, "80", "32"},
	} {
		if got := g.RegionOf(tc.level, tc.code); got != tc.want {
			t.Errorf("RegionOf(%s, %s) = %q, want %q", tc.level, tc.code, got, tc.want)
		}
	}
}

// TestAllRegionsIsFrance: communes of every current region make a
// national total named France.
func TestAllRegionsIsFrance(t *testing.T) {
	var data index.Data
	data.Version = 1
	for i, code := range territory.RegionCodes() {
		dep := fmt.Sprintf("%02d", i+1)
		data.Communes = append(data.Communes, cartonum.Commune{Code: dep + "001", Nom: "C" + code, CodeDepartement: dep, CodeRegion: code,
			Population: 1000, Geometry: square(float64(i)*0.2, 45, 0.1)})
	}
	g, err := Build(context.Background(), index.New(data), Config{NoTiles: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Compute(context.Background(), analysis.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if top := g.Top(); top.Level != analysis.LevelNational || top.Name != "France" || res.Region.Name != "France" || len(res.Regions) != 18 {
		t.Errorf("top %+v, total %s %q, %d regions; want France over 18", top, res.Region.Code, res.Region.Name, len(res.Regions))
	}
	if g.Regions()[0].Name != "Guadeloupe" {
		t.Errorf("first region %+v", g.Regions()[0])
	}
}
