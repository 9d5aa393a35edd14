package sqlite

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestLoadConsistent loads datasets while imports rename every commune and
// every place: each dataset must hold one import only, at the version that
// import produced. Reading the tables in separate statements fails it.
func TestLoadConsistent(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	const n = 200
	batch := func(gen int) Batch {
		name := fmt.Sprintf("génération %d", gen)
		places := genPlaces(n, 1)
		for i := range places {
			places[i].Nom = name
		}
		communes := genCommunes(40, 200)
		for i := range communes {
			communes[i].Nom = name
		}
		return Batch{Region: "11", Communes: communes, Upserts: places}
	}
	mustApply(t, db, batch(0))

	var (
		stop  atomic.Bool
		loads atomic.Int64
		wg    sync.WaitGroup
	)
	errs := make(chan error, 8)
	for r := range 4 {
		wg.Go(func() {
			for !stop.Load() {
				load := db.Load
				if r == 0 {
					load = db.loadOne
				}
				d, err := load(ctx)
				if err == nil {
					err = oneGeneration(d)
				}
				if err != nil {
					errs <- fmt.Errorf("loader %d: %w", r, err)
					return
				}
				loads.Add(1)
			}
		})
	}
	for gen := 1; gen <= 15; gen++ {
		mustApply(t, db, batch(gen))
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	d, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := oneGeneration(d); err != nil || d.Version != 16 {
		t.Errorf("last load: version %d (want 16), %v", d.Version, err)
	}
	t.Logf("%d loads during 15 imports", loads.Load())
}

// TestLoadPaths: the two transactions of Load and the one transaction it
// falls back to read the same dataset; the loader of TestLoadConsistent
// checks loadOne under imports as well.
func TestLoadPaths(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	communes := genCommunes(40, 200)
	mustApply(t, db, Batch{Region: "11", Communes: communes, Upserts: genPlaces(300, 1)})
	pair, same, err := db.loadPair(ctx)
	if err != nil || !same {
		t.Fatalf("loadPair: same version %v, %v", same, err)
	}
	one, err := db.loadOne(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pair, one) {
		t.Errorf("two transactions read %d communes, %d places; one read %d, %d", len(pair.Communes), len(pair.Places), len(one.Communes), len(one.Places))
	}
	if len(one.Places) != 300 || len(one.Communes) != 40 {
		t.Errorf("%d places, %d communes", len(one.Places), len(one.Communes))
	}
}

// oneGeneration checks that every commune and place of d carries the name
// of import "génération v-1", the one that made version v.
func oneGeneration(d cartonum.Dataset) error {
	want := fmt.Sprintf("génération %d", d.Version-1)
	if len(d.Places) == 0 || len(d.Communes) == 0 {
		return fmt.Errorf("version %d: %d places, %d communes", d.Version, len(d.Places), len(d.Communes))
	}
	for _, c := range d.Communes {
		if c.Nom != want {
			return fmt.Errorf("version %d: commune %s named %q, want %q", d.Version, c.Code, c.Nom, want)
		}
	}
	for _, p := range d.Places {
		if p.Nom != want {
			return fmt.Errorf("version %d: place %s named %q, want %q", d.Version, p.ID, p.Nom, want)
		}
	}
	return nil
}

// TestApplyStale applies batches computed from a loaded version: the first
// lands, the second, computed from the same version, is refused as a
// conflict wrapping ErrStale and writes nothing.
func TestApplyStale(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Region: "11", Upserts: []cartonum.Place{placeWith("a")}})
	d, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := d.Version

	first := placeWith("a")
	first.Telephone = "+33500000001"
	mustApply(t, db, Batch{Base: &base, Region: "11", Upserts: []cartonum.Place{first}})
	before := dump(t, db)

	second := placeWith("a")
	second.Nom = "Nom changé"
	_, err = db.Apply(ctx, Batch{Base: &base, Region: "11", Upserts: []cartonum.Place{second}})
	if cartonum.KindOf(err) != cartonum.KindConflict || !errors.Is(err, cartonum.ErrStale) {
		t.Fatalf("stale apply: %v, want a conflict wrapping ErrStale", err)
	}
	if after := dump(t, db); after != before {
		t.Errorf("stale apply wrote:\n%s\nwant:\n%s", after, before)
	}

	// A batch that changes nothing leaves the version where it was, so a
	// later batch computed before it still applies.
	now := mustVersion(t, db)
	mustApply(t, db, Batch{Base: &now, Region: "11", Upserts: []cartonum.Place{first}})
	third := first
	third.Nom = "Nom changé"
	mustApply(t, db, Batch{Base: &now, Region: "11", Upserts: []cartonum.Place{third}})
	if v := mustVersion(t, db); v != now+1 {
		t.Errorf("version %d, want %d", v, now+1)
	}
	// Without a base the batch applies whatever the version.
	mustApply(t, db, Batch{Base: nil, Region: "11", Upserts: []cartonum.Place{second}})
}
