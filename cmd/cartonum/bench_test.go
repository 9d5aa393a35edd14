package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/sqlite"
)

// BenchmarkImportFrance measures the whole import command on the national
// file (8,741 rows): read, normalise, locate, deduplicate against the
// region's places, write in one transaction. Target: under 5 s.
func BenchmarkImportFrance(b *testing.B) {
	dir := mirror(b)
	base := territoryConfig(b, filepath.Join(b.TempDir(), "base.db"))
	base.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(b, base)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := territoryConfig(b, filepath.Join(b.TempDir(), "c.db"))
		cfg.Files = nil
		doImport(b, cfg) // territories only
		cfg.Communes, cfg.EPCI, cfg.Departements = nil, nil, nil
		cfg.Files = []string{filepath.Join(dir, "lieux-france-v1.csv")}
		b.StartTimer()
		if _, err := runImport(context.Background(), cfg, quietLogger(), io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures what serve does before it can answer: open
// the SQLite file and build the in-memory index of region 32 (3,782
// communes, places). Target: under 1 s.
func BenchmarkColdStart(b *testing.B) {
	dir := mirror(b)
	cfg := territoryConfig(b, filepath.Join(b.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(b, cfg)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db, err := sqlite.Open(context.Background(), cfg.DB)
		if err != nil {
			b.Fatal(err)
		}
		snap, err := loadSnapshot(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Communes()) != 3782 {
			b.Fatalf("%d communes", len(snap.Communes()))
		}
		db.Close()
	}
}

// BenchmarkNear measures a near query in process: the 20 nearest places
// within 10 km, from points spread over the region. Target: under 1 ms.
func BenchmarkNear(b *testing.B) {
	snap := benchSnapshot(b)
	pts := benchPoints(snap)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		snap.Search(index.Query{Near: &p, Radius: 10000, Limit: 20})
	}
}

// BenchmarkNearFiltered adds a service filter and a 30 km radius.
func BenchmarkNearFiltered(b *testing.B) {
	snap := benchSnapshot(b)
	pts := benchPoints(snap)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		snap.Search(index.Query{Near: &p, Radius: 30000, Limit: 20,
			Filter: index.Filter{Services: []string{"Aide aux démarches administratives"}}})
	}
}

// BenchmarkCommuneAt measures the point-in-polygon lookup of a commune.
func BenchmarkCommuneAt(b *testing.B) {
	snap := benchSnapshot(b)
	pts := benchPoints(snap)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap.CommuneAt(pts[i%len(pts)])
	}
}

func benchSnapshot(b *testing.B) *index.Snapshot {
	dir := mirror(b)
	cfg := territoryConfig(b, filepath.Join(b.TempDir(), "c.db"))
	cfg.Files = []string{filepath.Join(dir, "lieux-32-v1.csv")}
	doImport(b, cfg)
	db, err := sqlite.Open(context.Background(), cfg.DB)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	snap, err := loadSnapshot(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	return snap
}

// benchPoints are the anchors of every commune of the region.
func benchPoints(snap *index.Snapshot) []orb.Point {
	var pts []orb.Point
	for _, c := range snap.Communes() {
		p, _ := snap.Anchor(c.Code)
		pts = append(pts, p)
	}
	return pts
}
