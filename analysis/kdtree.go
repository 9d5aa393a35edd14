package analysis

import (
	"math"
	"sync"
)

// kdtree is a static 3-D k-d tree over unit vectors, stored implicitly: the
// node of the range [lo, hi) is the point at (lo+hi)/2, its left subtree
// [lo, mid) and right subtree [mid+1, hi). Small ranges are scanned.
type kdtree struct {
	pts  []vec3
	idx  []int32 // the caller's index of each stored point
	axis []uint8 // split axis of the node at each position
}

const (
	kdLeaf     = 8
	kdParallel = 1 << 15 // ranges at least this large build their halves concurrently
)

// newKDTree indexes pts; queries report positions in pts.
func newKDTree(pts []vec3) *kdtree {
	t := &kdtree{
		pts:  make([]vec3, len(pts)),
		idx:  make([]int32, len(pts)),
		axis: make([]uint8, len(pts)),
	}
	copy(t.pts, pts)
	for i := range t.idx {
		t.idx[i] = int32(i)
	}
	var wg sync.WaitGroup
	t.build(0, len(pts), &wg)
	wg.Wait()
	return t
}

func (t *kdtree) build(lo, hi int, wg *sync.WaitGroup) {
	for hi-lo > kdLeaf {
		// Split on the axis of largest spread.
		var mn, mx vec3
		mn, mx = t.pts[lo], t.pts[lo]
		for _, p := range t.pts[lo+1 : hi] {
			for a := range 3 {
				mn[a] = math.Min(mn[a], p[a])
				mx[a] = math.Max(mx[a], p[a])
			}
		}
		a := 0
		for k := 1; k < 3; k++ {
			if mx[k]-mn[k] > mx[a]-mn[a] {
				a = k
			}
		}
		m := (lo + hi) / 2
		t.selectK(lo, hi, m, a)
		t.axis[m] = uint8(a)
		if m-lo >= kdParallel {
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				t.build(lo, hi, wg)
			}(lo, m)
		} else {
			t.build(lo, m, wg)
		}
		lo = m + 1
	}
}

// selectK reorders [lo, hi) so that position k holds the point it would hold
// if the range were sorted on axis a, smaller or equal ones before it and
// greater or equal ones after it (Hoare's selection).
func (t *kdtree) selectK(lo, hi, k, a int) {
	hi-- // inclusive
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three as pivot
		x, y, z := t.pts[lo][a], t.pts[mid][a], t.pts[hi][a]
		p := y
		if (x <= y) == (y <= z) {
			p = y
		} else if (y <= x) == (x <= z) {
			p = x
		} else {
			p = z
		}
		i, j := lo, hi
		for i <= j {
			for t.pts[i][a] < p {
				i++
			}
			for t.pts[j][a] > p {
				j--
			}
			if i <= j {
				t.swap(i, j)
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

func (t *kdtree) swap(i, j int) {
	t.pts[i], t.pts[j] = t.pts[j], t.pts[i]
	t.idx[i], t.idx[j] = t.idx[j], t.idx[i]
}

// within calls fn, in a fixed order, with the index and squared chord of
// every point within r2 of q.
func (t *kdtree) within(q vec3, r2 float64, fn func(i int32, d2 float64)) {
	t.rangeQuery(0, len(t.pts), q, r2, fn)
}

func (t *kdtree) rangeQuery(lo, hi int, q vec3, r2 float64, fn func(int32, float64)) {
	for {
		if hi-lo <= kdLeaf {
			for i := lo; i < hi; i++ {
				if d2 := chord2(q, t.pts[i]); d2 <= r2 {
					fn(t.idx[i], d2)
				}
			}
			return
		}
		m := (lo + hi) / 2
		p := &t.pts[m]
		if d2 := chord2(q, *p); d2 <= r2 {
			fn(t.idx[m], d2)
		}
		diff := q[t.axis[m]] - p[t.axis[m]]
		left := diff <= 0 || diff*diff <= r2
		right := diff >= 0 || diff*diff <= r2
		switch {
		case left && right:
			t.rangeQuery(lo, m, q, r2, fn)
			lo = m + 1
		case left:
			hi = m
		default:
			lo = m + 1
		}
	}
}

// nearest returns the index and squared chord of the point nearest to q
// among those skip does not reject (skip may be nil), the lowest index
// among equally near ones; -1 when there is none.
func (t *kdtree) nearest(q vec3, skip func(int32) bool) (int32, float64) {
	s := nnSearch{t: t, q: q, skip: skip, best: -1, bestD2: math.Inf(1)}
	s.search(0, len(t.pts))
	return s.best, s.bestD2
}

type nnSearch struct {
	t      *kdtree
	q      vec3
	skip   func(int32) bool
	best   int32
	bestD2 float64
}

func (s *nnSearch) offer(pos int) {
	i := s.t.idx[pos]
	d2 := chord2(s.q, s.t.pts[pos])
	if d2 < s.bestD2 || (d2 == s.bestD2 && i < s.best) {
		if s.skip == nil || !s.skip(i) {
			s.best, s.bestD2 = i, d2
		}
	}
}

func (s *nnSearch) search(lo, hi int) {
	if hi-lo <= kdLeaf {
		for i := lo; i < hi; i++ {
			s.offer(i)
		}
		return
	}
	m := (lo + hi) / 2
	s.offer(m)
	a := s.t.axis[m]
	diff := s.q[a] - s.t.pts[m][a]
	if diff <= 0 {
		s.search(lo, m)
		if diff*diff <= s.bestD2 {
			s.search(m+1, hi)
		}
	} else {
		s.search(m+1, hi)
		if diff*diff <= s.bestD2 {
			s.search(lo, m)
		}
	}
}
