package sqlite

import (
	"bytes"
	"context"
	"errors"
	"math"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// cancelAfter is a context cancelled by the n-th call of its Err method:
// Apply checks Err once per row, so it cancels an import midway.
type cancelAfter struct {
	context.Context
	cancel context.CancelFunc
	n      atomic.Int64
}

func newCancelAfter(n int64) *cancelAfter {
	ctx, cancel := context.WithCancel(context.Background())
	c := &cancelAfter{Context: ctx, cancel: cancel}
	c.n.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) <= 0 {
		c.cancel()
	}
	return c.Context.Err()
}

// TestApplyAtomic checks that an import failing at any point leaves the
// database exactly as it was, and the store usable.
func TestApplyAtomic(t *testing.T) {
	base := func() Batch {
		return Batch{
			Region:       "76",
			Files:        []string{"lieux.csv"},
			Communes:     genCommunes(100, 3000),
			EPCIs:        []cartonum.EPCI{{Code: "243200599", Nom: "CA Grand Auch", Membres: []string{"32013"}}},
			Departements: []cartonum.Departement{{Code: "32", Nom: "Gers", Geometry: testCommune("32013").Geometry}},
			Upserts:      append(genPlaces(200, 1), placeWith("owner", "taken")),
			Report:       []byte(`{"ok":true}`),
		}
	}
	// next changes every table before its last place fails.
	next := func(last cartonum.Place) Batch {
		b := base()
		b.Communes = b.Communes[:60]
		b.Communes[0].Population = 1
		b.EPCIs = []cartonum.EPCI{}
		b.Departements[0].Nom = "Gers (32)"
		b.Upserts = genPlaces(300, 2)[5:]
		for i := range b.Upserts {
			b.Upserts[i].Nom = "modifié"
		}
		b.Upserts = append(b.Upserts, last)
		b.Deletes = []string{"lieu-000001", "lieu-000002"}
		return b
	}
	nan := testPlace("nan")
	nan.Longitude = math.NaN()

	for _, tc := range []struct {
		name  string
		ctx   func() context.Context
		batch Batch
		check func(error) bool
	}{
		{
			name:  "source id of another place, last row",
			batch: next(placeWith("thief", "taken")),
			check: func(err error) bool { return cartonum.KindOf(err) == cartonum.KindConflict },
		},
		{
			name:  "NaN coordinate, last row",
			batch: next(nan),
			check: func(err error) bool { return cartonum.KindOf(err) == cartonum.KindInvalid },
		},
		{
			name:  "duplicate id in upserts",
			batch: next(placeWith("lieu-000007")),
			check: func(err error) bool { return cartonum.KindOf(err) == cartonum.KindInvalid },
		},
		{
			name:  "context cancelled among communes",
			ctx:   func() context.Context { return newCancelAfter(30) },
			batch: next(testPlace("x")),
			check: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
		{
			name:  "context cancelled among places",
			ctx:   func() context.Context { return newCancelAfter(200) },
			batch: next(testPlace("x")),
			check: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
		{
			name: "context cancelled before",
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
			batch: next(testPlace("x")),
			check: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
		{
			name:  "invalid report",
			batch: func() Batch { b := next(testPlace("x")); b.Report = []byte(`{"ok":`); return b }(),
			check: func(err error) bool { return cartonum.KindOf(err) == cartonum.KindInvalid },
		},
		{
			name:  "duplicate commune",
			batch: func() Batch { b := next(testPlace("x")); b.Communes = append(b.Communes, b.Communes[3]); return b }(),
			check: func(err error) bool { return cartonum.KindOf(err) == cartonum.KindInvalid },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			mustApply(t, db, base())
			before := dump(t, db)
			version := mustVersion(t, db)

			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			_, err := db.Apply(ctx, tc.batch)
			t.Logf("apply: %v", err)
			if err == nil || !tc.check(err) {
				t.Fatalf("apply: unexpected error %v", err)
			}
			if after := dump(t, db); after != before {
				t.Errorf("database changed by a failed import")
			}
			if v := mustVersion(t, db); v != version {
				t.Errorf("version %d, want %d", v, version)
			}

			// The writer is free again, and the same batch without its
			// fault goes through.
			fixed := tc.batch
			fixed.Upserts = fixed.Upserts[:len(fixed.Upserts)-1]
			fixed.Communes = fixed.Communes[:60]
			fixed.Report = nil
			if _, err := db.Apply(context.Background(), fixed); err != nil {
				t.Fatalf("apply after failure: %v", err)
			}
			if dump(t, db) == before {
				t.Error("fixed batch changed nothing")
			}
		})
	}
}

func TestImports(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))
	batches := []Batch{
		{
			Region: "76", Files: []string{"a.csv", "dossier/b é.json"}, StartedAt: t0, FinishedAt: t0.Add(1500 * time.Millisecond),
			Upserts: []cartonum.Place{testPlace("a"), testPlace("b")},
			Counts:  Counts{RowsRead: 10, Imported: 2, Merged: 3, Rejected: 4, Repaired: 5},
			Report:  []byte(`{"rejets": [{"ligne": 3, "raison": "coordonnées « absentes »"}]}`),
		},
		{Region: "11", StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour)},
		{Region: "76", Deletes: []string{"a"}, Counts: Counts{RowsRead: 1}},
	}
	var ids []int64
	for _, b := range batches {
		ids = append(ids, mustApply(t, db, b))
	}

	got, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []Import
	for i, b := range batches {
		want = append([]Import{{
			ID: ids[i], Region: b.Region, Files: b.Files,
			StartedAt: b.StartedAt.UTC(), FinishedAt: b.FinishedAt.UTC(),
			Counts: b.Counts, Changed: len(b.Upserts) + len(b.Deletes),
		}}, want...)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Imports:\n got %+v\nwant %+v", got, want)
	}

	for i, b := range batches {
		report, err := db.ImportReport(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(report, b.Report) || (b.Report == nil) != (report == nil) {
			t.Errorf("report of import %d = %q, want %q", ids[i], report, b.Report)
		}
	}
	if _, err := db.ImportReport(ctx, 999); cartonum.KindOf(err) != cartonum.KindNotFound {
		t.Errorf("ImportReport(999): %v, want KindNotFound", err)
	}
}
