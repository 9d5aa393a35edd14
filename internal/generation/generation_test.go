package generation

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/tileset"
)

func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

// smallData is two communes of one EPCI and one département, three places.
func smallData(version int64) index.Data {
	place := func(id string, lon, lat float64) cartonum.Place {
		return cartonum.Place{ID: id, Nom: id, Longitude: lon, Latitude: lat, CodeInsee: "80021",
			Services:   []string{"Aide aux démarches administratives"},
			Provenance: cartonum.Provenance{SourceIDs: []string{id}, Precision: cartonum.PrecisionExact}}
	}
	return index.Data{
		Version: version,
		Communes: []cartonum.Commune{
			{Code: "80021", Nom: "Amiens", CodeDepartement: "80", CodeRegion: "32", CodeEpci: "248000531", Population: 130000, Geometry: square(2.25, 49.85, 0.1)},
			{Code: "80001", Nom: "Abbeville", CodeDepartement: "80", CodeRegion: "32", CodeEpci: "248000531", Population: 23000, Geometry: square(2.35, 49.85, 0.1)},
		},
		EPCIs:        []cartonum.EPCI{{Code: "248000531", Nom: "Amiens Métropole", Type: "CA", Membres: []string{"80021", "80001"}}},
		Departements: []cartonum.Departement{{Code: "80", Nom: "Somme"}},
		Places:       []cartonum.Place{place("a", 2.30, 49.90), place("b", 2.31, 49.91), place("c", 2.40, 49.90)},
	}
}

func build(t *testing.T, version int64) *Generation {
	t.Helper()
	g, err := Build(context.Background(), index.New(smallData(version)), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestBuildComplete: a built generation answers everything without
// building more: names on every level, outlines from one topology, the
// tile attributes of the default indicators.
func TestBuildComplete(t *testing.T) {
	g := build(t, 7)
	if g.Version() != 7 || g.Tiles() == nil || g.Tiles().Version() != 7 {
		t.Fatalf("version %d, tiles %v", g.Version(), g.Tiles())
	}
	res, err := g.Compute(context.Background(), analysis.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ level, code, name string }{
		{analysis.LevelCommune, "80001", "Abbeville"},
		{analysis.LevelEPCI, "248000531", "Amiens Métropole"},
		{analysis.LevelDepartement, "80", "Somme"},
		{analysis.LevelRegion, "32", "Hauts-de-France"},
	} {
		t.Run(tc.level, func(t *testing.T) {
			rows, err := g.Rows(res, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			if rows[0].Code != tc.code || rows[0].Name != tc.name {
				t.Errorf("first row %s %q, want %s %q", rows[0].Code, rows[0].Name, tc.code, tc.name)
			}
			if tc.level == analysis.LevelCommune {
				return
			}
			// Outlines are the union of the communes: the two squares.
			out := g.Outline(tc.level, tc.code)
			if out == nil {
				t.Fatal("no outline")
			}
			if a := planar.Area(out); a < 0.0199 || a > 0.0201 {
				t.Errorf("outline area %g, want 0.02", a)
			}
		})
	}
	if _, err := g.Rows(res, "pays"); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("level pays: %v, want an invalid-input error", err)
	}
	if _, err := g.Rows(res, analysis.LevelNational); cartonum.KindOf(err) != cartonum.KindInvalid {
		t.Errorf("level national with one region: %v, want an invalid-input error", err)
	}
	if top := g.Top(); top.Level != analysis.LevelRegion || top.Code != "32" || top.Name != "Hauts-de-France" {
		t.Errorf("top %+v, want region 32 Hauts-de-France", top)
	}
	// The tiles carry the default indicators, named by analysis.Fields.
	attrs := tileset.IndicatorAttributes(res.Communes)["80021"]
	for _, f := range analysis.Fields {
		if _, ok := attrs[f.Tile]; f.Tile != "" && !ok {
			t.Errorf("tile attribute %s missing", f.Tile)
		}
	}
}

// TestBuildCancelled: a cancelled build returns the context's error and
// no generation.
func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g, err := Build(ctx, index.New(smallData(1)), DefaultConfig())
	if !errors.Is(err, context.Canceled) || g != nil {
		t.Fatalf("Build on a cancelled context: %v, %v", g, err)
	}
}

// TestLiveSwap: readers that loaded a generation keep it whole while a
// new one is published; Load never returns a mix or nil (run with -race).
func TestLiveSwap(t *testing.T) {
	gens := []*Generation{build(t, 1), build(t, 2)}
	live := NewLive(gens[0])
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				g := live.Load()
				if g.Tiles().Version() != g.Version() || live.Current() == nil {
					t.Error("a generation mixes two versions")
					return
				}
			}
		}()
	}
	for i := range 100 {
		live.Swap(gens[i%2])
	}
	wg.Wait()
	if old := live.Swap(gens[0]); old != gens[1] {
		t.Errorf("Swap returned version %d, want 2", old.Version())
	}
}

// TestCSVColumns: the CSV keeps the columns it had before the table of
// fields existed (users' spreadsheets read them by name).
func TestCSVColumns(t *testing.T) {
	want := []string{"niveau", "code", "nom", "population", "lieux", "lieux_pour_10000",
		"temps_moyen_min", "temps_p90_min", "distance_moyenne_km", "distance_p90_km",
		"population_au_dela_seuil", "part_au_dela_seuil", "accessibilite_e2sfca", "fragilite",
		"rang_lieux_pour_10000", "rang_temps_moyen", "rang_part_au_dela_seuil", "rang_accessibilite",
		"seuil_min", "vitesse_kmh", "detour", "services", "dispositifs"}
	if got := CSVColumns(); !slices.Equal(got, want) {
		t.Fatalf("columns\n got %q\nwant %q", got, want)
	}
	g := build(t, 1)
	res := g.Model().Compute(analysis.DefaultParams())
	rows, _ := g.Rows(res, analysis.LevelEPCI)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, res.Params, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 2 || len(recs[1]) != len(want) {
		t.Fatalf("CSV %v %v", recs, err)
	}
	if recs[1][2] != "Amiens Métropole" || recs[1][4] != "3" || recs[1][18] != "20.0" {
		t.Errorf("row %q", recs[1])
	}
}

// TestDashboardLabels compares the dashboard's copy of the indicator
// labels and API fields (web/src/dashboard/indicators.ts) with
// analysis.Fields, the table /api/config serves.
func TestDashboardLabels(t *testing.T) {
	src, err := os.ReadFile("../../web/src/dashboard/indicators.ts")
	if err != nil {
		t.Skipf("web sources not here: %v", err)
	}
	re := regexp.MustCompile(`label: '([^']*)',[\s\S]*?field: '([a-z0-9_]+)',\s*rank: (?:'([a-z0-9_]+)'|null)`)
	matches := re.FindAllStringSubmatch(string(src), -1)
	if len(matches) < 5 {
		t.Fatalf("found %d indicators in indicators.ts, want 5", len(matches))
	}
	for _, m := range matches {
		label, field, rank := m[1], m[2], m[3]
		i := slices.IndexFunc(analysis.Fields, func(f analysis.Field) bool { return f.JSON == field })
		if i < 0 {
			t.Errorf("dashboard field %s is not in analysis.Fields", field)
			continue
		}
		f := analysis.Fields[i]
		if f.Label != label {
			t.Errorf("%s: dashboard label %q, table %q", field, label, f.Label)
		}
		if f.Rank != rank {
			t.Errorf("%s: dashboard rank %q, table %q", field, rank, f.Rank)
		}
	}
}

// TestRebuildShares: a new version that changes only places shares the
// generalised territories of the previous one and gives the same tiles as
// a build from scratch; one that changes a contour does not share them.
func TestRebuildShares(t *testing.T) {
	prev := build(t, 1)
	req := tileset.Request{Layers: []string{tileset.Communes, tileset.EPCI, tileset.Sites}, Tile: maptile.At(orb.Point{2.3, 49.9}, 9)}
	if _, err := prev.Tiles().Get(req); err != nil {
		t.Fatal(err)
	}
	d := smallData(2)
	d.Places[0].Telephone = "+33300000001"
	d.Places = d.Places[:2]
	next, err := Rebuild(context.Background(), prev, index.New(d), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if !next.Tiles().SharesTerritories(prev.Tiles()) {
		t.Error("places changed only: territories not shared")
	}
	if _, n, _, _ := next.Tiles().Stats(); n != 1 {
		t.Errorf("prefilled cache holds %d tiles, want 1", n)
	}
	fresh, err := Build(context.Background(), index.New(d), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := next.Tiles().Encode(req)
	b, _ := fresh.Tiles().Encode(req)
	if !bytes.Equal(a, b) {
		t.Error("shared generalisation gives another tile than a fresh build")
	}
	d = smallData(3)
	d.Communes[1].Geometry = square(2.35, 49.85, 0.11)
	moved, err := Rebuild(context.Background(), next, index.New(d), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if moved.Tiles().SharesTerritories(next.Tiles()) {
		t.Error("a contour changed: territories shared")
	}
}

// TestBackgroundWarm: a first generation built with BackgroundWarm is
// published before its zooms are all generalised, and gives, at every zoom,
// the tiles of a generation built completely; once TilesWarm is closed, a
// Rebuild from it is complete when it returns.
func TestBackgroundWarm(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BackgroundWarm = true
	d := smallData(1)
	early, err := Build(context.Background(), index.New(d), cfg)
	if err != nil {
		t.Fatal(err)
	}
	complete := build(t, 1)
	select {
	case <-complete.TilesWarm():
	default:
		t.Fatal("a build without BackgroundWarm returned before its tiles were warm")
	}
	layers := []string{tileset.Departements, tileset.EPCI, tileset.Communes, tileset.Sites, tileset.Labels}
	for z := 0; z <= tileset.MaxZoom; z++ {
		for _, tl := range tileset.TilesOver(complete.Tiles().Bounds(), z) {
			req := tileset.Request{Layers: layers, Tile: tl}
			a, errA := early.Tiles().Encode(req)
			b, errB := complete.Tiles().Encode(req)
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				t.Fatalf("tile %v: %d bytes (%v) published early, %d bytes (%v) built completely", tl, len(a), errA, len(b), errB)
			}
		}
	}
	<-early.TilesWarm()
	if early.WarmTime() < early.BuildTime() {
		t.Errorf("warm after %v, before the build's end (%v)", early.WarmTime(), early.BuildTime())
	}
	if early.Tiles().CommunesMinZoom() != complete.Tiles().CommunesMinZoom() {
		t.Errorf("communes first zoom %d, want %d", early.Tiles().CommunesMinZoom(), complete.Tiles().CommunesMinZoom())
	}
	next, err := Rebuild(context.Background(), early, index.New(smallData(2)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-next.TilesWarm():
	default:
		t.Error("a rebuild with a previous generation returned before its tiles were warm")
	}
}

// TestBackgroundOutlines: the outlines of a first generation built with
// BackgroundWarm, dissolved after it is published (by the first Outline or
// once its zooms are generalised), are those of a complete build, whoever
// asks first and however many ask at once.
func TestBackgroundOutlines(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BackgroundWarm = true
	complete := build(t, 1)
	cases := []struct{ level, code string }{
		{analysis.LevelEPCI, "248000531"},
		{analysis.LevelDepartement, "80"},
		{analysis.LevelRegion, "32"},
		{analysis.LevelEPCI, "200000000"}, // unknown
	}
	for range 3 {
		early, err := Build(context.Background(), index.New(smallData(1)), cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := make([][]orb.Geometry, 8)
		var wg sync.WaitGroup
		for r := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, tc := range cases {
					got[r] = append(got[r], early.Outline(tc.level, tc.code))
				}
			}()
		}
		wg.Wait()
		for r := range got {
			for i, tc := range cases {
				want := complete.Outline(tc.level, tc.code)
				if (got[r][i] == nil) != (want == nil) || want != nil && !orb.Equal(got[r][i], want) {
					t.Fatalf("reader %d, %s %s: outline %v, want %v", r, tc.level, tc.code, got[r][i], want)
				}
			}
		}
		next, err := Rebuild(context.Background(), early, index.New(smallData(2)), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if o := next.Outline(analysis.LevelDepartement, "80"); o == nil || !orb.Equal(o, complete.Outline(analysis.LevelDepartement, "80")) {
			t.Errorf("rebuild sharing the territories: outline %v", o)
		}
	}
}

// TestPrepared: a generation built with the topology Prepare started on
// the snapshot's communes, or on another list of communes (ignored), gives
// the tiles of one built without it.
func TestPrepared(t *testing.T) {
	want := build(t, 1)
	for name, communes := range map[string]func(d index.Data) []cartonum.Commune{
		"same communes":  func(d index.Data) []cartonum.Commune { return d.Communes },
		"other communes": func(d index.Data) []cartonum.Commune { return slices.Clone(d.Communes[:1]) },
	} {
		t.Run(name, func(t *testing.T) {
			d := smallData(1)
			pre := Prepare(communes(d))
			g, err := RebuildPrepared(context.Background(), nil, index.New(d), DefaultConfig(), pre)
			if err != nil {
				t.Fatal(err)
			}
			sameTiles(t, g, want, "from those built without Prepare")
			if !maps.EqualFunc(g.outlines.get().epci, want.outlines.get().epci, func(a, b orb.MultiPolygon) bool { return planar.Area(a) == planar.Area(b) }) {
				t.Error("EPCI outlines differ")
			}
		})
	}
}

// TestLongComputationsStop: siting, scenarios and indicators at other
// parameters return the context's error once it is done.
func TestLongComputationsStop(t *testing.T) {
	g := build(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := analysis.Params{ThresholdMin: 5}
	if _, err := g.Compute(ctx, p); !errors.Is(err, context.Canceled) {
		t.Errorf("Compute: %v", err)
	}
	if _, err := g.Model().SitingContext(ctx, p, analysis.SitingOptions{K: 3}); !errors.Is(err, context.Canceled) {
		t.Errorf("Siting: %v", err)
	}
	if _, err := g.Model().ScenarioContext(ctx, p, analysis.Scenario{Remove: []string{"a"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Scenario: %v", err)
	}
	// Not cached: the same request answers once the context is live.
	if res, err := g.Compute(context.Background(), p); err != nil || len(res.Communes) != 2 {
		t.Errorf("Compute after a cancelled one: %v", err)
	}
}

// TestFieldsMatchJSON: each field of the table reads the figure its JSON
// name holds in the API's answers, and its rank key is a rank the model
// fills.
func TestFieldsMatchJSON(t *testing.T) {
	g := build(t, 1)
	res := g.Model().Compute(analysis.Params{ThresholdMin: 5})
	for _, in := range append(res.Communes, res.Region) {
		raw, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, f := range analysis.Fields {
			got, ok := m[f.JSON].(float64)
			want := f.Value(&in)
			if math.IsNaN(want) {
				want = 0 // unknown (a fragility without score): 0 in JSON, an empty CSV cell
			}
			if !ok || got != want {
				t.Errorf("%s %s: JSON %v, Value %v", in.Code, f.JSON, m[f.JSON], f.Value(&in))
			}
			if _, ok := in.Rank[f.Rank]; f.Rank != "" && in.Level == analysis.LevelCommune && !ok {
				t.Errorf("rank %s missing", f.Rank)
			}
		}
	}
}
