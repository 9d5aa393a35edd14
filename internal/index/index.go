// Package index is Cartonum's in-memory spatial index: an immutable
// snapshot of the places and the region's communes in R-trees
// (github.com/tidwall/rtree), with exact point-in-polygon tests after the
// bounding-box search, swapped atomically when the data changes.
package index

import (
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// Snapshot is one immutable state of the data. Its methods are safe for
// concurrent use; nothing it returns may be modified.
type Snapshot struct {
	version int64

	communes      []cartonum.Commune
	communeByCode map[string]*cartonum.Commune
	communeByKey  map[string][]*cartonum.Commune
	communeTree   rtree.RTreeG[int32]
	anchors       map[string]orb.Point
	interior      []orb.Point // analysis.InteriorPoint of each commune, same order as communes
	communeEPCI   map[string]string
	communeKeys   []string           // matching key of each commune's name, same order as communes
	communeWords  [][]string         // matching keys of the words of each commune's name after the first
	communeRadius map[string]float64 // radius in metres of the disc of each commune's area

	epcis        []cartonum.EPCI
	epciByCode   map[string]*cartonum.EPCI
	departements []cartonum.Departement
	deptByCode   map[string]*cartonum.Departement

	places       []cartonum.Place
	placeByID    map[string]int
	placeTree    rtree.RTreeG[int32]
	placeText    []string                 // folded name and commune of each place
	placeKey     []string                 // matching key of each place's name, for sorting
	placeDisplay []string                 // display name of each place (DisplayName); built by placeExtras
	perCommune   map[string]int           // number of places per commune code
	outside      int                      // places outside the region (neighbouring supply)
	sourceToID   map[string]string        // every source id to its place id
	hours        []*openinghours.Schedule // parsed opening hours of each place, nil when missing or unreadable; built by placeExtras
	extrasOnce   sync.Once

	// text holds the search box indexes over communes and places, built on
	// first use or by Complete (searchIndex).
	textOnce sync.Once
	text     *textIndex
}

// Data is what a snapshot is built from.
type Data struct {
	Version      int64
	Communes     []cartonum.Commune
	EPCIs        []cartonum.EPCI
	Departements []cartonum.Departement
	Places       []cartonum.Place
}

// New builds a snapshot. It takes ownership of the slices in d. Its
// independent parts (what is derived from each commune and each place, then
// the communes' and the places' maps and R-trees) are built concurrently;
// the snapshot is the same as a sequential build's. The search indexes and
// the places' display names and opening hours are built at their first use
// or by Complete.
func New(d Data) *Snapshot {
	s := &Snapshot{
		version:       d.Version,
		communes:      d.Communes,
		communeByCode: make(map[string]*cartonum.Commune, len(d.Communes)),
		communeByKey:  make(map[string][]*cartonum.Commune, len(d.Communes)),
		anchors:       make(map[string]orb.Point, len(d.Communes)),
		communeEPCI:   make(map[string]string, len(d.Communes)),
		communeKeys:   make([]string, len(d.Communes)),
		communeWords:  make([][]string, len(d.Communes)),
		communeRadius: make(map[string]float64, len(d.Communes)),
		interior:      make([]orb.Point, len(d.Communes)),
		epcis:         d.EPCIs,
		epciByCode:    make(map[string]*cartonum.EPCI, len(d.EPCIs)),
		departements:  d.Departements,
		deptByCode:    make(map[string]*cartonum.Departement, len(d.Departements)),
		places:        d.Places,
		placeByID:     make(map[string]int, len(d.Places)),
		placeText:     make([]string, len(d.Places)),
		placeKey:      make([]string, len(d.Places)),
		perCommune:    make(map[string]int),
		sourceToID:    make(map[string]string, len(d.Places)),
	}
	sort.Slice(s.places, func(i, j int) bool { return s.places[i].ID < s.places[j].ID })

	// What each commune and each place gives on its own, in parallel.
	type derived struct {
		bound  orb.Bound
		anchor orb.Point
		radius float64
	}
	cd := make([]derived, len(s.communes))
	forEach(len(s.communes), 512, func(i int) {
		c := &s.communes[i]
		s.communeKeys[i] = cartonum.Key(c.Nom)
		s.communeWords[i] = wordKeys(c.Nom)
		cd[i] = derived{bound: c.Geometry.Bound(), anchor: anchor(c.Geometry), radius: math.Sqrt(geo.Area(c.Geometry) / math.Pi)}
	})
	forEach(len(s.places), 512, func(i int) {
		p := &s.places[i]
		s.placeText[i] = cartonum.Fold(p.Nom + " " + p.Commune)
		s.placeKey[i] = cartonum.Key(p.Nom)
	})

	// The communes' structures and the places' share nothing: one
	// goroutine each. The search indexes, the places' display names and
	// opening hours are built on first use (or by Complete).
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range s.places {
			p := &s.places[i]
			s.placeByID[p.ID] = i
			for _, src := range p.Provenance.SourceIDs {
				s.sourceToID[src] = p.ID
			}
			pt := [2]float64{p.Longitude, p.Latitude}
			s.placeTree.Insert(pt, pt, int32(i))
			if p.Provenance.OutsideRegion {
				s.outside++
			} else if p.CodeInsee != "" {
				s.perCommune[p.CodeInsee]++
			}
		}
	}()
	for i := range s.communes {
		c := &s.communes[i]
		s.communeByCode[c.Code] = c
		k := s.communeKeys[i]
		s.communeByKey[k] = append(s.communeByKey[k], c)
		s.communeRadius[c.Code] = cd[i].radius
		s.communeTree.Insert(cd[i].bound.Min, cd[i].bound.Max, int32(i))
		s.anchors[c.Code] = cd[i].anchor
		s.interior[i] = cd[i].anchor
		if c.CodeEpci != "" {
			s.communeEPCI[c.Code] = c.CodeEpci
		}
	}
	for i := range s.epcis {
		e := &s.epcis[i]
		s.epciByCode[e.Code] = e
		for _, m := range e.Membres {
			if _, ok := s.communeEPCI[m]; !ok {
				s.communeEPCI[m] = e.Code
			}
		}
	}
	for i := range s.departements {
		s.deptByCode[s.departements[i].Code] = &s.departements[i]
	}
	wg.Wait()
	return s
}

// placeExtras builds, on its first call, the places' display names and
// opening hours, which only requests read. Later calls, and those made
// meanwhile, wait for it.
func (s *Snapshot) placeExtras() {
	s.extrasOnce.Do(func() {
		s.placeDisplay = make([]string, len(s.places))
		s.hours = make([]*openinghours.Schedule, len(s.places))
		forEach(len(s.places), 512, func(i int) {
			p := &s.places[i]
			s.placeDisplay[i] = DisplayName(p.Nom)
			if p.Horaires != "" {
				s.hours[i], _ = openinghours.Parse(p.Horaires)
			}
		})
	})
}

// searchIndex returns the search box indexes, built by the first caller
// (the communes' and the places' on two goroutines); the others wait for
// it.
func (s *Snapshot) searchIndex() *textIndex {
	s.textOnce.Do(func() {
		t := &textIndex{bigrams: map[uint16][]int32{}, trigrams: map[uint32][]int32{}}
		done := make(chan struct{})
		go func() {
			defer close(done)
			t.addCommunes(s)
		}()
		t.addPlaces(s)
		<-done
		s.text = t
	})
	return s.text
}

// Complete builds now what the snapshot otherwise builds on first use
// (the search box indexes, the places' display names and opening hours: a
// few hundred milliseconds of CPU nationally), so that no request waits
// for it: a server's first generation has it done after its start, the
// others before they are published.
func (s *Snapshot) Complete() {
	s.searchIndex()
	s.placeExtras()
}

// forEach calls fn for every i in [0, n), in chunks of grain spread over
// GOMAXPROCS goroutines.
func forEach(n, grain int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+grain-1)/grain)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(int64(grain))) - grain
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+grain, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

// Hours returns the parsed opening hours of a place of the snapshot, nil
// when they are missing or unreadable.
func (s *Snapshot) Hours(p *cartonum.Place) *openinghours.Schedule {
	i, ok := s.placeByID[p.ID]
	if !ok {
		return nil
	}
	s.placeExtras()
	return s.hours[i]
}

// DisplayName returns the name of a place of the snapshot normalised for
// reading (DisplayName, computed once per snapshot).
func (s *Snapshot) DisplayName(p *cartonum.Place) string {
	if i, ok := s.placeByID[p.ID]; ok && s.places[i].Nom == p.Nom {
		s.placeExtras()
		return s.placeDisplay[i]
	}
	return DisplayName(p.Nom)
}

// Version is the data version the snapshot was built from.
func (s *Snapshot) Version() int64 { return s.version }

// CommuneAt returns the commune whose contour contains p.
func (s *Snapshot) CommuneAt(p orb.Point) (*cartonum.Commune, bool) {
	var found *cartonum.Commune
	s.communeTree.Search(p, p, func(_, _ [2]float64, i int32) bool {
		if c := &s.communes[i]; planar.MultiPolygonContains(c.Geometry, p) {
			found = c
			return false
		}
		return true
	})
	return found, found != nil
}

// CommunesIntersecting calls fn with the index (in Communes order) of every
// commune whose bounding box intersects b, until fn returns false.
func (s *Snapshot) CommunesIntersecting(b orb.Bound, fn func(i int) bool) {
	s.communeTree.Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool { return fn(int(i)) })
}

// Commune returns the commune with this INSEE code.
func (s *Snapshot) Commune(code string) (*cartonum.Commune, bool) {
	c, ok := s.communeByCode[code]
	return c, ok
}

// CommunesNamed returns the communes whose name has the matching key.
func (s *Snapshot) CommunesNamed(key string) []*cartonum.Commune { return s.communeByKey[key] }

// Anchor returns a point inside the commune, where places known only by
// their commune are drawn.
func (s *Snapshot) Anchor(code string) (orb.Point, bool) {
	p, ok := s.anchors[code]
	return p, ok
}

// Interior returns analysis.InteriorPoint of the geometry of Communes()[i],
// computed once per snapshot (the analysis model takes it).
func (s *Snapshot) Interior(i int) orb.Point { return s.interior[i] }

// Communes returns every commune, ordered by code.
func (s *Snapshot) Communes() []cartonum.Commune { return s.communes }

// EPCIs returns every EPCI, ordered by code.
func (s *Snapshot) EPCIs() []cartonum.EPCI { return s.epcis }

// EPCI returns the EPCI with this SIREN code.
func (s *Snapshot) EPCI(code string) (*cartonum.EPCI, bool) {
	e, ok := s.epciByCode[code]
	return e, ok
}

// EPCIOf returns the code of the EPCI a commune belongs to.
func (s *Snapshot) EPCIOf(commune string) string { return s.communeEPCI[commune] }

// Departements returns every département, ordered by code.
func (s *Snapshot) Departements() []cartonum.Departement { return s.departements }

// Departement returns the département with this code.
func (s *Snapshot) Departement(code string) (*cartonum.Departement, bool) {
	d, ok := s.deptByCode[code]
	return d, ok
}

// Places returns every place, ordered by id.
func (s *Snapshot) Places() []cartonum.Place { return s.places }

// Place returns a place by its id, or by the id of any record merged into it.
func (s *Snapshot) Place(id string) (*cartonum.Place, bool) {
	if i, ok := s.placeByID[id]; ok {
		return &s.places[i], true
	}
	if pid, ok := s.sourceToID[id]; ok {
		return &s.places[s.placeByID[pid]], true
	}
	return nil, false
}

// OutsideRegion returns the number of places outside the region, kept as
// neighbouring supply: they are found by position and count in travel
// times, not in the region's counts.
func (s *Snapshot) OutsideRegion() int { return s.outside }

// PlacesIn returns the number of places in a commune.
func (s *Snapshot) PlacesIn(commune string) int { return s.perCommune[commune] }

// anchor returns a point inside a multipolygon: the analysis's interior
// point, so that a place known only by its commune and the commune's
// demand point are the same point.
func anchor(mp orb.MultiPolygon) orb.Point { return analysis.InteriorPoint(mp) }

// Index holds the current snapshot; readers never wait for writers.
type Index struct {
	cur atomic.Pointer[Snapshot]
}

// NewIndex returns an index serving s.
func NewIndex(s *Snapshot) *Index {
	i := &Index{}
	i.cur.Store(s)
	return i
}

// Current returns the snapshot to use for one request.
func (i *Index) Current() *Snapshot { return i.cur.Load() }

// Swap replaces the snapshot atomically.
func (i *Index) Swap(s *Snapshot) { i.cur.Store(s) }
