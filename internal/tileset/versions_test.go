package tileset

import (
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/index"
)

// next builds the set of the data version after prev's, with the places
// changed by edit (a copy of prev's places).
func next(prev *Set, edit func([]cartonum.Place) []cartonum.Place) *Set {
	snap := prev.snap
	places := edit(slices.Clone(snap.Places()))
	d := index.Data{Version: snap.Version() + 1, Communes: snap.Communes(), EPCIs: snap.EPCIs(),
		Departements: snap.Departements(), Places: places}
	return NewFrom(prev, index.New(d), prev.cfg, Attributes{})
}

// TestLayerVersions: a layer keeps its version while its tiles stay the
// same, whatever the data version; a change gives the layers it touches,
// and only those, the new data version.
func TestLayerVersions(t *testing.T) {
	base := regionSet(t)
	all := []string{Departements, EPCI, Communes, Sites, Labels}
	for _, l := range all {
		if v := base.LayerVersion(l); v != 1 {
			t.Fatalf("%s: version %d, want 1 (the data version)", l, v)
		}
	}
	// Index of a place inside the region.
	at := slices.IndexFunc(base.snap.Places(), func(p cartonum.Place) bool {
		return !p.Provenance.OutsideRegion && p.CodeInsee != ""
	})
	cases := []struct {
		name    string
		edit    func([]cartonum.Place) []cartonum.Place
		changed []string
	}{
		{"phone number", func(ps []cartonum.Place) []cartonum.Place {
			ps[at].Telephone = "+33 3 22 00 00 00"
			return ps
		}, nil},
		{"name", func(ps []cartonum.Place) []cartonum.Place {
			ps[at].Nom += " (annexe)"
			return ps
		}, []string{Sites}},
		{"opening hours", func(ps []cartonum.Place) []cartonum.Place {
			ps[at].Horaires = "Mo 09:00-12:00"
			return ps
		}, []string{Sites}},
		{"place removed", func(ps []cartonum.Place) []cartonum.Place {
			return slices.Delete(ps, at, at+1)
		}, []string{Sites, Communes, EPCI, Departements}}, // places per territory
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := next(base, c.edit)
			for _, l := range all {
				want := int64(1)
				if slices.Contains(c.changed, l) {
					want = 2
				}
				if v := s.LayerVersion(l); v != want {
					t.Errorf("%s: version %d, want %d", l, v, want)
				}
			}
			want := int64(1)
			if len(c.changed) > 0 {
				want = 2
			}
			if got := s.LayersVersion(all); got != want {
				t.Errorf("all layers together: version %d, want %d", got, want)
			}
			// A third version with no change keeps every layer's version.
			s3 := next(s, func(ps []cartonum.Place) []cartonum.Place { return ps })
			for _, l := range all {
				if s3.LayerVersion(l) != s.LayerVersion(l) {
					t.Errorf("%s: version %d after a version without change, was %d", l, s3.LayerVersion(l), s.LayerVersion(l))
				}
			}
		})
	}
}

// TestPrefillKeepsUnchangedLayers: after a change of one place's name, the
// cached tiles of the territories are carried over as they were (no
// encoding), the sites tiles are encoded again, and both are what an
// uncached encoding of the new version gives.
func TestPrefillKeepsUnchangedLayers(t *testing.T) {
	base := regionSet(t)
	lille := maptile.At(orb.Point{3.0573, 50.6366}, 10)
	territories := []string{Departements, EPCI, Communes, Labels}
	reqs := []Request{
		{Layers: territories, Tile: lille},
		{Layers: []string{Communes}, Tile: lille.Parent()},
		{Layers: []string{Sites}, Tile: lille},
		{Layers: []string{Sites}, Tile: lille, Filter: index.Filter{Dispositifs: []string{"France Services"}}},
	}
	for _, r := range reqs {
		if _, err := base.Get(r); err != nil {
			t.Fatal(err)
		}
	}
	at := slices.IndexFunc(base.snap.Places(), func(p cartonum.Place) bool { return !p.Provenance.OutsideRegion })
	s := next(base, func(ps []cartonum.Place) []cartonum.Place {
		ps[at].Nom += " (annexe)"
		return ps
	})
	kept, encoded := s.Prefill(base, 1024, func() bool { return false })
	if kept != 2 || encoded != 2 {
		t.Errorf("prefill kept %d tiles and encoded %d, want 2 and 2", kept, encoded)
	}
	for _, r := range reqs {
		got, err := s.Get(r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.build(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Gzip) != string(want.Gzip) || got.ETag != want.ETag {
			t.Errorf("%v %v: the cached tile is not the new version's", r.Layers, r.Tile)
		}
	}
	if _, _, hits, misses := s.Stats(); hits != int64(len(reqs)) || misses != 0 {
		t.Errorf("%d hits, %d misses after the prefill, want %d hits", hits, misses, len(reqs))
	}
}

// TestFirstSetKeys: a set made with no previous one computes its content
// keys on first use: they are those of every keyed layer, the same as
// computed at once, when several sets are made from it at once.
func TestFirstSetKeys(t *testing.T) {
	base := regionSet(t)
	first := NewFrom(nil, base.snap, base.cfg, Attributes{})
	var wg sync.WaitGroup
	sets := make([]*Set, 4)
	for i := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sets[i] = next(first, func(p []cartonum.Place) []cartonum.Place { return p })
		}()
	}
	wg.Wait()
	keys := first.contentKeys()
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, slices.Sorted(slices.Values(keyedLayers))) {
		t.Errorf("keyed layers %v, want %v", got, keyedLayers)
	}
	if !maps.Equal(keys, first.layerKeys()) {
		t.Error("background keys differ from keys computed at once")
	}
	for _, s := range sets {
		for _, l := range keyedLayers {
			if v := s.LayerVersion(l); v != 1 {
				t.Errorf("%s after an unchanged version: version %d, want 1", l, v)
			}
		}
	}
}
