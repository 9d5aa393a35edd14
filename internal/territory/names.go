package territory

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// builtin holds the names table generated at build time (see
// names/README.txt); the directory always holds the README, so the binary
// builds without the table.
//
//go:embed names
var builtin embed.FS

// builtinNames is the path of the generated table inside builtin.
const builtinNames = "names/territoires.json"

// Names is a national table of territory names: what a region's communes
// file lacks to name the EPCI and départements derived from it. A zero Names
// knows no name, and derived territories are then shown by their codes.
type Names struct {
	// Source says where the table comes from, e.g.
	// "@etalab/decoupage-administratif 6.0.0".
	Source       string              `json:"source"`
	Departements map[string]string   `json:"departements"` // code → nom
	EPCI         map[string]EPCIName `json:"epci"`         // SIREN → name, type, population
}

// EPCIName is what Names knows of one EPCI.
type EPCIName struct {
	Nom  string `json:"nom"`
	Type string `json:"type"` // CA, CC, CU, METRO…
	// Population is the EPCI's municipal population, zero when unknown.
	Population int `json:"population"`
}

// ReadNames reads a names table written by web/scripts/territory-names.mjs.
func ReadNames(r io.Reader) (Names, error) {
	var n Names
	if err := json.NewDecoder(r).Decode(&n); err != nil {
		return Names{}, fmt.Errorf("names table: %w", err)
	}
	if len(n.Departements) == 0 && len(n.EPCI) == 0 {
		return Names{}, fmt.Errorf("names table: no département and no EPCI")
	}
	return n, nil
}

// BuiltinNames returns the names table embedded in the binary at build
// time, or a zero Names when the binary was built without one (plain
// `go build` before `make build`).
func BuiltinNames() (Names, error) {
	f, err := builtin.Open(builtinNames)
	if errors.Is(err, fs.ErrNotExist) {
		return Names{}, nil
	}
	if err != nil {
		return Names{}, err
	}
	defer f.Close()
	return ReadNames(f)
}
