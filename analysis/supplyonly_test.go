package analysis

import (
	"math"
	"testing"
)

// TestSupplyOnlySite: a place of a neighbouring region just past the
// region's edge (1 km east of commune C, within the snapping distance)
// shortens the trips of C's inhabitants and empties its white zone, but is
// counted in no territory; the same place without the flag is snapped into
// C and counted there.
func TestSupplyOnlySite(t *testing.T) {
	communes := []Commune{square("A", 0, 0, 10, 1000), square("B", 10, 0, 10, 2000), square("C", 20, 0, 10, 4000)}
	neighbour := Site{ID: "N", Point: eq(31, 5), SupplyOnly: true}
	with := NewModel(communes, []Site{{ID: "S", Point: eq(5, 5)}, neighbour}, Grid{CellMeters: 5000}).Compute(kmParams())
	without := threeSquares().Compute(kmParams())

	c := with.Communes[2]
	if c.Sites != 0 || with.Region.Sites != 1 {
		t.Errorf("sites counted: commune C %d, region %d; want 0 and 1 (the neighbour counts nowhere)", c.Sites, with.Region.Sites)
	}
	// C's demand points at x = 22.5 and 27.5 km are now 8.9 and 4.3 km
	// from the neighbour (2.5 km off its row).
	want := (math.Hypot(8.5, 2.5) + math.Hypot(3.5, 2.5)) / 2
	if !near(c.MeanKm, want, 1e-3) {
		t.Errorf("C mean %.4f km, want %.4f", c.MeanKm, want)
	}
	if c.BeyondPopulation != 0 || without.Communes[2].BeyondPopulation != 2000 {
		t.Errorf("C beyond %v with the neighbour, %v without; want 0 and 2000", c.BeyondPopulation, without.Communes[2].BeyondPopulation)
	}
	if with.Region.BeyondPopulation >= without.Region.BeyondPopulation {
		t.Errorf("region white zone %v with the neighbour, %v without", with.Region.BeyondPopulation, without.Region.BeyondPopulation)
	}

	counted := neighbour
	counted.SupplyOnly = false
	snapped := NewModel(communes, []Site{{ID: "S", Point: eq(5, 5)}, counted}, Grid{CellMeters: 5000}).Compute(kmParams())
	if snapped.Communes[2].Sites != 1 {
		t.Errorf("without the flag the place 1 km outside is snapped into C: %d sites", snapped.Communes[2].Sites)
	}
}
