package sqlite

import (
	"context"
	"math"
	"testing"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// TestGridReplace: an import replaces every cell, records its report and
// bumps the data version; one that fails leaves everything as it was.
func TestGridReplace(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	v, cells, err := db.GridCells(ctx)
	if err != nil || len(cells) != 0 {
		t.Fatalf("before any import: %d cells, %v", len(cells), err)
	}
	first := []cartonum.GridCell{
		{Idcar: "CRS3035RES200MN3004200E3768600", Commune: "80021", Lon: 2.298858, Lat: 49.890145, Ind: 100, Men: 40, MenPauv: 10, Elderly: 20, Poor: 25},
		{Idcar: "CRS3035RES200MN3002400E3775800", Commune: "80001", Lon: 2.401156, Lat: 49.880797, Ind: 30, Men: 12, MenPauv: 6, Elderly: 4, Poor: 15},
	}
	rep := cartonum.GridImport{File: "f.csv", Rows: 3, Imported: 2, Rejected: 1, Communes: 2, Population: 130,
		Rejects: []cartonum.GridReject{{Line: 4, Reason: "Ind « x » n'est pas un nombre"}}}
	id, err := db.ReplaceGrid(ctx, first, rep)
	if err != nil {
		t.Fatal(err)
	}
	v1, got, err := db.GridCells(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v+1 {
		t.Errorf("data version %d after the import, want %d", v1, v+1)
	}
	// Ordered by commune, then identifier.
	if len(got) != 2 || got[0] != first[1] || got[1] != first[0] {
		t.Errorf("cells %+v", got)
	}
	imports, err := db.GridImports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 1 || imports[0].ID != id || imports[0].Rejected != 1 || len(imports[0].Rejects) != 1 || imports[0].Rejects[0].Line != 4 {
		t.Errorf("imports %+v", imports)
	}

	bad := []cartonum.GridCell{{Idcar: "A", Commune: "80021", Ind: 1}, {Idcar: "B", Commune: "80021", Ind: math.NaN()}}
	if _, err := db.ReplaceGrid(ctx, bad, cartonum.GridImport{File: "bad.csv"}); err == nil {
		t.Fatal("a NaN count was stored")
	}
	dup := []cartonum.GridCell{{Idcar: "A", Commune: "80021", Ind: 1}, {Idcar: "A", Commune: "80021", Ind: 2}}
	if _, err := db.ReplaceGrid(ctx, dup, cartonum.GridImport{File: "dup.csv"}); err == nil {
		t.Fatal("a duplicate identifier was stored")
	}
	v2, after, err := db.GridCells(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imports, _ = db.GridImports(ctx)
	if v2 != v1 || len(after) != 2 || after[0] != first[1] || len(imports) != 1 {
		t.Errorf("a failed import changed the store: version %d→%d, %d cells, %d imports", v1, v2, len(after), len(imports))
	}
}
