package sqlite

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func TestPlaceRoundTrip(t *testing.T) {
	minimal := cartonum.Place{
		ID: "min", Nom: "Lieu", Latitude: 43, Longitude: 1, DateMaj: "2024-01-01",
		Provenance: cartonum.Provenance{SourceIDs: []string{"min"}, Precision: cartonum.PrecisionCommune},
	}
	escapes := testPlace("esc")
	escapes.Services = []string{`a"b`, `c\d`, "", "ligne\nsuivante", "tab\tcontrol\u0007", "<&>", "\u2028"}
	escapes.Provenance.SourceIDs = []string{"esc", `guillemet"`, "é"}
	extremes := minimal
	extremes.ID = "ext"
	extremes.Provenance.SourceIDs = []string{"ext"}
	extremes.Latitude, extremes.Longitude = -90, 180
	extremes.Nom = "Ærø – Ĳsselmeer – Þórshöfn"
	tiny := minimal
	tiny.ID = "tiny"
	tiny.Provenance.SourceIDs = []string{"tiny"}
	tiny.Latitude, tiny.Longitude = math.SmallestNonzeroFloat64, 1.0000000000000002
	emptyLists := minimal
	emptyLists.ID = "empty"
	emptyLists.Provenance.SourceIDs = []string{"empty"}
	emptyLists.Services, emptyLists.Courriels, emptyLists.Provenance.Repairs = []string{}, []string{}, []cartonum.Repair{}
	emptyWant := emptyLists
	emptyWant.Services, emptyWant.Courriels, emptyWant.Provenance.Repairs = nil, nil, nil
	batchIgnored := testPlace("batch")
	batchIgnored.Provenance.BatchID = 999

	for _, tc := range []struct {
		name string
		in   cartonum.Place
		want cartonum.Place // BatchID set by the test
	}{
		{"every field", testPlace("lieu-1"), testPlace("lieu-1")},
		{"minimal", minimal, minimal},
		{"escapes in lists", escapes, escapes},
		{"extreme coordinates and letters", extremes, extremes},
		{"tiny floats", tiny, tiny},
		{"empty lists load as nil", emptyLists, emptyWant},
		{"given batch id ignored", batchIgnored, testPlace("batch")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			id := mustApply(t, db, Batch{Upserts: []cartonum.Place{tc.in}})
			want := tc.want
			want.Provenance.BatchID = id

			got, err := db.Place(ctx, tc.in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Place:\n got %#v\nwant %#v", got, want)
			}
			all, err := db.Places(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1 || !reflect.DeepEqual(all[0], want) {
				t.Errorf("Places:\n got %#v\nwant [%#v]", all, want)
			}
		})
	}
}

// TestPlaceFieldsCovered fails when a field is added to cartonum.Place or
// its Provenance without being set in testPlace, so that TestPlaceRoundTrip
// catches a field the store would not keep.
func TestPlaceFieldsCovered(t *testing.T) {
	p := testPlace("a")
	p.Provenance.BatchID = 1 // set by Apply, checked by TestPlaceRoundTrip
	for _, v := range []reflect.Value{reflect.ValueOf(p), reflect.ValueOf(p.Provenance), reflect.ValueOf(p.Provenance.Repairs[0])} {
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Errorf("testPlace leaves %s.%s unset", v.Type().Name(), v.Type().Field(i).Name)
			}
		}
	}
}

func TestPlaceNotFound(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("a")}})
	for _, id := range []string{"absent", "", "A", "a "} {
		_, err := db.Place(ctx, id)
		var cerr *cartonum.Error
		if !errors.As(err, &cerr) || cerr.Kind != cartonum.KindNotFound {
			t.Errorf("Place(%q): %v, want a KindNotFound *cartonum.Error", id, err)
		}
	}
}

func TestPlacesOrder(t *testing.T) {
	db := openTest(t)
	places := genPlaces(50, 7)
	slices.Reverse(places)
	mustApply(t, db, Batch{Upserts: places})
	got, err := db.Places(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 {
		t.Fatalf("%d places, want 50", len(got))
	}
	if !slices.IsSortedFunc(got, func(a, b cartonum.Place) int { return cmp.Compare(a.ID, b.ID) }) {
		t.Error("places not ordered by id")
	}
}

// placeSources returns the place_sources table as source id → place id.
func placeSources(tb testing.TB, db *DB) map[string]string {
	tb.Helper()
	rows, err := db.read.QueryContext(context.Background(), `SELECT source_id, place_id FROM place_sources`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var s, p string
		if err := rows.Scan(&s, &p); err != nil {
			tb.Fatal(err)
		}
		m[s] = p
	}
	return m
}

// placeWith returns a test place with the given id and source ids.
func placeWith(id string, sources ...string) cartonum.Place {
	p := testPlace(id)
	p.Provenance.SourceIDs = append([]string{id}, sources...)
	return p
}

func TestApplyPlaces(t *testing.T) {
	for _, tc := range []struct {
		name        string
		base        []cartonum.Place
		batch       Batch
		kind        cartonum.ErrorKind // of the error, when wantSources is nil
		wantSources map[string]string
		wantChanged int
	}{
		{
			name:        "merge absorbs a place",
			base:        []cartonum.Place{placeWith("a"), placeWith("b", "b2")},
			batch:       Batch{Upserts: []cartonum.Place{placeWith("a", "b", "b2")}, Deletes: []string{"b"}},
			wantSources: map[string]string{"a": "a", "b": "a", "b2": "a"},
			wantChanged: 2,
		},
		{
			name:        "source moves between upserted places",
			base:        []cartonum.Place{placeWith("a", "x"), placeWith("c")},
			batch:       Batch{Upserts: []cartonum.Place{placeWith("c", "x"), placeWith("a")}},
			wantSources: map[string]string{"a": "a", "c": "c", "x": "c"},
			wantChanged: 2,
		},
		{
			name:        "own id missing from source ids",
			batch:       Batch{Upserts: []cartonum.Place{func() cartonum.Place { p := testPlace("a"); p.Provenance.SourceIDs = []string{"s"}; return p }()}},
			wantSources: map[string]string{"a": "a", "s": "a"},
			wantChanged: 1,
		},
		{
			name:        "source id repeated within a place",
			batch:       Batch{Upserts: []cartonum.Place{placeWith("a", "s", "s", "a")}},
			wantSources: map[string]string{"a": "a", "s": "a"},
			wantChanged: 1,
		},
		{
			name:        "delete cascades to sources",
			base:        []cartonum.Place{placeWith("a", "x"), placeWith("b", "y")},
			batch:       Batch{Deletes: []string{"a", "unknown"}},
			wantSources: map[string]string{"b": "b", "y": "b"},
			wantChanged: 1,
		},
		{
			name:  "source id of a live place",
			base:  []cartonum.Place{placeWith("a", "x")},
			batch: Batch{Upserts: []cartonum.Place{placeWith("d", "x")}},
			kind:  cartonum.KindConflict,
		},
		{
			name:  "two upserts claim one source",
			batch: Batch{Upserts: []cartonum.Place{placeWith("a", "x"), placeWith("b", "x")}},
			kind:  cartonum.KindConflict,
		},
		{
			name:  "duplicate upsert",
			batch: Batch{Upserts: []cartonum.Place{placeWith("a"), placeWith("a")}},
			kind:  cartonum.KindInvalid,
		},
		{
			name:  "upserted and deleted",
			batch: Batch{Upserts: []cartonum.Place{placeWith("a")}, Deletes: []string{"a"}},
			kind:  cartonum.KindInvalid,
		},
		{
			name:  "empty id",
			batch: Batch{Upserts: []cartonum.Place{placeWith("")}},
			kind:  cartonum.KindInvalid,
		},
		{
			name:  "NaN coordinates",
			batch: Batch{Upserts: []cartonum.Place{func() cartonum.Place { p := testPlace("a"); p.Latitude = math.NaN(); return p }()}},
			kind:  cartonum.KindInvalid,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openTest(t)
			ctx := context.Background()
			if tc.base != nil {
				mustApply(t, db, Batch{Upserts: tc.base})
			}
			id, err := db.Apply(ctx, tc.batch)
			if tc.wantSources == nil {
				if got := cartonum.KindOf(err); err == nil || got != tc.kind {
					t.Fatalf("apply: kind %v (%v), want %v", got, err, tc.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := placeSources(t, db); !reflect.DeepEqual(got, tc.wantSources) {
				t.Errorf("place_sources = %v, want %v", got, tc.wantSources)
			}
			imports, err := db.Imports(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if imports[0].ID != id || imports[0].Changed != tc.wantChanged {
				t.Errorf("import %d changed %d, want import %d changed %d", imports[0].ID, imports[0].Changed, id, tc.wantChanged)
			}
			for _, p := range tc.batch.Upserts {
				got, err := db.Place(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Provenance.BatchID != id {
					t.Errorf("place %s: batch %d, want %d", p.ID, got.Provenance.BatchID, id)
				}
			}
			for _, d := range tc.batch.Deletes {
				if _, err := db.Place(ctx, d); cartonum.KindOf(err) != cartonum.KindNotFound {
					t.Errorf("deleted place %s: %v, want not found", d, err)
				}
			}
		})
	}
}

// TestApplyUnchangedPlace checks that re-importing an identical place
// changes no row: it keeps the batch that last changed it.
func TestApplyUnchangedPlace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	first := mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("a"), testPlace("b")}})
	changed := testPlace("b")
	changed.Provenance.Sources = append(changed.Provenance.Sources, "nouvelle source")
	second := mustApply(t, db, Batch{Upserts: []cartonum.Place{testPlace("a"), changed}})

	for id, want := range map[string]int64{"a": first, "b": second} {
		p, err := db.Place(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Provenance.BatchID != want {
			t.Errorf("place %s: batch %d, want %d", id, p.Provenance.BatchID, want)
		}
	}
	imports, err := db.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(imports[0].Changed, imports[1].Changed); got != "1 2" {
		t.Errorf("changed = %s, want 1 2", got)
	}
}
