package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/tidwall/rtree"

	"github.com/cartonum/cartonum/internal/cartonum"
	"github.com/cartonum/cartonum/internal/openinghours"
)

// sequentialNew is New as it was before it built its parts concurrently:
// the reference a concurrent build must equal.
func sequentialNew(d Data) *Snapshot {
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
		epcis:         d.EPCIs,
		epciByCode:    make(map[string]*cartonum.EPCI, len(d.EPCIs)),
		departements:  d.Departements,
		deptByCode:    make(map[string]*cartonum.Departement, len(d.Departements)),
		places:        d.Places,
		placeByID:     make(map[string]int, len(d.Places)),
		placeText:     make([]string, len(d.Places)),
		placeKey:      make([]string, len(d.Places)),
		placeDisplay:  make([]string, len(d.Places)),
		hours:         make([]*openinghours.Schedule, len(d.Places)),
		perCommune:    make(map[string]int),
		sourceToID:    make(map[string]string, len(d.Places)),
	}
	for i := range s.communes {
		c := &s.communes[i]
		s.communeByCode[c.Code] = c
		k := cartonum.Key(c.Nom)
		s.communeKeys[i] = k
		s.communeByKey[k] = append(s.communeByKey[k], c)
		s.communeWords[i] = wordKeys(c.Nom)
		s.communeRadius[c.Code] = math.Sqrt(geo.Area(c.Geometry) / math.Pi)
		b := c.Geometry.Bound()
		s.communeTree.Insert(b.Min, b.Max, int32(i))
		s.anchors[c.Code] = anchor(c.Geometry)
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
	sort.Slice(s.places, func(i, j int) bool { return s.places[i].ID < s.places[j].ID })
	for i := range s.places {
		p := &s.places[i]
		s.placeByID[p.ID] = i
		for _, src := range p.Provenance.SourceIDs {
			s.sourceToID[src] = p.ID
		}
		pt := [2]float64{p.Longitude, p.Latitude}
		s.placeTree.Insert(pt, pt, int32(i))
		s.placeText[i] = cartonum.Fold(p.Nom + " " + p.Commune)
		s.placeKey[i] = cartonum.Key(p.Nom)
		s.placeDisplay[i] = DisplayName(p.Nom)
		if p.Horaires != "" {
			s.hours[i], _ = openinghours.Parse(p.Horaires)
		}
		if p.Provenance.OutsideRegion {
			s.outside++
		} else if p.CodeInsee != "" {
			s.perCommune[p.CodeInsee]++
		}
	}
	s.text = &textIndex{bigrams: map[uint16][]int32{}, trigrams: map[uint32][]int32{}}
	s.text.addCommunes(s)
	s.text.addPlaces(s)
	return s
}

// newTestData returns the region's communes (generated ones without the
// mirror), with EPCIs, départements and places in shuffled order carrying
// names in capitals, opening hours (some unreadable), source ids and
// places outside the region.
func newTestData(r *rand.Rand) Data {
	communes := realCommunes()
	if communes == nil {
		communes = syntheticCommunes(r, 3000)
	}
	d := Data{Version: 3, Communes: slices.Clone(communes)}
	d.Departements = []cartonum.Departement{{Code: "02", Nom: "Aisne"}, {Code: "80", Nom: "Somme"}}
	for k := range 40 {
		e := cartonum.EPCI{Code: fmt.Sprintf("2000000%02d", k), Nom: fmt.Sprintf("CC %d", k)}
		for range 30 {
			e.Membres = append(e.Membres, d.Communes[r.IntN(len(d.Communes))].Code)
		}
		d.EPCIs = append(d.EPCIs, e)
	}
	for i := range d.Communes {
		if r.IntN(3) == 0 {
			d.Communes[i].CodeEpci = ""
		}
	}
	hours := []string{"", "Mo-Fr 09:00-12:00,14:00-17:00", "Tu,Th 10:00-18:00; PH off", "24/7", "lundi matin", "Sa 09:00-12:00"}
	names := []string{"CENTRE COMMUNAL D ACTION SOCIALE DE ", "Médiathèque de ", "france_services ", "Point info CIDFF "}
	d.Places = randomPlaces(r, 2500, d.Communes[0].Geometry.Bound().Center(), 1)
	for i := range d.Places {
		p := &d.Places[i]
		c := &d.Communes[r.IntN(len(d.Communes))]
		p.ID = fmt.Sprintf("p%05d", r.IntN(1_000_000))
		p.Nom = names[r.IntN(len(names))] + c.Nom
		p.Commune, p.CodeInsee = c.Nom, c.Code
		p.Horaires = hours[r.IntN(len(hours))]
		p.Provenance.SourceIDs = []string{p.ID, fmt.Sprintf("src-%d", r.IntN(3000))}
		p.Provenance.OutsideRegion = r.IntN(10) == 0
	}
	r.Shuffle(len(d.Places), func(i, j int) { d.Places[i], d.Places[j] = d.Places[j], d.Places[i] })
	return d
}

// clone copies the slices New takes ownership of.
func (d Data) clone() Data {
	d.Communes = slices.Clone(d.Communes)
	d.EPCIs = slices.Clone(d.EPCIs)
	d.Departements = slices.Clone(d.Departements)
	d.Places = slices.Clone(d.Places)
	return d
}

// TestNewMatchesSequential checks that New, which builds its parts
// concurrently, gives the snapshot of a sequential build, field by field,
// whatever the number of processors.
func TestNewMatchesSequential(t *testing.T) {
	d := newTestData(rand.New(rand.NewPCG(4, 9)))
	want := sequentialNew(d.clone())
	want.text.counts = sync.Pool{}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d processors", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			got := New(d.clone())
			got.Complete()
			if n := len(got.text.names); len(*got.text.counts.New().(*[]uint16)) != n {
				t.Fatalf("typo counters of the wrong size, want %d", n)
			}
			got.text.counts = sync.Pool{}
			for _, f := range snapshotFields(got, want) {
				if !reflect.DeepEqual(f.got, f.want) {
					t.Errorf("%s differs from the sequential build", f.name)
				}
			}
		})
	}
}

type snapshotField struct {
	name      string
	got, want any
}

// snapshotFields pairs the fields of two snapshots, to tell which differ.
func snapshotFields(a, b *Snapshot) []snapshotField {
	return []snapshotField{
		{"version", a.version, b.version},
		{"communes", a.communes, b.communes},
		{"communeByCode", a.communeByCode, b.communeByCode},
		{"communeByKey", a.communeByKey, b.communeByKey},
		{"communeTree", treeItems(&a.communeTree), treeItems(&b.communeTree)},
		{"anchors", a.anchors, b.anchors},
		{"communeEPCI", a.communeEPCI, b.communeEPCI},
		{"communeKeys", a.communeKeys, b.communeKeys},
		{"communeWords", a.communeWords, b.communeWords},
		{"communeRadius", a.communeRadius, b.communeRadius},
		{"epcis", a.epcis, b.epcis},
		{"epciByCode", a.epciByCode, b.epciByCode},
		{"departements", a.departements, b.departements},
		{"deptByCode", a.deptByCode, b.deptByCode},
		{"places", a.places, b.places},
		{"placeByID", a.placeByID, b.placeByID},
		{"placeTree", treeItems(&a.placeTree), treeItems(&b.placeTree)},
		{"placeText", a.placeText, b.placeText},
		{"placeKey", a.placeKey, b.placeKey},
		{"placeDisplay", a.placeDisplay, b.placeDisplay},
		{"perCommune", a.perCommune, b.perCommune},
		{"outside", a.outside, b.outside},
		{"sourceToID", a.sourceToID, b.sourceToID},
		{"hours", a.hours, b.hours},
		{"text", a.text, b.text},
	}
}

type treeItem struct {
	min, max [2]float64
	i        int32
}

// treeItems lists the items of an R-tree in the order of its nodes: equal
// for trees of the same shape (the trees themselves hold ids that differ).
func treeItems(tr *rtree.RTreeG[int32]) []treeItem {
	var out []treeItem
	tr.Scan(func(min, max [2]float64, i int32) bool {
		out = append(out, treeItem{min, max, i})
		return true
	})
	return out
}

// BenchmarkNew builds the snapshot of the region's communes (generated ones
// without the mirror) and 2,500 places, as the server does at start and
// after each import.
func BenchmarkNew(b *testing.B) {
	d := newTestData(rand.New(rand.NewPCG(4, 9)))
	b.ReportAllocs()
	for b.Loop() {
		New(d.clone())
	}
}
