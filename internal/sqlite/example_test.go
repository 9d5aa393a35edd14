package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/sqlite"
)

func Example() {
	dir, err := os.MkdirTemp("", "cartonum")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "cartonum.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	now := time.Now()
	id, err := db.Apply(ctx, sqlite.Batch{
		Region:     "76",
		Files:      []string{"lieux.csv"},
		StartedAt:  now,
		FinishedAt: now,
		Upserts: []cartonum.Place{{
			ID: "lieu-1", Nom: "Médiathèque", Latitude: 43.646, Longitude: 0.586,
			Provenance: cartonum.Provenance{SourceIDs: []string{"lieu-1"}, Precision: cartonum.PrecisionExact},
		}},
		Counts: sqlite.Counts{RowsRead: 1, Imported: 1},
		Report: []byte(`{"rejets":[]}`),
	})
	if err != nil {
		log.Fatal(err)
	}
	p, err := db.Place(ctx, "lieu-1")
	if err != nil {
		log.Fatal(err)
	}
	version, err := db.Version(ctx)
	if err != nil {
		log.Fatal(err)
	}
	_, err = db.Place(ctx, "lieu-2")
	fmt.Println(p.Nom, p.Provenance.BatchID == id, version)
	fmt.Println(cartonum.KindOf(err) == cartonum.KindNotFound)
	// Output:
	// Médiathèque true 1
	// true
}
