package generation

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cartonum/cartonum/analysis"
)

// CSVColumns returns the columns of the indicators CSV: the territory, the
// figures of analysis.Fields, their ranks, then the parameters used.
func CSVColumns() []string {
	cols := []string{"niveau", "code", "nom"}
	for _, f := range analysis.Fields {
		cols = append(cols, f.CSV)
	}
	for _, f := range analysis.Fields {
		if f.RankCSV != "" {
			cols = append(cols, f.RankCSV)
		}
	}
	return append(cols, "seuil_min", "vitesse_kmh", "detour", "services", "dispositifs")
}

// WriteCSV writes indicators as CSV (CSVColumns), each row recording the
// parameters used.
func WriteCSV(w io.Writer, p analysis.Params, rows []analysis.Indicators) error {
	return IndicatorsTable(p, rows).Write(w, FormatCSV, nil)
}

// IndicatorsTable is the indicators as a table (the columns of CSVColumns).
func IndicatorsTable(p analysis.Params, rows []analysis.Indicators) Table {
	t := Table{Sheet: "Indicateurs", Columns: CSVColumns()}
	for i := range rows {
		in := &rows[i]
		rec := []any{in.Level, in.Code, in.Name}
		for _, f := range analysis.Fields {
			rec = append(rec, Num{f.Value(in), f.Digits})
		}
		for _, f := range analysis.Fields {
			if f.RankCSV != "" {
				rec = append(rec, in.Rank[f.Rank])
			}
		}
		rec = append(rec, Num{p.ThresholdMin, 1}, Num{p.SpeedKmh, 1}, Num{p.Circuity, 2},
			strings.Join(p.Services, "|"), strings.Join(p.Dispositifs, "|"))
		t.Rows = append(t.Rows, rec)
	}
	return t
}

// Num is a number written with a fixed count of decimals.
type Num struct {
	V      float64
	Digits int
}

// Table is a sheet of an export: its name (for .xlsx), its columns and its
// rows, whose cells are string, int, bool or Num.
type Table struct {
	Sheet   string
	Columns []string
	Rows    [][]any
}

// The formats of a table export.
const (
	// FormatCSV is RFC 4180 CSV: comma separator, decimal point, UTF-8
	// without BOM (for programs).
	FormatCSV = "csv"
	// FormatCSVExcel is the CSV French spreadsheet software opens as is:
	// semicolon separator, decimal comma, UTF-8 with a byte order mark.
	FormatCSVExcel = "csv-excel"
	// FormatXLSX is an Office Open XML workbook: the table, then a
	// "Paramètres" sheet.
	FormatXLSX = "xlsx"
)

// Formats lists the table formats, for error messages.
var Formats = []string{FormatCSV, FormatCSVExcel, FormatXLSX}

// Param is one line of the "Paramètres" sheet of an .xlsx export.
type Param struct {
	Name  string
	Value any
}

// Write writes the table in a format; params fill the "Paramètres" sheet
// of the .xlsx format (the CSV formats record the parameters in columns).
func (t Table) Write(w io.Writer, format string, params []Param) error {
	switch format {
	case FormatCSV, "":
		return t.writeCSV(w, ',', '.')
	case FormatCSVExcel:
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
		return t.writeCSV(w, ';', ',')
	case FormatXLSX:
		return t.writeXLSX(w, params)
	}
	return fmt.Errorf("format %q inconnu", format)
}

func cellText(v any, decimal byte) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		if x {
			return "oui"
		}
		return "non"
	case Num:
		if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
			return ""
		}
		s := strconv.FormatFloat(x.V, 'f', x.Digits, 64)
		if decimal != '.' {
			s = strings.Replace(s, ".", string(decimal), 1)
		}
		return s
	}
	return fmt.Sprint(v)
}

func (t Table) writeCSV(w io.Writer, sep rune, decimal byte) error {
	cw := csv.NewWriter(w)
	cw.Comma = sep
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, v := range row {
			rec = append(rec, cellText(v, decimal))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ParamsSheet is the name of the parameters sheet of an .xlsx export.
const ParamsSheet = "Paramètres"

func (t Table) writeXLSX(w io.Writer, params []Param) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// One number format per count of decimals ("0.00"); Excel shows it
	// with the reader's decimal separator.
	styles := map[int]int{}
	numStyle := func(digits int) (int, error) {
		if id, ok := styles[digits]; ok {
			return id, nil
		}
		code := "0"
		if digits > 0 {
			code += "." + strings.Repeat("0", digits)
		}
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		styles[digits] = id
		return id, err
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case Num:
				if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
					cells[i] = nil
					continue
				}
				id, err := numStyle(x.Digits)
				if err != nil {
					return err
				}
				p := math.Pow(10, float64(x.Digits))
				cells[i] = excelize.Cell{StyleID: id, Value: math.Round(x.V*p) / p}
			case bool:
				cells[i] = cellText(x, ',')
			default:
				cells[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if len(t.Rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
		if err := f.AutoFilter(t.Sheet, "A1:"+last, nil); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(ParamsSheet); err != nil {
		return err
	}
	if err := f.SetSheetRow(ParamsSheet, "A1", &[]any{excelize.Cell{StyleID: bold, Value: "Paramètre"}, excelize.Cell{StyleID: bold, Value: "Valeur"}}); err != nil {
		return err
	}
	for i, p := range params {
		v := p.Value
		if n, ok := v.(Num); ok {
			v = n.V
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(ParamsSheet, cell, &[]any{p.Name, v}); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(ParamsSheet, "A", "A", 48); err != nil {
		return err
	}
	if err := f.SetColWidth(ParamsSheet, "B", "B", 60); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
