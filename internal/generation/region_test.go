package generation

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/standard"
	"github.com/cartonum/cartonum/internal/territory"
	"github.com/cartonum/cartonum/internal/testmirror"
	"github.com/cartonum/cartonum/internal/tileset"
)

// regionSnapshot is region 32 with its places, straight from the mirror.
func regionSnapshot(tb testing.TB) *index.Snapshot {
	tb.Helper()
	dir := testmirror.Dir(tb)
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { f.Close() })
		return f
	}
	communes, err := territory.ReadCommunes(open("communes-32.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	epcis, err := territory.ReadEPCIs(open("epci-32.json"))
	if err != nil {
		tb.Fatal(err)
	}
	deps, err := territory.ReadDepartements(open("departements-32.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	src, err := standard.Read("lieux-32-v1.csv", open("lieux-32-v1.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	terr := index.New(index.Data{Communes: append(communes[:0:0], communes...)})
	res, err := standard.Import(nil, []*standard.Source{src}, terr, standard.Options{Region: "32"})
	if err != nil {
		tb.Fatal(err)
	}
	return index.New(index.Data{Version: 1, Communes: communes, EPCIs: epcis, Departements: deps, Places: res.Upserts})
}

// TestRegionBuild builds region 32's generation, reports its build time
// and the heap two generations hold, and checks the outlines cover their
// territories.
func TestRegionBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("region build: not in -short")
	}
	snap := regionSnapshot(t)
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := heap()
	var gens []*Generation
	for i := range 2 {
		start := time.Now()
		g, err := Build(context.Background(), snap, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		gens = append(gens, g)
		t.Logf("generation %d built in %s; heap %d MB over the snapshot", i+1, time.Since(start).Round(time.Millisecond), (heap()-base)>>20)
	}
	g := gens[1]
	res := g.Model().Compute(analysis.DefaultParams())
	for _, in := range res.Departements {
		if g.Outline(analysis.LevelDepartement, in.Code) == nil {
			t.Errorf("no outline for département %s", in.Code)
		}
	}
	for _, in := range res.EPCI {
		if g.Outline(analysis.LevelEPCI, in.Code) == nil {
			t.Errorf("no outline for EPCI %s", in.Code)
		}
	}
	runtime.KeepAlive(gens)
}

// BenchmarkBuild is the time to build region 32's generation.
func BenchmarkBuild(b *testing.B) {
	snap := regionSnapshot(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), snap, DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildParts times each part of Build on region 32.
func BenchmarkBuildParts(b *testing.B) {
	snap := regionSnapshot(b)
	b.Run("model", func(b *testing.B) {
		for b.Loop() {
			NewModel(snap)
		}
	})
	m := NewModel(snap)
	b.Run("compute", func(b *testing.B) {
		for b.Loop() {
			m.ComputeContext(context.Background(), analysis.Params{Circuity: 1.3 + float64(b.N%1000)*1e-9})
		}
	})
	b.Run("tileset", func(b *testing.B) {
		for b.Loop() {
			tileset.New(snap, tileset.DefaultConfig(), tileset.Attributes{})
		}
	})
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			tileset.New(snap, tileset.DefaultConfig(), tileset.Attributes{}).Warm()
		}
	})
	s := tileset.New(snap, tileset.DefaultConfig(), tileset.Attributes{})
	b.Run("outlines", func(b *testing.B) {
		for b.Loop() {
			s.Outlines()
		}
	})
}

// BenchmarkRebuildPlaces is the time to build the generation that follows
// a change of places only (territories shared, 45 tiles prefilled).
func BenchmarkRebuildPlaces(b *testing.B) {
	snap := regionSnapshot(b)
	prev, err := Build(context.Background(), snap, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	for z := 8; z <= 12; z++ {
		c := maptile.At(orb.Point{3.0573, 50.6366}, maptile.Zoom(z))
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				t := maptile.New(uint32(int(c.X)+dx), uint32(int(c.Y)+dy), c.Z)
				prev.Tiles().Get(tileset.Request{Layers: []string{tileset.Communes}, Tile: t})
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Rebuild(context.Background(), prev, snap, DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}
