package tileset

import (
	"container/list"
	"sync"
)

// Cache is an LRU of tiles bounded by the bytes it holds.
type Cache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	ll    *list.List
	items map[string]*list.Element
	hits  int64
	miss  int64
}

type cacheEntry struct {
	key  string
	tile Tile
	req  *Request // the request of the tile, when the set cached it
}

// NewCache returns a cache holding at most max bytes (keys and tiles).
func NewCache(max int64) *Cache {
	return &Cache{max: max, ll: list.New(), items: map[string]*list.Element{}}
}

func entrySize(key string, t Tile) int64 {
	n := len(key) + len(t.Gzip) + len(t.ETag) + len(t.GzipETag) + 64
	if v := t.Values; v != nil {
		// three one-value slices and the length's string; the ETags
		// are shared with the tile.
		n += 3*(24+16) + len(v.GzipLength[0])
	}
	return int64(n)
}

// Get returns a cached tile.
func (c *Cache) Get(key string) (Tile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.found(c.items[key])
}

// getBytes is Get with the key in a byte slice, looked up without copying
// it into a string.
func (c *Cache) getBytes(key []byte) (Tile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.found(c.items[string(key)])
}

// found counts a lookup and returns the tile of its entry (e is nil on a
// miss). c.mu is held.
func (c *Cache) found(e *list.Element) (Tile, bool) {
	if e == nil {
		c.miss++
		return Tile{}, false
	}
	c.ll.MoveToFront(e)
	c.hits++
	return e.Value.(*cacheEntry).tile, true
}

// Add stores a tile, evicting the least recently used ones beyond the bound.
func (c *Cache) Add(key string, t Tile) { c.add(key, t, nil) }

func (c *Cache) add(key string, t Tile, req *Request) {
	n := entrySize(key, t)
	if n > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.size -= entrySize(key, e.Value.(*cacheEntry).tile)
		e.Value.(*cacheEntry).tile = t
		e.Value.(*cacheEntry).req = req
		c.size += n
		c.ll.MoveToFront(e)
	} else {
		c.items[key] = c.ll.PushFront(&cacheEntry{key: key, tile: t, req: req})
		c.size += n
	}
	for c.size > c.max {
		e := c.ll.Back()
		ce := e.Value.(*cacheEntry)
		c.ll.Remove(e)
		delete(c.items, ce.key)
		c.size -= entrySize(ce.key, ce.tile)
	}
}

// Stats returns the bytes held, the number of tiles and the hit and miss
// counts.
func (c *Cache) Stats() (bytes int64, tiles int, hits, misses int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.items), c.hits, c.miss
}

// Stats of the set's cache.
func (s *Set) Stats() (bytes int64, tiles int, hits, misses int64) { return s.cache.Stats() }

// recentEntries returns the entries of the most recently used tiles
// cached by their set (with their request), at most n (all when n < 0),
// the most recent first.
func (c *Cache) recentEntries(n int) []cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []cacheEntry
	for e := c.ll.Front(); e != nil && (n < 0 || len(out) < n); e = e.Next() {
		if ce := e.Value.(*cacheEntry); ce.req != nil {
			out = append(out, *ce)
		}
	}
	return out
}

// Prefill fills s's cache from old's, so that the first requests after s
// replaces old (a new data version) find their tiles ready instead of all
// missing at once. The tiles whose layers did not change (same content
// keys, see versions.go) are carried over as they are, without encoding:
// a change rebuilds only the tiles of the layers it touches. Of the
// others, the n most recently used are encoded again. It stops early
// when stop returns true, and returns how many tiles were carried over
// and how many encoded.
func (s *Set) Prefill(old *Set, n int, stop func() bool) (kept, encoded int) {
	reqs := old.cache.recentEntries(-1)
	for i := len(reqs) - 1; i >= 0; i-- { // least recent first: the LRU keeps the order
		e := reqs[i]
		if s.sameLayers(old, e.req.Layers) {
			s.cache.add(e.key, e.tile, e.req)
			kept++
		}
	}
	var redo []Request
	for _, e := range reqs {
		if len(redo) == n {
			break
		}
		if !s.sameLayers(old, e.req.Layers) {
			redo = append(redo, *e.req)
		}
	}
	for i := len(redo) - 1; i >= 0; i-- {
		if stop() {
			break
		}
		_, _ = s.Get(redo[i]) // a request that fails now fails again when asked
		encoded++
	}
	s.cache.mu.Lock()
	s.cache.hits, s.cache.miss = 0, 0
	s.cache.mu.Unlock()
	return kept, encoded
}
