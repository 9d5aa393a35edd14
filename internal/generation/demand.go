package generation

import (
	"errors"

	"github.com/paulmach/orb"

	"github.com/cartonum/cartonum/analysis"
	"github.com/cartonum/cartonum/internal/cartonum"
)

// Demand returns the demand source of a data version's gridded population
// (cartonum import-grid): its cells, calibrated to each commune's legal
// population, communes without cells keeping the uniform grid. It is nil,
// the model's uniform grid, when no grid was imported.
func Demand(cells []cartonum.GridCell) analysis.DemandSource {
	if len(cells) == 0 {
		return nil
	}
	out := make([]analysis.Cell, len(cells))
	for i := range cells {
		c := &cells[i]
		out[i] = analysis.Cell{Commune: c.Commune, Point: orb.Point{c.Lon, c.Lat}, Population: c.Ind, Elderly: c.Elderly, Poor: c.Poor}
	}
	return analysis.Cells{Cells: out}
}

// CheckProfile refuses a request whose demand profile is unknown (an
// error of kind cartonum.KindInvalid) or needs data the generation does
// not have: the 65+ and poor profiles need the gridded population, and
// without it the answer is an error of kind cartonum.KindConflict saying
// to import it.
func (g *Generation) CheckProfile(p analysis.Params) error {
	err := g.model.CheckProfileData(p)
	var pe *analysis.ProfileError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return cartonum.Errorf(cartonum.KindConflict, "%s", pe.Error())
	}
	return cartonum.Errorf(cartonum.KindInvalid, "%s", err.Error())
}

// Gridded reports whether the generation's demand is a gridded population
// (cartonum import-grid) rather than the uniform 1 km grid.
func (g *Generation) Gridded() bool { return g.gridded }
