package sqlite

import (
	"context"
	"testing"
)

// Sizes of a large region: 3,782 communes with 175,000 contour vertices in
// all, and 9,000 places.
const (
	benchPlaces   = 9000
	benchCommunes = 3782
	benchVertices = 175000
)

// BenchmarkApply measures a full import: every place of a region replaced
// (each one changed), territories rewritten unchanged. The context is
// cancellable, as a real caller's is.
func BenchmarkApply(b *testing.B) {
	db := openTest(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	communes := genCommunes(benchCommunes, benchVertices)
	places := genPlaces(benchPlaces, 1)
	mustApply(b, db, Batch{Region: "76", Communes: communes, Upserts: places})

	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j := range places {
			places[j].DateMaj = string(rune('a' + i%26)) // every place changes
		}
		if _, err := db.Apply(ctx, Batch{Region: "76", Communes: communes, Upserts: places}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyPlaces measures an import of places only, into an empty
// table, as the first import of a region does.
func BenchmarkApplyPlaces(b *testing.B) {
	db := openTest(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	places := genPlaces(benchPlaces, 1)
	ids := make([]string, len(places))
	for i := range places {
		ids[i] = places[i].ID
	}

	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Apply(ctx, Batch{Upserts: places}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := db.Apply(ctx, Batch{Deletes: ids}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// loadBenchDB is a database of benchCommunes communes and benchPlaces
// places, for the load benchmarks.
func loadBenchDB(b *testing.B) *DB {
	db := openTest(b)
	mustApply(b, db, Batch{
		Region:   "76",
		Communes: genCommunes(benchCommunes, benchVertices),
		Upserts:  genPlaces(benchPlaces, 1),
	})
	return db
}

// BenchmarkLoad measures what a server does at start and after each
// import: loading every place and every commune.
func BenchmarkLoad(b *testing.B) {
	db := loadBenchDB(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	b.ReportAllocs()
	for b.Loop() {
		places, err := db.Places(ctx)
		if err != nil {
			b.Fatal(err)
		}
		communes, err := db.Communes(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(places) != benchPlaces || len(communes) != benchCommunes {
			b.Fatalf("loaded %d places, %d communes", len(places), len(communes))
		}
	}
}

// BenchmarkLoadPlaces and BenchmarkLoadCommunes split BenchmarkLoad.
func BenchmarkLoadPlaces(b *testing.B) {
	db := openTest(b)
	mustApply(b, db, Batch{Upserts: genPlaces(benchPlaces, 1)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Places(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadCommunes(b *testing.B) {
	db := openTest(b)
	mustApply(b, db, Batch{Communes: genCommunes(benchCommunes, benchVertices)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Communes(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadDataset measures Load, the one read of a server's start and
// of each reload: version, territories, places and overrides in one
// transaction.
func BenchmarkLoadDataset(b *testing.B) {
	db := loadBenchDB(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	b.ReportAllocs()
	for b.Loop() {
		d, err := db.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Places) != benchPlaces || len(d.Communes) != benchCommunes {
			b.Fatalf("loaded %d places, %d communes", len(d.Places), len(d.Communes))
		}
	}
}
