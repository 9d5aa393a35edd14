package analysis

import (
	"errors"
	"testing"
)

// TestCellsCalibration: a commune's cells are scaled together to its legal
// population, a commune without cells keeps the uniform spread with the
// 65+ and poor shares of its département's cells, or of all cells when its
// département has none, and cells of unknown communes or without
// inhabitants are ignored.
func TestCellsCalibration(t *testing.T) {
	a := square("A", 0, 0, 4, 1000)
	a.Departement = "D1"
	b := square("B", 4, 0, 2, 500) // 4 grid cells of 1 km
	b.Departement = "D1"
	c := square("C", 6, 0, 1, 300)
	c.Departement = "D2"
	cells := Cells{Cells: []Cell{
		{Commune: "A", Point: eq(1, 1), Population: 300, Elderly: 60, Poor: 30},
		{Commune: "A", Point: eq(3, 3), Population: 100, Elderly: 20, Poor: 10},
		{Commune: "A", Point: eq(2, 2), Population: 0, Elderly: 5},             // no inhabitant
		{Commune: "Z", Point: eq(9, 9), Population: 50, Elderly: 50},           // not a commune of ours
		{Commune: "A", Point: eq(2, 1), Population: 10, Elderly: 40, Poor: -1}, // counts clamped to [0, Population]
	}}
	pts := cells.Demand([]Commune{a, b, c})
	type sum struct {
		n                  int
		pop, elderly, poor float64
	}
	per := map[string]*sum{"A": {}, "B": {}, "C": {}}
	codes := []string{"A", "B", "C"}
	last := -1
	for _, d := range pts {
		if d.Commune < last {
			t.Fatalf("points not in commune order: %d after %d", d.Commune, last)
		}
		last = d.Commune
		s := per[codes[d.Commune]]
		s.n++
		s.pop += d.Population
		s.elderly += d.Elderly
		s.poor += d.Poor
		if d.Elderly > d.Population+1e-9 || d.Poor > d.Population+1e-9 {
			t.Errorf("point %+v: more 65+ or poor than inhabitants", d)
		}
	}
	// A: raw 410 inhabitants scaled by 1000/410; 65+ 60+20+10, poor 30+10+0.
	f := 1000.0 / 410
	// Shares of the cells: D1 (all of them) 90/410 aged 65+, 40/410 poor.
	for _, tc := range []struct {
		code               string
		n                  int
		pop, elderly, poor float64
	}{
		{"A", 3, 1000, 90 * f, 40 * f},
		{"B", 4, 500, 500 * 90 / 410.0, 500 * 40 / 410.0},
		{"C", 1, 300, 300 * 90 / 410.0, 300 * 40 / 410.0},
	} {
		s := per[tc.code]
		if s.n != tc.n || !near(s.pop, tc.pop, 1e-12) || !near(s.elderly, tc.elderly, 1e-12) || !near(s.poor, tc.poor, 1e-12) {
			t.Errorf("%s: %d points, %v inhabitants, %v aged 65+, %v poor; want %d, %v, %v, %v",
				tc.code, s.n, s.pop, s.elderly, s.poor, tc.n, tc.pop, tc.elderly, tc.poor)
		}
	}
	if pts[0].Point != eq(1, 1) || !near(pts[0].Population, 300*f, 1e-12) {
		t.Errorf("first point %+v, want the first cell of A scaled", pts[0])
	}
}

// TestCellsDepartementShare: a commune without cells takes the shares of
// its own département when it has cells.
func TestCellsDepartementShare(t *testing.T) {
	a := square("A", 0, 0, 2, 100)
	a.Departement = "D1"
	b := square("B", 2, 0, 2, 100)
	b.Departement = "D2"
	c := square("C", 4, 0, 1, 100)
	c.Departement = "D2"
	pts := Cells{Cells: []Cell{
		{Commune: "A", Point: eq(1, 1), Population: 10, Elderly: 10},
		{Commune: "B", Point: eq(3, 1), Population: 10, Poor: 5},
	}}.Demand([]Commune{a, b, c})
	var elderly, poor float64
	for _, d := range pts {
		if d.Commune == 2 {
			elderly += d.Elderly
			poor += d.Poor
		}
	}
	if elderly != 0 || !near(poor, 50, 1e-12) {
		t.Errorf("C: %v aged 65+ and %v poor, want D2's shares: 0 and 50", elderly, poor)
	}
}

// TestCellsProfiles: the profiles measure the calibrated gridded people,
// and a profile the model has no data for is refused.
func TestCellsProfiles(t *testing.T) {
	a := square("A", 0, 0, 4, 1000)
	communes := []Commune{a}
	grid := Cells{Cells: []Cell{
		{Commune: "A", Point: eq(1, 1), Population: 300, Elderly: 60, Poor: 30},
		{Commune: "A", Point: eq(3, 3), Population: 100, Elderly: 20, Poor: 10},
	}}
	m := NewModel(communes, []Site{{ID: "S", Point: eq(1, 1)}}, grid)
	for _, tc := range []struct {
		profile string
		mix     Mix
		pop     float64
	}{
		{ProfilePopulation, Mix{}, 1000},
		{ProfileElderly, Mix{}, 200},
		{ProfilePoor, Mix{}, 100},
		{ProfileMix, Mix{Population: 1, Elderly: 2, Poor: 3}, 1000 + 400 + 300},
	} {
		p := kmParams()
		p.Profile, p.Mix = tc.profile, tc.mix
		if err := m.CheckProfileData(p); err != nil {
			t.Errorf("%s: %v", tc.profile, err)
		}
		if got := m.Compute(p).Region.Population; !near(got, tc.pop, 1e-9) {
			t.Errorf("%s: population %v, want %v", tc.profile, got, tc.pop)
		}
	}

	uniform := NewModel(communes, nil, Grid{})
	for _, tc := range []struct {
		profile string
		mix     Mix
		missing string
	}{
		{ProfileElderly, Mix{}, "Elderly"},
		{ProfilePoor, Mix{}, "Poor"},
		{ProfileMix, Mix{}, "Elderly"},
		{ProfileMix, Mix{Population: 1, Poor: 1}, "Poor"},
	} {
		p := kmParams()
		p.Profile, p.Mix = tc.profile, tc.mix
		var pe *ProfileError
		if err := uniform.CheckProfileData(p); !errors.As(err, &pe) || pe.Missing != tc.missing {
			t.Errorf("%s %+v without grid: %v, want a ProfileError on %s", tc.profile, tc.mix, err, tc.missing)
		}
	}
	for _, p := range []Params{{}, {Profile: ProfilePopulation}, {Profile: ProfileMix, Mix: Mix{Population: 1}}} {
		if err := uniform.CheckProfileData(p); err != nil {
			t.Errorf("%+v without grid: %v", p, err)
		}
	}
	if err := uniform.CheckProfileData(Params{Profile: "jeunes"}); err == nil {
		t.Error("unknown profile accepted")
	}
}

// TestLocator: the exported locator finds the commune holding a point,
// snaps within the distance given, and answers -1 elsewhere.
func TestLocator(t *testing.T) {
	l := NewLocator([]Commune{square("A", 0, 0, 1, 1), square("B", 1, 0, 1, 1)})
	for _, tc := range []struct {
		x, y, snap float64
		want       int
	}{{0.5, 0.5, 0, 0}, {1.5, 0.5, 0, 1}, {2.1, 0.5, 0, -1}, {2.1, 0.5, 200, 1}, {5, 5, 200, -1}} {
		if got := l.Locate(eq(tc.x, tc.y), tc.snap); got != tc.want {
			t.Errorf("(%g, %g) snap %g: %d, want %d", tc.x, tc.y, tc.snap, got, tc.want)
		}
	}
}

func TestParseMix(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mix
		ok   bool
	}{
		{"1,2,2", Mix{1, 2, 2}, true},
		{" 0.5 , 0 , 1 ", Mix{0.5, 0, 1}, true},
		{"0,0,0", Mix{}, false},
		{"1,2", Mix{}, false},
		{"1,-1,2", Mix{}, false},
		{"1,NaN,2", Mix{}, false},
		{"1,Inf,2", Mix{}, false},
		{"a,b,c", Mix{}, false},
		{"", Mix{}, false},
	} {
		got, err := ParseMix(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseMix(%q) = %+v, %v", tc.in, got, err)
		}
	}
}
