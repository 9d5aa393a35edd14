package analysis

import "testing"

// TestDemandProfiles checks that each profile measures its own people: the
// toy of TestE2SFCAToy with 65+ and poor inhabitants, one site at 0 km and a
// 10-minute threshold (1 km a minute), so that b (13 km) and c (37 km) are
// beyond it.
func TestDemandProfiles(t *testing.T) {
	communes := []Commune{{Code: "A", Population: 100}, {Code: "B", Population: 200, Fragility: 3}, {Code: "C", Population: 300, Fragility: 1}}
	demand := fixedDemand{
		{Commune: 0, Point: eq(4, 0), Population: 100, Elderly: 10, Poor: 50},
		{Commune: 1, Point: eq(13, 0), Population: 200, Elderly: 80, Poor: 20},
		{Commune: 2, Point: eq(37, 0), Population: 300, Elderly: 30, Poor: 0},
	}
	m := NewModel(communes, []Site{{ID: "S1", Point: eq(0, 0)}}, demand)
	// Fragility: mean of known scores weighted by population = (3·200 +
	// 1·300) / 500 = 1.8, so B weighs 3/1.8 and C 1/1.8; A (unknown) 1.
	tests := []struct {
		name        string
		profile     string
		mix         Mix
		fragility   bool
		pop, beyond float64
	}{
		{"default", "", Mix{}, false, 600, 500},
		{"population", ProfilePopulation, Mix{}, false, 600, 500},
		{"65+", ProfileElderly, Mix{}, false, 120, 110},
		{"poor", ProfilePoor, Mix{}, false, 70, 20},
		{"mix default weights", ProfileMix, Mix{}, false, 790, 630},
		{"mix", ProfileMix, Mix{Population: 0, Elderly: 2, Poor: 1}, false, 310, 240},
		{"fragility", ProfilePopulation, Mix{}, true, 100 + 200*3/1.8 + 300/1.8, 200*3/1.8 + 300/1.8},
		{"65+ and fragility", ProfileElderly, Mix{}, true, 10 + 80*3/1.8 + 30/1.8, 80*3/1.8 + 30/1.8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := kmParams()
			p.ThresholdMin = 10
			p.Profile, p.Mix, p.WeightFragility = tc.profile, tc.mix, tc.fragility
			res := m.Compute(p)
			if !near(res.Region.Population, tc.pop, 1e-9) || !near(res.Region.BeyondPopulation, tc.beyond, 1e-9) {
				t.Errorf("population %v beyond %v, want %v and %v", res.Region.Population, res.Region.BeyondPopulation, tc.pop, tc.beyond)
			}
		})
	}
	if err := CheckProfile("jeunes"); err == nil {
		t.Error("unknown profile accepted")
	}
	for _, p := range append(Profiles, "") {
		if err := CheckProfile(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
}
