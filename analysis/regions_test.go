package analysis

import (
	"context"
	"testing"
)

// twoRegions is four communes on the equator, two in each of two regions,
// one demand point each, one site in each region; minutes equal km.
//
//	region 28: A [0, 10] km, 1,000 people at 5; B [10, 20], 1,000 at 15
//	region 32: C [100, 110], 2,000 at 105; D [110, 120], 500 at 115
//	sites:     S1 at 2 (in A), S2 at 112 (in D)
//
//	trips: A 3, B 13, C 7, D 3 minutes; threshold 10 min: B is beyond.
//	region 28: 2,000 people, 1 site (5 per 10k), mean (3+13)/2 = 8 min,
//	           beyond 1,000 (share 0.5)
//	region 32: 2,500 people, 1 site (4 per 10k), mean (2000·7+500·3)/2500
//	           = 6.2 min, beyond 0
//	total:     4,500 people, 2 sites, mean 31,500/4,500 = 7 min, beyond 1,000
func twoRegions(extra ...Site) (*Model, Params) {
	region := func(c Commune, code, name string) Commune {
		c.Region, c.RegionName = code, name
		c.Departement = code + "D"
		return c
	}
	communes := []Commune{
		region(square("A", 0, -5, 10, 1000), "28", "Normandie"),
		region(square("B", 10, -5, 10, 1000), "28", "Normandie"),
		region(square("C", 100, -5, 10, 2000), "32", "Hauts-de-France"),
		region(square("D", 110, -5, 10, 500), "32", "Hauts-de-France"),
	}
	demand := fixedDemand{
		{Commune: 0, Point: eq(5, 0), Population: 1000},
		{Commune: 1, Point: eq(15, 0), Population: 1000},
		{Commune: 2, Point: eq(105, 0), Population: 2000},
		{Commune: 3, Point: eq(115, 0), Population: 500},
	}
	sites := append([]Site{{ID: "S1", Point: eq(2, 0)}, {ID: "S2", Point: eq(112, 0)}}, extra...)
	p := kmParams()
	p.ThresholdMin = 10
	return NewModel(communes, sites, demand), p
}

type regionWant struct {
	level, code, name                string
	pop                              float64
	sites                            int
	per10k, mean, beyond, beyondShr  float64
	rankPer10k, rankMean, rankBeyond int
}

func checkRow(t *testing.T, got Indicators, w regionWant) {
	t.Helper()
	if got.Level != w.level || got.Code != w.code || got.Name != w.name || got.Population != w.pop || got.Sites != w.sites ||
		!near(got.SitesPer10k, w.per10k, 1e-9) || !near(got.MeanMinutes, w.mean, 1e-9) ||
		got.BeyondPopulation != w.beyond || !near(got.BeyondShare, w.beyondShr, 1e-9) {
		t.Errorf("row %+v, want %+v", got, w)
	}
	if w.rankPer10k > 0 && (got.Rank[RankSitesPer10k] != w.rankPer10k || got.Rank[RankMeanMinutes] != w.rankMean ||
		got.Rank[RankBeyondShare] != w.rankBeyond) {
		t.Errorf("%s %s ranks %v, want sites_per_10k %d, mean_minutes %d, beyond_share %d",
			got.Level, got.Code, got.Rank, w.rankPer10k, w.rankMean, w.rankBeyond)
	}
}

// TestRegionsIndicators checks the per-region rows, their ranks and the
// national total of communes of two regions.
func TestRegionsIndicators(t *testing.T) {
	m, p := twoRegions()
	if !m.National() {
		t.Fatal("two regions: not national")
	}
	res := m.Compute(p)
	if len(res.Regions) != 2 {
		t.Fatalf("%d region rows, want 2: %+v", len(res.Regions), res.Regions)
	}
	checkRow(t, res.Regions[0], regionWant{LevelRegion, "28", "Normandie", 2000, 1, 5, 8, 1000, 0.5, 1, 2, 2})
	checkRow(t, res.Regions[1], regionWant{LevelRegion, "32", "Hauts-de-France", 2500, 1, 4, 6.2, 0, 0, 2, 1, 1})
	checkRow(t, res.Region, regionWant{LevelNational, NationalCode, NationalNameSome, 4500, 2, 2.0 / 4500 * 1e4, 7, 1000, 1000.0 / 4500, 1, 1, 1})
	if !near(res.Regions[0].P90Minutes, 13, 1e-9) || !near(res.Regions[1].P90Minutes, 7, 1e-9) || !near(res.Region.P90Minutes, 13, 1e-9) {
		t.Errorf("p90 minutes %v, %v, total %v; want 13, 7, 13", res.Regions[0].P90Minutes, res.Regions[1].P90Minutes, res.Region.P90Minutes)
	}

	all, _ := twoRegions()
	all.NameNational(NationalNameAll)
	if r := all.Compute(p).Region; r.Name != NationalNameAll {
		t.Errorf("named national total %q, want %q", r.Name, NationalNameAll)
	}
}

// TestRegionsDetail checks the portraits of a region and of the national
// total, and the levels that have none.
func TestRegionsDetail(t *testing.T) {
	m, p := twoRegions()
	for _, tc := range []struct {
		level, code string
		ok          bool
		pop         float64
		bins        map[int]float64 // histogram bin → population
	}{
		{LevelRegion, "28", true, 2000, map[int]float64{0: 1000, 2: 1000}},
		{LevelRegion, "32", true, 2500, map[int]float64{0: 500, 1: 2000}},
		{LevelNational, "FR", true, 4500, map[int]float64{0: 1500, 1: 2000, 2: 1000}},
		{LevelNational, "", true, 4500, map[int]float64{0: 1500, 1: 2000, 2: 1000}},
		{LevelRegion, "", false, 0, nil},
		{LevelRegion, "11", false, 0, nil},
	} {
		d, ok := m.Detail(p, tc.level, tc.code)
		if ok != tc.ok {
			t.Errorf("Detail(%s, %q) found %v, want %v", tc.level, tc.code, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if d.Population != tc.pop || d.Coverage[len(d.Coverage)-1].Population != tc.pop {
			t.Errorf("Detail(%s, %q): population %v, coverage at 60 min %v, want %v", tc.level, tc.code, d.Population, d.Coverage[len(d.Coverage)-1].Population, tc.pop)
		}
		for b, bin := range d.Histogram {
			if bin.Population != tc.bins[b] {
				t.Errorf("Detail(%s, %q): bin %d holds %v, want %v", tc.level, tc.code, b, bin.Population, tc.bins[b])
			}
		}
	}
}

// TestRegionsPriorities ranks the regions by their people beyond the
// threshold.
func TestRegionsPriorities(t *testing.T) {
	m, p := twoRegions()
	rows, _, err := m.Priorities(context.Background(), p, LevelRegion)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Code != "28" || rows[0].Rank != 1 || rows[0].Weighted != 1000 || rows[0].Name != "Normandie" ||
		rows[1].Code != "32" || rows[1].Rank != 2 || rows[1].Weighted != 0 || rows[1].Level != LevelRegion {
		t.Errorf("priorities %+v, want 28 (1,000 beyond) then 32 (none)", rows)
	}
}

// TestRegionsScenario checks that a scenario's incremental result recounts
// the region it touches, like a full computation with the added site.
func TestRegionsScenario(t *testing.T) {
	add := Site{ID: "S3", Point: eq(15, 0)}
	m, p := twoRegions()
	sc := m.Scenario(p, Scenario{Add: []Site{add}})
	full, _ := twoRegions(add)
	want := full.Compute(p)
	for g := range want.Regions {
		w, got := want.Regions[g], sc.After.Regions[g]
		checkRow(t, got, regionWant{w.Level, w.Code, w.Name, w.Population, w.Sites, w.SitesPer10k, w.MeanMinutes, w.BeyondPopulation, w.BeyondShare,
			w.Rank[RankSitesPer10k], w.Rank[RankMeanMinutes], w.Rank[RankBeyondShare]})
		if got.P90Minutes != w.P90Minutes {
			t.Errorf("region %s p90 %v, want %v", w.Code, got.P90Minutes, w.P90Minutes)
		}
	}
	// Region 28 is now 1.5 min on average with 2 sites, nobody beyond.
	checkRow(t, sc.After.Regions[0], regionWant{LevelRegion, "28", "Normandie", 2000, 2, 10, 1.5, 0, 0, 1, 1, 1})
	if sc.Total.Sites != 1 || sc.Total.BeyondPopulation != -1000 {
		t.Errorf("total delta %+v, want one site more and 1,000 people fewer beyond", sc.Total)
	}
}

// TestOneRegionUnchanged checks that communes of one region keep today's
// result: a region total named after the region, one region row equal to
// it, no national level and no priorities by region.
func TestOneRegionUnchanged(t *testing.T) {
	m, p := twoRegions()
	communes := m.Communes()[:2] // region 28 only
	one := NewModel(communes, []Site{{ID: "S1", Point: eq(2, 0)}}, fixedDemand{
		{Commune: 0, Point: eq(5, 0), Population: 1000},
		{Commune: 1, Point: eq(15, 0), Population: 1000},
	})
	if one.National() {
		t.Fatal("one region: national")
	}
	res := one.Compute(p)
	checkRow(t, res.Region, regionWant{LevelRegion, "28", "Normandie", 2000, 1, 5, 8, 1000, 0.5, 1, 1, 1})
	if len(res.Regions) != 1 || res.Regions[0].Code != "28" || res.Regions[0].Population != res.Region.Population ||
		res.Regions[0].MeanMinutes != res.Region.MeanMinutes || res.Regions[0].P90Minutes != res.Region.P90Minutes {
		t.Errorf("region rows %+v, want the total %+v", res.Regions, res.Region)
	}
	if d, ok := one.Detail(p, LevelRegion, ""); !ok || d.Population != 2000 {
		t.Errorf("Detail(region, \"\") = %v, %v; want the region's 2,000 people", d, ok)
	}
	if _, ok := one.Detail(p, LevelNational, "FR"); ok {
		t.Error("one region has a national portrait")
	}
	if _, _, err := one.Priorities(context.Background(), p, LevelRegion); err == nil {
		t.Error("one region: priorities by region accepted")
	}
	unnamed := append([]Commune(nil), communes...)
	for i := range unnamed {
		unnamed[i].RegionName = ""
	}
	if r := NewModel(unnamed, nil, nil).Compute(p).Region; r.Name != "Région" || r.Code != "28" {
		t.Errorf("unnamed region total %s %q, want 28 \"Région\"", r.Code, r.Name)
	}
}
