package generation

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/index"
	"github.com/cartonum/cartonum/internal/tileset"
)

// memStore is a DerivedStore in memory that counts its reads and writes.
type memStore struct {
	mu           sync.Mutex
	keys, data   map[string][]byte
	reads, puts  int
	readErr, put error
}

func newMemStore() *memStore {
	return &memStore{keys: map[string][]byte{}, data: map[string][]byte{}}
}

func (s *memStore) Derived(_ context.Context, name string, key []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	if s.readErr != nil {
		return nil, s.readErr
	}
	if !bytes.Equal(s.keys[name], key) {
		return nil, nil
	}
	return bytes.Clone(s.data[name]), nil
}

func (s *memStore) PutDerived(_ context.Context, name string, key, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	if s.put != nil {
		return s.put
	}
	s.keys[name], s.data[name] = bytes.Clone(key), bytes.Clone(data)
	return nil
}

// encodedTopology is the encoding of a prepared topology.
func encodedTopology(t *testing.T, p *Prepared) []byte {
	t.Helper()
	b, err := p.topology().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPrepareStored: the first start builds the topology and Save stores
// it; the next reads it, and its generation gives the same tiles; other
// contours, a damaged copy or a store that fails make it build the
// topology again.
func TestPrepareStored(t *testing.T) {
	ctx := context.Background()
	if programID() == nil {
		t.Fatal("the test binary has no program id: nothing would ever be stored")
	}
	store := newMemStore()
	d := smallData(1)

	first := PrepareStored(ctx, d.Communes, store)
	if stored, _ := first.Stored(); stored || first.Err() != nil {
		t.Fatalf("empty store: stored %v, err %v", stored, first.Err())
	}
	if saved, err := first.Save(ctx); !saved || err != nil {
		t.Fatalf("Save: %v, %v", saved, err)
	}
	if saved, err := first.Save(ctx); saved || err != nil || store.puts != 1 {
		t.Fatalf("second Save: %v, %v, %d writes", saved, err, store.puts)
	}
	built := encodedTopology(t, first)

	next := PrepareStored(ctx, d.Communes, store)
	if stored, _ := next.Stored(); !stored {
		t.Fatalf("stored topology not read (err %v)", next.Err())
	}
	if !bytes.Equal(encodedTopology(t, next), built) {
		t.Fatal("the stored topology differs from the built one")
	}
	if saved, _ := next.Save(ctx); saved || store.puts != 1 {
		t.Fatal("a topology read from the store was written again")
	}
	want := build(t, 1)
	g, err := RebuildPrepared(ctx, nil, index.New(d), DefaultConfig(), next)
	if err != nil {
		t.Fatal(err)
	}
	sameTiles(t, g, want, "with the stored topology")

	t.Run("other contours", func(t *testing.T) {
		o := smallData(1)
		o.Communes[1].Geometry = square(2.35, 49.85, 0.2)
		p := PrepareStored(ctx, o.Communes, store)
		if stored, _ := p.Stored(); stored {
			t.Fatal("the topology of other contours was read")
		}
	})
	t.Run("damaged", func(t *testing.T) {
		s := newMemStore()
		p := PrepareStored(ctx, d.Communes, s)
		p.Save(ctx)
		for k := range s.data {
			s.data[k][len(s.data[k])/2] ^= 1
		}
		q := PrepareStored(ctx, d.Communes, s)
		if stored, _ := q.Stored(); stored || q.Err() == nil {
			t.Fatalf("damaged copy: stored %v, err %v", stored, q.Err())
		}
		if !bytes.Equal(encodedTopology(t, q), built) {
			t.Fatal("the topology built again differs")
		}
		if saved, err := SaveTopology(ctx, s, d.Communes); !saved || err != nil {
			t.Fatalf("SaveTopology over a damaged copy: %v, %v", saved, err)
		}
		if stored, _ := PrepareStored(ctx, d.Communes, s).Stored(); !stored {
			t.Fatal("the damaged copy was not replaced")
		}
	})
	t.Run("failing store", func(t *testing.T) {
		s := newMemStore()
		s.readErr, s.put = errors.New("disk I/O error"), errors.New("readonly database")
		p := PrepareStored(ctx, d.Communes, s)
		if p.Err() == nil || !bytes.Equal(encodedTopology(t, p), built) {
			t.Fatalf("failing store: err %v, topology built %v", p.Err(), p.topology() != nil)
		}
		if saved, err := p.Save(ctx); saved || err == nil {
			t.Fatalf("Save to a failing store: %v, %v", saved, err)
		}
	})
}

// TestStoredIndicators: a first generation saves the default indicators
// it computed; a server's next first generation of the same data version
// reads them and gives the same indicators, tiles and details; another
// data version, a damaged copy or a generation that is not a server's
// first computes them.
func TestStoredIndicators(t *testing.T) {
	ctx := context.Background()
	store := newMemStore()
	cfg := DefaultConfig()
	cfg.BackgroundWarm, cfg.Store = true, store
	first := func(version int64) *Generation {
		t.Helper()
		g, err := Rebuild(ctx, nil, index.New(smallData(version)), cfg)
		if err != nil {
			t.Fatal(err)
		}
		<-g.TilesWarm()
		return g
	}

	a := first(1)
	if stored, err := a.IndicatorsStored(); stored || err != nil {
		t.Fatalf("empty store: stored %v, %v", stored, err)
	}
	if saved, err := a.SaveIndicators(ctx); !saved || err != nil {
		t.Fatalf("SaveIndicators: %v, %v", saved, err)
	}
	if saved, _ := a.SaveIndicators(ctx); saved {
		t.Fatal("saved twice")
	}

	b := first(1)
	if stored, err := b.IndicatorsStored(); !stored || err != nil {
		t.Fatalf("stored indicators not read: %v", err)
	}
	if saved, _ := b.SaveIndicators(ctx); saved {
		t.Fatal("indicators read from the store were written again")
	}
	ra, _ := a.Compute(ctx, analysis.DefaultParams())
	rb, _ := b.Compute(ctx, analysis.DefaultParams())
	if !reflect.DeepEqual(ra, rb) {
		t.Fatalf("stored indicators differ:\n got %+v\nwant %+v", rb, ra)
	}
	sameTiles(t, b, a, "with the stored indicators")
	da, okA := a.Model().Detail(analysis.DefaultParams(), analysis.LevelCommune, "80021")
	db, okB := b.Model().Detail(analysis.DefaultParams(), analysis.LevelCommune, "80021")
	if !okA || !okB || !reflect.DeepEqual(da, db) {
		t.Error("details differ with the stored indicators")
	}

	if stored, _ := first(2).IndicatorsStored(); stored {
		t.Error("indicators of version 1 read for version 2")
	}
	later, err := Rebuild(ctx, b, index.New(smallData(1)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if stored, _ := later.IndicatorsStored(); stored {
		t.Error("a later generation read stored indicators")
	}
	for k := range store.data {
		if k == indicatorsName {
			store.data[k] = store.data[k][:len(store.data[k])/2]
		}
	}
	c := first(1)
	if stored, err := c.IndicatorsStored(); stored || err == nil {
		t.Fatalf("damaged copy: stored %v, err %v", stored, err)
	}
	if rc, _ := c.Compute(ctx, analysis.DefaultParams()); !reflect.DeepEqual(rc, ra) {
		t.Error("indicators computed again differ")
	}
}

// sameTiles fails unless g's tiles of every layer at zooms 0, 6, 9 and 12
// over want's bounds are want's, byte for byte.
func sameTiles(t *testing.T, g, want *Generation, what string) {
	t.Helper()
	layers := []string{tileset.Departements, tileset.EPCI, tileset.Communes, tileset.Sites}
	for _, z := range []int{0, 6, 9, 12} {
		for _, tl := range tileset.TilesOver(want.Tiles().Bounds(), z) {
			a, _ := g.Tiles().Encode(tileset.Request{Layers: layers, Tile: tl})
			b, _ := want.Tiles().Encode(tileset.Request{Layers: layers, Tile: tl})
			if !bytes.Equal(a, b) {
				t.Fatalf("tile %v differs %s", tl, what)
			}
		}
	}
}
