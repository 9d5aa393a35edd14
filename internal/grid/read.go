package grid

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	_ "github.com/mattn/go-sqlite3" // reads GeoPackages
)

// Columns are the columns a grid file must have (in any case).
var Columns = []string{"idcar_200m", "ind", "men", "men_pauv", "ind_65_79", "ind_80p"}

// optional columns: lcog_geo lists the communes a square straddles.
const colLcog = "lcog_geo"

// record is one data row of a grid file: its line (CSV, the header being
// line 1) or feature number (GeoPackage), and the values of Columns and of
// lcog_geo ("" when absent), as text.
type record struct {
	line   int
	values [7]string
	err    string // a row that cannot be read at all
}

// ErrFormat is a file that is not a grid file: unreadable, or without the
// columns of the official format.
var ErrFormat = errors.New("fichier carroyé illisible")

// readFile calls fn with every data row of the file at path, a CSV or a
// GeoPackage (recognised by its content).
func readFile(ctx context.Context, path string, fn func(*record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(16)
	if bytes.Equal(head, []byte("SQLite format 3\x00")) {
		f.Close()
		return readGeoPackage(ctx, path, fn)
	}
	return readCSV(ctx, br, fn)
}

// readCSV reads the official CSV: `,` or `;` separated (the separator is
// the one of the header line), quoted or not, with or without a BOM.
func readCSV(ctx context.Context, br *bufio.Reader, fn func(*record) error) error {
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	first = bytes.TrimPrefix(first, []byte("\ufeff"))
	if i := bytes.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	comma := ','
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		comma = ';'
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%w : en-tête absent (%v)", ErrFormat, err)
	}
	at, err := columnIndex(header)
	if err != nil {
		return err
	}
	for n := 0; ; n++ {
		if n%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		fields, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		rec := record{line: line}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rec.line = pe.StartLine
			rec.err = "ligne CSV illisible : " + pe.Err.Error()
			if err := fn(&rec); err != nil {
				return err
			}
			continue
		} else if err != nil {
			return err
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue // blank line
		}
		if len(fields) != len(header) {
			rec.err = fmt.Sprintf("%d champs au lieu de %d", len(fields), len(header))
		} else {
			for k, i := range at {
				if i >= 0 {
					rec.values[k] = strings.TrimSpace(fields[i])
				}
			}
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
}

// columnIndex maps Columns and lcog_geo to their position in header
// (-1 for an absent lcog_geo), or fails naming the missing columns.
func columnIndex(header []string) ([7]int, error) {
	var at [7]int
	names := append(slices.Clone(Columns), colLcog)
	var missing []string
	for k, want := range names {
		at[k] = -1
		for i, h := range header {
			if strings.EqualFold(strings.Trim(strings.TrimSpace(h), `"'`), want) {
				at[k] = i
				break
			}
		}
		if at[k] < 0 && want != colLcog {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return at, fmt.Errorf("%w : colonne(s) absente(s) %s (attendu le fichier Filosofi des carreaux de 200 m : %s)",
			ErrFormat, strings.Join(missing, ", "), strings.Join(Columns, ", "))
	}
	return at, nil
}

// readGeoPackage reads the features table of an official GeoPackage
// (Filosofi…_carreaux_200m_met.gpkg): only its attribute columns, the
// square being named by Idcar_200m. Rows are numbered in fid order.
func readGeoPackage(ctx context.Context, path string, fn func(*record) error) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1&_query_only=1")
	if err != nil {
		return err
	}
	defer db.Close()
	var tables []string
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM gpkg_contents WHERE data_type IN ('features', 'attributes') ORDER BY table_name`)
	if err != nil {
		return fmt.Errorf("%w : GeoPackage sans table gpkg_contents (%v)", ErrFormat, err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var lastErr error = fmt.Errorf("%w : GeoPackage sans table", ErrFormat)
	for _, t := range tables {
		cols, err := tableColumns(ctx, db, t)
		if err != nil {
			return err
		}
		at, err := columnIndex(cols)
		if err != nil {
			lastErr = fmt.Errorf("table %s : %w", t, err)
			continue
		}
		return readTable(ctx, db, t, cols, at, fn)
	}
	return lastErr
}

func tableColumns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func readTable(ctx context.Context, db *sql.DB, table string, cols []string, at [7]int, fn func(*record) error) error {
	var sel []string
	for _, i := range at {
		if i >= 0 {
			sel = append(sel, `"`+strings.ReplaceAll(cols[i], `"`, `""`)+`"`)
		} else {
			sel = append(sel, "NULL")
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT `+strings.Join(sel, ", ")+` FROM "`+strings.ReplaceAll(table, `"`, `""`)+`" ORDER BY rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, 7)
	ptrs := make([]any, 7)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		n++
		rec := record{line: n}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for k, v := range vals {
			switch v := v.(type) {
			case nil:
			case []byte:
				rec.values[k] = strings.TrimSpace(string(v))
			case string:
				rec.values[k] = strings.TrimSpace(v)
			case int64:
				rec.values[k] = strconv.FormatInt(v, 10)
			case float64:
				rec.values[k] = strconv.FormatFloat(v, 'g', -1, 64)
			default:
				rec.values[k] = fmt.Sprint(v)
			}
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
	return rows.Err()
}
