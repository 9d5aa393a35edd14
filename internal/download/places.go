package download

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// placeColumns are the columns the v1 schema of the national standard
// requires; a file without them is not a places file of the standard.
var placeColumns = []string{"id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"}

// places downloads the national places CSV, as published, into the file
// bound for dest, after checking that it parses as a CSV of the standard. It
// keeps every place: telling those of the région apart needs the coordinates
// and the commune contours, which the import does.
func (f *fetcher) places(ctx context.Context, st *stage, placesURL string, rc *regionCommunes, dest string) error {
	tf, err := st.create(dest)
	if err != nil {
		return err
	}
	if err := f.getInto(ctx, tf, placesURL, acceptCSV); err != nil {
		return err
	}
	stats, err := checkPlaces(tf.f, rc)
	if err != nil {
		return fmt.Errorf("GET %s: %w", placesURL, err)
	}
	if stats.ragged > 0 {
		f.log.Warn("places rows with a wrong number of fields", "count", stats.ragged)
	}
	f.log.Info("places", "rows", stats.rows, "in_region_by_code", stats.inRegion)
	return nil
}

// placeStats summarises a places file.
type placeStats struct {
	rows     int // data rows
	ragged   int // rows whose field count differs from the header's
	inRegion int // rows whose code_insee, or else postcode, is in the région
}

// checkPlaces parses the CSV in r, quotes strictly as RFC 4180 wants (a lax
// reader would swallow the rest of the file into the field of a stray
// quote): a header with the required columns, then at least one row.
func checkPlaces(r io.Reader, rc *regionCommunes) (placeStats, error) {
	var st placeStats
	cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return st, invalidData("places CSV is empty")
	}
	if err != nil {
		return st, invalidData("places CSV header: %v", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[h] = i
	}
	var missing []string
	for _, c := range placeColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return st, invalidData("places CSV lacks column(s) %s (not the v1 standard, or not comma-separated?)", strings.Join(missing, ", "))
	}
	nfields := len(header)
	insee, hasInsee := col["code_insee"]
	postcode := col["code_postal"]
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, invalidData("places CSV: %v", err)
		}
		st.rows++
		if len(rec) != nfields {
			st.ragged++
			continue
		}
		if hasInsee && rec[insee] != "" {
			if rc.codes[rec[insee]] {
				st.inRegion++
			}
		} else if rc.departements[postcodeDepartement(rec[postcode])] {
			st.inRegion++
		}
	}
	if st.rows == 0 {
		return st, invalidData("places CSV has a header and no rows")
	}
	return st, nil
}

// postcodeDepartement guesses the département of a postcode, restoring a
// lost leading zero; Corsica (20xxx) is not told apart.
func postcodeDepartement(pc string) string {
	pc = strings.TrimSpace(pc)
	if len(pc) == 4 {
		pc = "0" + pc
	}
	if len(pc) != 5 {
		return ""
	}
	if strings.HasPrefix(pc, "97") {
		return pc[:3]
	}
	return pc[:2]
}
