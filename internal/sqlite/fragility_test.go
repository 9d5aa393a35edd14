package sqlite

import (
	"context"
	"math"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

func TestFragilityReplace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	mustApply(t, db, Batch{Communes: []cartonum.Commune{testCommune("80021"), testCommune("02691")}})
	v0 := mustVersion(t, db)

	id, err := db.ReplaceFragility(ctx, []cartonum.FragilityScore{{Code: "80021", Score: 6.5, Units: 3}},
		cartonum.FragilityImport{File: "ifn.csv", Level: "iris", CodeCol: "Code Iris", ScoreCol: "SCORE", Rows: 4, Imported: 3, Rejected: 1, Communes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if v := mustVersion(t, db); v != v0+1 {
		t.Errorf("data version %d after the import, want %d", v, v0+1)
	}
	cs, err := db.Communes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, c := range cs {
		got[c.Code] = c.Fragility
	}
	if got["80021"] != 6.5 || got["02691"] != 0 {
		t.Errorf("communes' fragility %v, want 80021: 6.5 and 02691: 0 (unknown)", got)
	}
	imports, err := db.FragilityImports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 1 || imports[0].ID != id || imports[0].Rejected != 1 || imports[0].CodeCol != "Code Iris" {
		t.Errorf("imports %+v", imports)
	}

	// A failed import (a score that is not a number) changes nothing.
	before := dump(t, db)
	if _, err := db.ReplaceFragility(ctx, []cartonum.FragilityScore{{Code: "02691", Score: 2}, {Code: "80021", Score: math.NaN()}},
		cartonum.FragilityImport{File: "bad.csv", Level: "commune"}); err == nil {
		t.Fatal("a NaN score was stored")
	}
	if after := dump(t, db); after != before {
		t.Errorf("a failed import changed the database:\n%s\n---\n%s", before, after)
	}

	// The next import replaces every score.
	if _, err := db.ReplaceFragility(ctx, []cartonum.FragilityScore{{Code: "02691", Score: 4}},
		cartonum.FragilityImport{File: "b.csv", Level: "commune"}); err != nil {
		t.Fatal(err)
	}
	scores, err := db.Fragility(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 1 || scores["02691"] != 4 {
		t.Errorf("scores after the second import %v, want only 02691: 4", scores)
	}
}
