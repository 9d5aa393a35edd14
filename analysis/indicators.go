package analysis

import (
	"cmp"
	"math"
	"slices"
)

// Levels of territory.
const (
	LevelCommune     = "commune"
	LevelEPCI        = "epci"
	LevelDepartement = "departement"
	LevelRegion      = "region"
	// LevelNational is the whole loaded territory when it spans several
	// regions: Result.Region then has this level and NationalCode.
	LevelNational = "national"
)

// NationalCode is the code of the national total (LevelNational).
const NationalCode = "FR"

// Names of the national total: France when every region is loaded
// (Model.NameNational), the set of loaded regions otherwise.
const (
	NationalNameAll  = "France"
	NationalNameSome = "Ensemble des régions"
)

// Names of the ranked indicators, keys of Indicators.Rank.
const (
	RankSitesPer10k = "sites_per_10k"
	RankMeanMinutes = "mean_minutes"
	RankBeyondShare = "beyond_share"
	RankAccess      = "access"
)

// Indicators describe how well a territory is served. Travel figures are
// population-weighted over its demand points and measure the trip to the
// nearest matching site; they cover the population that reaches a site at
// all (everyone, unless no site matches or a Travel finds none reachable).
type Indicators struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	// Name is the territory's name (Commune.Name, EPCIName,
	// DepartementName, RegionName; "Région" for a region without a name;
	// the national name for the national total), empty when unknown.
	Name       string  `json:"name,omitempty"`
	Population float64 `json:"population"`
	// Sites counts the matching sites located in the territory.
	Sites       int     `json:"sites"`
	SitesPer10k float64 `json:"sites_per_10k"`
	MeanMinutes float64 `json:"mean_minutes"`
	P90Minutes  float64 `json:"p90_minutes"`
	MeanKm      float64 `json:"mean_km"`
	P90Km       float64 `json:"p90_km"`
	// BeyondPopulation lives more than ThresholdMin from a site: the
	// white zone.
	BeyondPopulation float64 `json:"beyond_population"`
	BeyondShare      float64 `json:"beyond_share"`
	// Access is the population-weighted E2SFCA score: sites per 10,000
	// inhabitants within reach, decayed by travel-time bands.
	Access float64 `json:"access"`
	// Fragility is the territory's digital-fragility score: its
	// communes' scores averaged weighted by their legal population, over
	// those that have one; 0 when none has (see Priority).
	Fragility float64 `json:"fragility"`
	// Rank is the territory's rank within its level for each of
	// RankSitesPer10k, RankMeanMinutes, RankBeyondShare and RankAccess,
	// 1 being the best served.
	Rank map[string]int `json:"rank"`
}

// Result holds the indicators of every territory for one request, in code
// order, with the request's parameters after defaults. Regions has one row
// per region of the communes (Commune.Region), ranked like the
// départements. Region is the whole loaded territory, the total of
// scenarios and priorities: with one region its level is LevelRegion and it
// equals Regions[0]; with several its level is LevelNational and its code
// NationalCode.
type Result struct {
	Params       Params       `json:"params"`
	Communes     []Indicators `json:"communes"`
	EPCI         []Indicators `json:"epci"`
	Departements []Indicators `json:"departements"`
	Regions      []Indicators `json:"regions"`
	Region       Indicators   `json:"region"`
}

// tally holds the population-weighted sums of a territory.
type tally struct {
	pop    float64 // population
	reach  float64 // population that reaches a site
	min    float64 // Σ P·minutes over reach
	meters float64 // Σ P·meters over reach
	beyond float64 // population beyond the threshold
	acc    float64 // Σ P·A
	sites  int
}

func (t *tally) add(o tally) {
	t.pop += o.pop
	t.reach += o.reach
	t.min += o.min
	t.meters += o.meters
	t.beyond += o.beyond
	t.acc += o.acc
	t.sites += o.sites
}

func (t tally) indicators(level, code, name string) Indicators {
	in := Indicators{Level: level, Code: code, Name: name, Population: t.pop, Sites: t.sites, BeyondPopulation: t.beyond}
	if t.pop > 0 {
		in.SitesPer10k = float64(t.sites) / t.pop * 1e4
		in.BeyondShare = t.beyond / t.pop
		in.Access = t.acc / t.pop * 1e4
	}
	if t.reach > 0 {
		in.MeanMinutes = t.min / t.reach
		in.MeanKm = t.meters / t.reach / 1000
	}
	return in
}

// vw is a value and its weight.
type vw struct{ v, w float64 }

// aggregate fills st.tallies and st.res. With prev set, only the communes
// flagged in dirty are recounted, and the groups that hold them; the other
// indicators are copied from prev.
func (m *Model) aggregate(st *state, prev *state, dirty []bool) {
	thr := st.eng.p.ThresholdMin
	nc := len(m.communes)
	res := &Result{Params: st.eng.p}
	res.Communes = make([]Indicators, nc)
	st.tallies = make([]tally, nc)
	todo := func(c int) bool { return prev == nil || dirty[c] }

	parallelFor(nc, 64, func(lo, hi int) {
		var buf []vw
		for c := lo; c < hi; c++ {
			cm := &m.communes[c]
			if !todo(c) {
				st.tallies[c] = prev.tallies[c]
				st.tallies[c].sites = st.siteCount[c]
				in := prev.res.Communes[c]
				in.Sites = st.siteCount[c]
				if in.Population > 0 {
					in.SitesPer10k = float64(in.Sites) / in.Population * 1e4
				}
				res.Communes[c] = in
				continue
			}
			var t tally
			for i := m.cstart[c]; i < m.cstart[c+1]; i++ {
				t.addPoint(st, int(i), thr)
			}
			t.sites = st.siteCount[c]
			st.tallies[c] = t
			in := t.indicators(LevelCommune, cm.Code, cm.Name)
			buf = m.quantiles(st, &in, [][2]int32{{m.cstart[c], m.cstart[c+1]}}, buf)
			res.Communes[c] = in
		}
	})

	groups := func(level string, gs []group, prevIn []Indicators) []Indicators {
		out := make([]Indicators, len(gs))
		parallelFor(len(gs), 1, func(lo, hi int) {
			var buf []vw
			var spans [][2]int32
			for g := lo; g < hi; g++ {
				var t tally
				changed := prev == nil
				spans = spans[:0]
				for _, c := range gs[g].communes {
					t.add(st.tallies[c])
					changed = changed || dirty[c]
					spans = append(spans, [2]int32{m.cstart[c], m.cstart[c+1]})
				}
				in := t.indicators(level, gs[g].code, gs[g].name)
				if changed {
					buf = m.quantiles(st, &in, spans, buf)
				} else {
					in.P90Minutes, in.P90Km = prevIn[g].P90Minutes, prevIn[g].P90Km
				}
				out[g] = in
			}
		})
		return out
	}
	var prevE, prevD, prevR []Indicators
	if prev != nil {
		prevE, prevD, prevR = prev.res.EPCI, prev.res.Departements, prev.res.Regions
	}
	res.EPCI = groups(LevelEPCI, m.epci, prevE)
	res.Departements = groups(LevelDepartement, m.deps, prevD)
	if m.National() {
		res.Regions = groups(LevelRegion, m.regions, prevR)
	}

	var t tally
	changed := prev == nil
	for c := range st.tallies {
		t.add(st.tallies[c])
		changed = changed || dirty[c]
	}
	level, code, name := m.total()
	res.Region = t.indicators(level, code, name)
	if changed {
		m.quantiles(st, &res.Region, [][2]int32{{0, int32(len(m.points))}}, nil)
	} else {
		res.Region.P90Minutes, res.Region.P90Km = prev.res.Region.P90Minutes, prev.res.Region.P90Km
	}

	m.fillFragility(res)
	rank(res.Communes)
	rank(res.EPCI)
	rank(res.Departements)
	rank(res.Regions)
	res.Region.Rank = map[string]int{RankSitesPer10k: 1, RankMeanMinutes: 1, RankBeyondShare: 1, RankAccess: 1}
	if !m.National() {
		// One region (or communes without one): its row is the total.
		res.Regions = []Indicators{res.Region}
	}
	st.res = res
}

func (t *tally) addPoint(st *state, i int, thr float64) {
	p := st.eng.w[i]
	t.pop += p
	t.acc += p * st.access[i]
	if st.minutes[i] > thr {
		t.beyond += p
	}
	if !math.IsInf(st.minutes[i], 1) {
		t.reach += p
		t.min += p * st.minutes[i]
		t.meters += p * st.meters[i]
	}
}

// quantiles sets the 90th percentiles of the points in spans. buf is
// scratch space, returned for reuse, grown at once to the points' number.
func (m *Model) quantiles(st *state, in *Indicators, spans [][2]int32, buf []vw) []vw {
	n := 0
	for _, s := range spans {
		n += int(s[1] - s[0])
	}
	if cap(buf) < n {
		buf = make([]vw, 0, n)
	}
	for _, km := range []bool{false, true} {
		buf = buf[:0]
		total := 0.0
		for _, s := range spans {
			for i := s[0]; i < s[1]; i++ {
				if p := st.eng.w[i]; p > 0 && !math.IsInf(st.minutes[i], 1) {
					v := st.minutes[i]
					if km {
						v = st.meters[i] / 1000
					}
					buf = append(buf, vw{v, p})
					total += p
				}
			}
		}
		q := weightedQuantile(buf, 0.9, total)
		if km {
			in.P90Km = q
		} else {
			in.P90Minutes = q
		}
	}
	return buf
}

// weightedQuantile returns the smallest value v such that the points of
// value at most v weigh at least q·total (a relative 1e-9 is forgiven for
// rounding), or 0 for no points. It reorders s (three-way quickselect).
func weightedQuantile(s []vw, q, total float64) float64 {
	if len(s) == 0 {
		return 0
	}
	target := q*total - 1e-9*total
	acc := 0.0 // weight of the values below the window
	lo, hi := 0, len(s)
	for hi-lo > 1 {
		a, b, c := s[lo].v, s[lo+(hi-lo)/2].v, s[hi-1].v
		p := b
		if (a <= b) != (a <= c) {
			p = a
		} else if (c <= a) != (c <= b) {
			p = c
		}
		// Dutch flag: [lo,lt) < p, [lt,gt) == p, [gt,hi) > p.
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := s[i].v; {
			case v < p:
				s[lt], s[i] = s[i], s[lt]
				lt++
				i++
			case v > p:
				gt--
				s[gt], s[i] = s[i], s[gt]
			default:
				i++
			}
		}
		wl, we := 0.0, 0.0
		for _, x := range s[lo:lt] {
			wl += x.w
		}
		for _, x := range s[lt:gt] {
			we += x.w
		}
		switch {
		case lt > lo && acc+wl >= target:
			hi = lt
		case acc+wl+we >= target || gt == hi:
			return p
		default:
			acc += wl + we
			lo = gt
		}
	}
	return s[lo].v
}

// rank fills the Rank of each territory of a level.
func rank(items []Indicators) {
	for k := range items {
		items[k].Rank = make(map[string]int, 4)
	}
	type key struct {
		name   string
		value  func(*Indicators) float64
		higher bool
	}
	keys := []key{
		{RankSitesPer10k, func(in *Indicators) float64 { return in.SitesPer10k }, true},
		{RankMeanMinutes, func(in *Indicators) float64 { return in.MeanMinutes }, false},
		{RankBeyondShare, func(in *Indicators) float64 { return in.BeyondShare }, false},
		{RankAccess, func(in *Indicators) float64 { return in.Access }, true},
	}
	order := make([]int, len(items))
	vals := make([]float64, len(items))
	for _, k := range keys {
		populated := 0
		for i := range items {
			order[i] = i
			in := &items[i]
			v := k.value(in)
			if k.higher {
				v = -v
			}
			if k.name == RankMeanMinutes && in.BeyondPopulation > 0 && in.MeanMinutes == 0 {
				v = math.Inf(1) // nobody reaches a site
			}
			vals[i] = v
			if in.Population > 0 {
				populated++
			}
		}
		slices.SortFunc(order, func(a, b int) int {
			pa, pb := items[a].Population > 0, items[b].Population > 0
			if pa != pb {
				if pa {
					return -1
				}
				return 1
			}
			if c := cmp.Compare(vals[a], vals[b]); c != 0 && pa {
				return c
			}
			return cmp.Compare(items[a].Code, items[b].Code)
		})
		for pos, i := range order {
			r := pos + 1
			switch {
			case items[i].Population <= 0:
				r = populated + 1
			case pos > 0 && vals[order[pos-1]] == vals[i]:
				r = items[order[pos-1]].Rank[k.name]
			}
			items[i].Rank[k.name] = r
		}
	}
}
