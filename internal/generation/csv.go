package generation

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

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
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns()); err != nil {
		return err
	}
	num := func(x float64, prec int) string { return strconv.FormatFloat(x, 'f', prec, 64) }
	for i := range rows {
		in := &rows[i]
		rec := []string{in.Level, in.Code, in.Name}
		for _, f := range analysis.Fields {
			rec = append(rec, num(f.Value(in), f.Digits))
		}
		for _, f := range analysis.Fields {
			if f.RankCSV != "" {
				rec = append(rec, strconv.Itoa(in.Rank[f.Rank]))
			}
		}
		rec = append(rec, num(p.ThresholdMin, 1), num(p.SpeedKmh, 1), num(p.Circuity, 2),
			strings.Join(p.Services, "|"), strings.Join(p.Dispositifs, "|"))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
