package generation

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/cartonum/cartonum/analysis"
)

// TestExcelCSV: the spreadsheet variant starts with a byte order mark,
// separates with ";" and writes decimal commas, the rest unchanged.
func TestExcelCSV(t *testing.T) {
	g := build(t, 1)
	res := g.Model().Compute(analysis.DefaultParams())
	rows, _ := g.Rows(res, analysis.LevelEPCI)
	var buf bytes.Buffer
	if err := IndicatorsTable(res.Params, rows).Write(&buf, FormatCSVExcel, nil); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	if !bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", raw[:8])
	}
	r := csv.NewReader(bytes.NewReader(raw[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 || len(recs[0]) != len(CSVColumns()) {
		t.Fatalf("CSV %v %v", recs, err)
	}
	if recs[0][0] != "niveau" || recs[1][2] != "Amiens Métropole" || recs[1][18] != "20,0" || recs[1][20] != "1,30" {
		t.Errorf("row %q", recs[1])
	}
	for i, v := range recs[1] {
		if strings.Contains(v, ".") && recs[0][i] != "nom" {
			t.Errorf("column %s: %q has a decimal point", recs[0][i], v)
		}
	}
}

// TestXLSX opens the workbook with excelize: the table's sheet with its
// header and numbers as numbers, and the parameters sheet.
func TestXLSX(t *testing.T) {
	g := build(t, 1)
	res := g.Model().Compute(analysis.DefaultParams())
	rows, _ := g.Rows(res, analysis.LevelEPCI)
	var buf bytes.Buffer
	params := []Param{{"Seuil de la zone blanche (minutes)", Num{20, 0}}, {"Version des données", 7}}
	if err := IndicatorsTable(res.Params, rows).Write(&buf, FormatXLSX, params); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Indicateurs" || got[1] != ParamsSheet {
		t.Fatalf("sheets %q", got)
	}
	xrows, err := f.GetRows("Indicateurs")
	if err != nil || len(xrows) != 2 || xrows[0][2] != "nom" || xrows[1][2] != "Amiens Métropole" {
		t.Fatalf("rows %q %v", xrows, err)
	}
	// A number cell has no type attribute (or "n"), never a string.
	typ, err := f.GetCellType("Indicateurs", "D2")
	if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
		t.Errorf("population cell type %v %v, want a number", typ, err)
	}
	if v, _ := f.GetCellValue("Indicateurs", "D2", excelize.Options{RawCellValue: true}); v == "" || strings.ContainsAny(v, ", ") {
		t.Errorf("population raw value %q", v)
	}
	if v, _ := f.GetCellValue("Indicateurs", "S2", excelize.Options{RawCellValue: true}); v != "20" {
		t.Errorf("seuil_min = %q, want 20", v)
	}
	if v, _ := f.GetCellValue(ParamsSheet, "B3"); v != "7" {
		t.Errorf("data version = %q", v)
	}
	if v, _ := f.GetCellValue(ParamsSheet, "A2"); v != "Seuil de la zone blanche (minutes)" {
		t.Errorf("A2 = %q", v)
	}
}
