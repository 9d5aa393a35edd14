package tileset

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/cartonum/cartonum/internal/index"
)

// TestFilterKeyEveryField: every field of the place filter, present or
// future, changes the tile cache key, and two fields given the same value
// give two keys; a filter missing from the key would share cache entries
// with the unfiltered tiles.
func TestFilterKeyEveryField(t *testing.T) {
	seen := map[string]string{filterKey(index.Filter{}): "zero filter"}
	typ := reflect.TypeOf(index.Filter{})
	for i := range typ.NumField() {
		field := typ.Field(i)
		t.Run(field.Name, func(t *testing.T) {
			var f index.Filter
			v := reflect.ValueOf(&f).Elem().Field(i)
			switch field.Type {
			case reflect.TypeOf([]string(nil)):
				v.Set(reflect.ValueOf([]string{"x"}))
			case reflect.TypeOf(""):
				v.SetString("x")
			case reflect.TypeOf(time.Time{}):
				v.Set(reflect.ValueOf(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)))
			default:
				t.Fatalf("field %s of type %s: teach this test and filterKey about it", field.Name, field.Type)
			}
			if noFilter(f) {
				t.Fatalf("noFilter ignores %s: its tiles would be cached as the unfiltered ones", field.Name)
			}
			k := filterKey(f)
			if other, ok := seen[k]; ok {
				t.Fatalf("%s gives the same cache key as %s: %q", field.Name, other, k)
			}
			seen[k] = field.Name
		})
	}
}

// TestCacheKey: the key built by hand is layers/z/x/y?filterKey.
func TestCacheKey(t *testing.T) {
	for _, r := range []Request{
		{Layers: []string{Communes}, Tile: maptile.New(2073, 1396, 12)},
		{Layers: []string{Departements, EPCI, Communes, Sites}, Tile: maptile.New(0, 0, 0)},
		{Layers: []string{Sites}, Tile: maptile.New(16383, 9, 14), Filter: index.Filter{Services: []string{"a", "b"}, Text: "x"}},
	} {
		want := fmt.Sprintf("%s/%d/%d/%d?%s", strings.Join(r.Layers, ","), r.Tile.Z, r.Tile.X, r.Tile.Y, filterKey(r.Filter))
		if got := cacheKey(r); got != want {
			t.Errorf("cacheKey %q, want %q", got, want)
		}
	}
}

// TestCachedGetAllocatesNothing: a cached tile is found without
// allocating (the key is built on the stack), and it carries its header
// values, equal to its ETags and gzipped length.
func TestCachedGetAllocatesNothing(t *testing.T) {
	s := regionSet(t)
	r := Request{Layers: []string{Communes}, Tile: maptile.At(orb.Point{2.3, 49.9}, 10)}
	first, err := s.Get(r)
	if err != nil || first.Gzip == nil {
		t.Fatalf("tile: %v, %d bytes", err, len(first.Gzip))
	}
	v := first.Values
	if v == nil || v.ETag[0] != first.ETag || v.GzipETag[0] != first.GzipETag ||
		v.GzipLength[0] != strconv.Itoa(len(first.Gzip)) || cap(v.ETag) != 1 || cap(v.GzipLength) != 1 {
		t.Fatalf("header values %+v of tile %q %q %d", v, first.ETag, first.GzipETag, len(first.Gzip))
	}
	if n := testing.AllocsPerRun(100, func() {
		if got, _ := s.Get(r); got.ETag != first.ETag {
			t.Fatal("another tile")
		}
	}); n != 0 {
		t.Errorf("a cached tile costs %v allocations, want 0", n)
	}
	_, _, hits, _ := s.Stats()
	if hits < 100 {
		t.Errorf("%d cache hits, want the 100 runs", hits)
	}
}
