package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// manhattan is a routing engine with a known metric: trips follow the
// meridians and parallels (|Δlon|·cos(lat) + |Δlat| in meters) at 1 km
// per minute; a destination east of Wall (when set) cannot be reached. It
// counts the calls and cells asked.
type manhattan struct {
	wall float64
	log  *callLog
}

type callLog struct {
	mu    sync.Mutex
	calls int
	cells int
	asked []Pair
	fail  error
}

func newManhattan() *manhattan { return &manhattan{log: &callLog{}} }

func manhattanTrip(a, b orb.Point) (meters, minutes float64) {
	cos := math.Cos((a[1] + b[1]) / 2 * degToRad)
	meters = (math.Abs(a[0]-b[0])*cos + math.Abs(a[1]-b[1])) * metersPerDegree
	return meters, meters / 1000
}

func (h *manhattan) Matrix(ctx context.Context, src, dst []orb.Point) (*Matrix, error) {
	h.log.mu.Lock()
	h.log.calls++
	h.log.cells += len(src) * len(dst)
	for _, a := range src {
		for _, b := range dst {
			h.log.asked = append(h.log.asked, Pair{a, b})
		}
	}
	fail := h.log.fail
	h.log.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	m := NewMatrix(len(src), len(dst))
	for i, a := range src {
		for j, b := range dst {
			if h.wall != 0 && b[0] > h.wall {
				continue
			}
			m.Meters[i][j], m.Minutes[i][j] = manhattanTrip(a, b)
		}
	}
	return m, nil
}

func (l *callLog) reset() (calls, cells int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	calls, cells = l.calls, l.cells
	l.calls, l.cells, l.asked = 0, 0, nil
	return calls, cells
}

// TestRoutedHandChecked: three people, three sites, Manhattan trips
// worked out by hand.
func TestRoutedHandChecked(t *testing.T) {
	communes := []Commune{square("A", -5, -5, 60, 700)}
	demand := fixedDemand{
		{Commune: 0, Point: eq(1, 1), Population: 100},
		{Commune: 0, Point: eq(5, 0), Population: 200},
		{Commune: 0, Point: eq(30, 0), Population: 400},
	}
	sites := []Site{{ID: "S1", Point: eq(0, 0)}, {ID: "S2", Point: eq(6, 2)}, {ID: "S3", Point: eq(40, 0)}}
	tests := []struct {
		name     string
		k        int
		minutes  []float64
		site     []string
		access   float64 // region, per 10,000
		pairs    int     // plausible pairs asked
		meanMins float64
	}{
		// K=1: S1 for the first (2 km of grid), S2 for the second (1+2),
		// S3 for the third (10); S2 is 24 km from the third, beyond 20.
		{"nearest only", 1, []float64{2, 3, 10}, []string{"S1", "S2", "S3"},
			(100.0/100 + 200.0/200 + 400.0/400) / 700 * 1e4, 3, 4800.0 / 700},
		// K=2: both near sites serve both near people (2, 6 and 5, 3
		// minutes, all in the first band): R = 1/300 each; S3 1/400.
		{"two nearest", 2, []float64{2, 3, 10}, []string{"S1", "S2", "S3"},
			(100*2.0/300 + 200*2.0/300 + 400.0/400) / 700 * 1e4, 5, 4800.0 / 700},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newManhattan()
			p := DefaultParams()
			p.Travel = &Routing{Engine: h, Name: "osrm", Host: "fake:5000", K: tc.k, CutoffKm: 20}
			m := NewModel(communes, sites, demand)
			res, err := m.ComputeContext(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range m.Points(p) {
				if !near(o.Minutes, tc.minutes[i], 1e-6) || o.Site != tc.site[i] {
					t.Errorf("point %d: %v min to %s, want %v to %s", i, o.Minutes, o.Site, tc.minutes[i], tc.site[i])
				}
			}
			if !near(res.Region.Access, tc.access, 1e-9) {
				t.Errorf("access %v, want %v", res.Region.Access, tc.access)
			}
			if !near(res.Region.MeanMinutes, tc.meanMins, 1e-6) {
				t.Errorf("mean minutes %v, want %v", res.Region.MeanMinutes, tc.meanMins)
			}
			if got := res.Params; got.TravelModel != "osrm" || got.TravelEngine != "fake:5000" || got.TravelK != tc.k || got.TravelCutoffKm != 20 {
				t.Errorf("params name %q %q %d %v", got.TravelModel, got.TravelEngine, got.TravelK, got.TravelCutoffKm)
			}
			h.log.mu.Lock()
			asked := len(h.log.asked)
			calls := h.log.calls
			h.log.mu.Unlock()
			// One block: 3 sources × the sites they need.
			if calls != 1 {
				t.Errorf("%d calls, want 1", calls)
			}
			if asked < tc.pairs {
				t.Errorf("%d cells asked, fewer than the %d plausible pairs", asked, tc.pairs)
			}
			h.log.reset()

			// A what-if adds a site 1 km from the third person: only its
			// column is asked, against the people within the cut-off.
			r := m.Scenario(p, Scenario{Add: []Site{{ID: "S4", Point: eq(29, 0)}}})
			if calls, cells := h.log.reset(); calls != 1 || cells != 1 {
				t.Errorf("what-if asked %d calls, %d cells; want 1 call of 1 cell", calls, cells)
			}
			if len(r.Points) != 1 || r.Points[0].Index != 2 || !near(r.Points[0].Minutes, 1, 1e-6) {
				t.Errorf("what-if changed %+v, want the third person at 1 min", r.Points)
			}
			// Removing S1: the first person falls back on S2 (6 min with
			// K=2: a known pair; with K=1 a new one).
			r = m.Scenario(p, Scenario{Remove: []string{"S1"}})
			calls, _ = h.log.reset()
			if want := map[int]int{1: 1, 2: 0}[tc.k]; calls != want {
				t.Errorf("removal asked %d calls, want %d", calls, want)
			}
			if len(r.Points) != 1 || r.Points[0].Index != 0 || !near(r.Points[0].Minutes, 6, 1e-6) {
				t.Errorf("removal changed %+v, want the first person at 6 min", r.Points)
			}
			// The base matrix is built once per site set.
			m.Compute(p)
			if calls, _ := h.log.reset(); calls != 0 {
				t.Errorf("a second computation asked %d calls", calls)
			}
		})
	}
}

// TestRoutedUnreachable: null cells are unreachable, not zero.
func TestRoutedUnreachable(t *testing.T) {
	communes := []Commune{square("A", -5, -5, 60, 300)}
	demand := fixedDemand{{Commune: 0, Point: eq(1, 0), Population: 100}, {Commune: 0, Point: eq(30, 0), Population: 200}}
	sites := []Site{{ID: "S1", Point: eq(0, 0)}, {ID: "S2", Point: eq(31, 0)}}
	h := newManhattan()
	h.wall = kmDeg(30.5) // S2 cannot be reached
	p := DefaultParams()
	p.Travel = &Routing{Engine: h, K: 1, CutoffKm: 20}
	m := NewModel(communes, sites, demand)
	pts := m.Points(p)
	if !pts[0].Reached || pts[1].Reached {
		t.Fatalf("points %+v: the second should reach nothing", pts)
	}
	res := m.Compute(p)
	if res.Region.BeyondPopulation != 200 {
		t.Errorf("beyond %v, want 200", res.Region.BeyondPopulation)
	}
}

// TestRoutedEngineFailure: an engine failure is the request's error (a
// *TravelError), nothing is cached, and the next request asks again.
func TestRoutedEngineFailure(t *testing.T) {
	communes, sites := synthFrance(50, 10, 40, 3)
	h := newManhattan()
	down := fmt.Errorf("%w: connection refused", ErrTravelUnavailable)
	h.log.fail = down
	p := DefaultParams()
	p.Travel = &Routing{Engine: h, Name: "osrm"}
	m := NewModel(communes, sites, Grid{CellMeters: 4000})
	_, err := m.ComputeContext(context.Background(), p)
	var te *TravelError
	if !errors.As(err, &te) || !te.Unavailable() || te.Model != "osrm" {
		t.Fatalf("error %v, want an unavailable *TravelError", err)
	}
	if _, err := m.ScenarioContext(context.Background(), p, Scenario{Add: []Site{{ID: "x", Point: sites[0].Point}}}); !errors.As(err, &te) {
		t.Errorf("scenario error %v, want a *TravelError", err)
	}
	if _, err := m.SitingContext(context.Background(), p, SitingOptions{K: 2}); !errors.As(err, &te) {
		t.Errorf("siting error %v, want a *TravelError", err)
	}
	h.log.mu.Lock()
	h.log.fail = nil
	h.log.mu.Unlock()
	if _, err := m.ComputeContext(context.Background(), p); err != nil {
		t.Fatalf("after the engine is back: %v", err)
	}
}

// routedSynth is a synthetic region under a Manhattan routing.
func routedSynth(seed uint64) ([]Commune, []Site, *Model, Params, *manhattan) {
	communes, sites := synthFrance(300, 50, 90, seed)
	m := NewModel(communes, sites, Grid{CellMeters: 2500})
	h := newManhattan()
	p := DefaultParams()
	p.Travel = &Routing{Engine: h, Name: "osrm", K: 4, CutoffKm: 30, MaxCoordinates: 40}
	return communes, sites, m, p, h
}

// TestRoutedScenarioMatchesFull: the incremental what-if (only the rows
// near a changed site redone, only missing pairs asked) equals the
// scenario evaluated from scratch, every pair asked again.
func TestRoutedScenarioMatchesFull(t *testing.T) {
	communes, sites, m, p, h := routedSynth(11)
	rng := rand.New(rand.NewPCG(7, 7))
	randomSite := func(id string) Site {
		c := communes[rng.IntN(len(communes))]
		return Site{ID: id, Point: c.Geometry[0][0][0]}
	}
	tests := []struct {
		name string
		s    Scenario
	}{
		{"add one", Scenario{Add: []Site{randomSite("n1")}}},
		{"remove one", Scenario{Remove: []string{sites[5].ID}}},
		{"add and remove several", Scenario{Add: []Site{randomSite("n1"), randomSite("n2")},
			Remove: []string{sites[1].ID, sites[2].ID, sites[30].ID}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Scenario(p, tc.s)
			base := m.state(p)
			removed, gone, add := m.scenarioSites(base, tc.s)
			h.log.reset()
			full, err := m.scenarioRouted(context.Background(), base, removed, gone, add, true)
			if err != nil {
				t.Fatal(err)
			}
			want := m.scenarioResult(base, full, nil, gone, add)
			sameResult(t, got.After, want.After, 1e-9)
			if len(got.Points) != len(want.Points) {
				t.Errorf("%d points changed, full recomputation %d", len(got.Points), len(want.Points))
			}
			for k := range min(len(got.Points), len(want.Points)) {
				if got.Points[k] != want.Points[k] {
					t.Errorf("point change %+v, full recomputation %+v", got.Points[k], want.Points[k])
				}
			}
		})
	}
}

// TestRoutedAddingSiteNeverLengthens is the property of the crow-fly
// model under a routing: with one more site, no trip is longer, and the
// trips are those of a brute-force search over the plausible pairs.
func TestRoutedAddingSiteNeverLengthens(t *testing.T) {
	communes, sites, m, p, _ := routedSynth(12)
	rt := routingOf(p.Travel)
	rng := rand.New(rand.NewPCG(9, 9))
	before := m.Points(p)
	pts := m.DemandPoints()
	for trial := range 5 {
		t.Run(fmt.Sprint("trial ", trial), func(t *testing.T) {
			c := communes[rng.IntN(len(communes))]
			extra := Site{ID: "new", Point: c.Geometry[0][0][rng.IntN(len(c.Geometry[0][0]))]}
			r := m.Scenario(p, Scenario{Add: []Site{extra}})
			after := slices.Clone(before)
			for _, ch := range r.Points {
				after[ch.Index].Reached, after[ch.Index].Minutes = ch.Reached, ch.Minutes
			}
			closer := 0
			for i := range before {
				if before[i].Reached && (!after[i].Reached || after[i].Minutes > before[i].Minutes) {
					t.Fatalf("point %d: %v min after adding a site, %v before", i, after[i].Minutes, before[i].Minutes)
				}
				if after[i].Minutes < before[i].Minutes {
					closer++
				}
				// Brute force: the K nearest sites within the cut-off,
				// plus the new one within it.
				want := bruteNearest(pts[i].Point, sites, rt.K, rt.CutoffKm)
				if d := orbDistanceKm(pts[i].Point, extra.Point); d <= rt.CutoffKm {
					_, t2 := manhattanTrip(pts[i].Point, extra.Point)
					want = math.Min(want, t2)
				}
				if !after[i].Reached && !math.IsInf(want, 1) || after[i].Reached && !near(after[i].Minutes, want, 1e-9) {
					t.Fatalf("point %d: %v min (reached %v), brute force %v", i, after[i].Minutes, after[i].Reached, want)
				}
			}
			if closer == 0 {
				t.Error("no point got closer")
			}
		})
	}
}

func orbDistanceKm(a, b orb.Point) float64 { return chordMeters(chord2(toVec(a), toVec(b))) / 1000 }

// bruteNearest is the shortest Manhattan trip from p to its k nearest
// sites (straight line) within cutKm.
func bruteNearest(p orb.Point, sites []Site, k int, cutKm float64) float64 {
	type sd struct {
		i int
		d float64
	}
	var c []sd
	for i, s := range sites {
		if d := orbDistanceKm(p, s.Point); d <= cutKm {
			c = append(c, sd{i, d})
		}
	}
	slices.SortFunc(c, func(a, b sd) int {
		if a.d != b.d {
			return cmpFloat(a.d, b.d)
		}
		return a.i - b.i
	})
	best := math.Inf(1)
	for _, x := range c[:min(k, len(c))] {
		_, t := manhattanTrip(p, sites[x.i].Point)
		best = math.Min(best, t)
	}
	return best
}

// TestRoutedPairs: the matrix holds exactly each point's K nearest sites
// within the cut-off, the blocks respect MaxCoordinates, and far fewer
// cells are asked than all pairs.
func TestRoutedPairs(t *testing.T) {
	_, _, m, p, h := routedSynth(13)
	h.log.reset()
	m.Compute(p)
	st := m.state(p)
	mx := st.eng.mx
	rt := routingOf(p.Travel)
	cut2 := metersChord(rt.CutoffKm * 1000)
	for i := range m.points {
		var want []nb
		for j := range st.eng.set.ids {
			if d2 := chord2(m.pvec[i], m.svec[st.eng.set.ids[j]]); d2 <= cut2 {
				want = append(want, nb{int32(j), d2})
			}
		}
		slices.SortFunc(want, cmpNb)
		want = want[:min(rt.K, len(want))]
		got := mx.site[mx.start[i]:mx.start[i+1]]
		if len(got) != len(want) {
			t.Fatalf("point %d: %d plausible sites, want %d", i, len(got), len(want))
		}
		for k := range want {
			if got[k] != want[k].j {
				t.Fatalf("point %d: sites %v, want %v", i, got, want)
			}
		}
	}
	h.log.mu.Lock()
	defer h.log.mu.Unlock()
	asked := map[Pair]bool{}
	for _, pr := range h.log.asked {
		asked[pr] = true
	}
	for i := range m.points {
		for q := mx.start[i]; q < mx.start[i+1]; q++ {
			if !asked[Pair{m.points[i].Point, m.sites[st.eng.set.ids[mx.site[q]]].Point}] {
				t.Fatalf("pair of point %d never asked", i)
			}
		}
	}
	all := len(m.points) * len(m.sites)
	t.Logf("%d points × %d sites = %d pairs; %d plausible, %d cells asked in %d calls", len(m.points), len(m.sites), all, len(mx.site), h.log.cells, h.log.calls)
	if h.log.cells >= all/2 {
		t.Errorf("%d cells asked of %d pairs", h.log.cells, all)
	}
}

func TestMakeBlocks(t *testing.T) {
	var pairs []Pair
	for i := range 30 {
		for j := range 7 {
			pairs = append(pairs, Pair{From: orb.Point{float64(i) * 0.01, 0}, To: orb.Point{float64(i+j) * 0.01, 1}})
		}
	}
	for _, max := range []int{2, 5, 8, 20, 100} {
		t.Run(fmt.Sprint("max ", max), func(t *testing.T) {
			idx := make([]int, len(pairs))
			for k := range idx {
				idx[k] = k
			}
			seen := make([]int, len(pairs))
			for _, b := range makeBlocks(pairs, idx, max) {
				if len(b.src)+len(b.dst) > max {
					t.Errorf("block of %d + %d coordinates, max %d", len(b.src), len(b.dst), max)
				}
				for _, c := range b.cells {
					if b.src[c.src] != pairs[c.pair].From || b.dst[c.dst] != pairs[c.pair].To {
						t.Fatalf("cell %+v does not hold pair %d", c, c.pair)
					}
					seen[c.pair]++
				}
			}
			for k, n := range seen {
				if n != 1 {
					t.Fatalf("pair %d in %d blocks", k, n)
				}
			}
		})
	}
}

// TestRoutedSitingMatchesScenario: under a routing, the people a proposal
// brings within the threshold are those the scenario adding it takes out
// of the white zone, and the engine is asked only about the candidates'
// pairs.
func TestRoutedSitingMatchesScenario(t *testing.T) {
	_, _, m, p, h := routedSynth(14)
	p.ThresholdMin = 12
	before := m.Compute(p)
	if before.Region.BeyondPopulation == 0 {
		t.Fatal("nobody beyond the threshold: nothing to site")
	}
	h.log.reset()
	props := m.Siting(p, SitingOptions{K: 1})
	if len(props) != 1 {
		t.Fatalf("%d proposals", len(props))
	}
	if calls, _ := h.log.reset(); calls == 0 {
		t.Error("siting asked the engine nothing")
	}
	r := m.Scenario(p, Scenario{Add: []Site{{ID: "proposal", Point: props[0].Point}}})
	got := before.Region.BeyondPopulation - r.After.Region.BeyondPopulation
	if !near(got, props[0].NewlyCovered, 1e-9) {
		t.Errorf("the scenario covers %v more people, the proposal %v", got, props[0].NewlyCovered)
	}
}
