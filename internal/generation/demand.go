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
	d := gridDemand{gridded: map[string]bool{}}
	d.Cells.Cells = make([]analysis.Cell, len(cells))
	for i := range cells {
		c := &cells[i]
		d.Cells.Cells[i] = analysis.Cell{Commune: c.Commune, Point: orb.Point{c.Lon, c.Lat}, Population: c.Ind, Elderly: c.Elderly, Poor: c.Poor}
		if c.Ind > 0 {
			d.gridded[c.Commune] = true
		}
	}
	return d
}

// gridDemand is the gridded population with the communes it covers.
type gridDemand struct {
	analysis.Cells
	gridded map[string]bool
}

// UniformCellMeters and GridCellMeters are the sides of the cells a demand
// point stands for: the uniform grid's (analysis.Grid's default) and
// INSEE's squares.
const (
	UniformCellMeters = 1000
	GridCellMeters    = 200
)

// CellMeters returns the side of the cells of a commune's demand points:
// GridCellMeters when its population is spread over INSEE's squares,
// UniformCellMeters otherwise.
func (g *Generation) CellMeters(commune string) float64 {
	if d, ok := g.demand.(gridDemand); ok && d.gridded[commune] {
		return GridCellMeters
	}
	return UniformCellMeters
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
func (g *Generation) Gridded() bool { return g.demand != nil }
