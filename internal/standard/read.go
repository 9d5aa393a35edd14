// Package standard reads, repairs, deduplicates and writes places in the
// national standard of digital-inclusion places ("schéma des lieux de
// médiation numérique"): v1.0.2 CSV and the older v0.1 JSON or CSV files,
// all normalised to the v1.0.2 model, with every input row accounted for.
package standard

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// MaxFileSize bounds what Read accepts, so that no input exhausts memory.
const MaxFileSize = 256 << 20

// Record is one input row: its line in the file (1-based, the line where
// the row starts) and its values by normalised column name.
type Record struct {
	Line   int
	Fields map[string]string
	// Problem, when set, is why the row could not be read as a record
	// (wrong field count, not an object…); the row is then rejected.
	Problem string
}

// Source is a places file as read, before any validation.
type Source struct {
	Name     string
	Format   string // "csv" or "json"
	Schema   string // "1.0.2" or "0.1"
	Encoding string // "utf-8", "utf-8 (BOM)", "utf-16", "windows-1252"
	// Delimiter is the CSV field delimiter (empty for JSON).
	Delimiter string
	Columns   []string
	// Ignored lists the columns that are not part of any schema version.
	Ignored []string
	Records []Record
}

// ErrUnreadable is wrapped by every error that makes a whole file unusable.
var ErrUnreadable = errors.New("fichier de lieux illisible")

func unreadable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnreadable, fmt.Sprintf(format, args...))
}

// Read reads a places file in any supported format, encoding and schema
// version. It fails only when the file as a whole cannot be used (empty,
// not CSV or JSON, a header without the standard's columns, broken JSON);
// rows that cannot be read are returned with their Problem set.
func Read(name string, r io.Reader) (*Source, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("lecture de %s : %w", name, err)
	}
	if len(b) > MaxFileSize {
		return nil, unreadable("%s dépasse %d Mo", name, MaxFileSize>>20)
	}
	src := &Source{Name: name}
	text, enc := decode(b)
	src.Encoding = enc
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if trimmed == "" {
		return nil, unreadable("%s est vide", name)
	}
	if trimmed[0] == '[' || trimmed[0] == '{' {
		src.Format = "json"
		err = readJSON(src, text)
	} else {
		src.Format = "csv"
		err = readCSV(src, text)
	}
	if err != nil {
		return nil, err
	}
	if len(src.Records) == 0 {
		return nil, unreadable("%s ne contient aucune ligne", name)
	}
	return src, nil
}

// decode returns the text of b as UTF-8 and the name of its encoding: a
// UTF-8 or UTF-16 byte-order mark wins, valid UTF-8 is taken as is, and
// anything else is read as Windows-1252 (a superset of Latin-1 for the
// characters French uses), as spreadsheet software exports it.
func decode(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD"), "utf-8 (BOM)"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		little := b[0] == 0xFF
		b = b[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			if little {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(u)), "utf-16"
	case utf8.Valid(b):
		return string(b), "utf-8"
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), "utf-8 (invalid bytes replaced)"
	}
	return string(s), "windows-1252"
}

// columnAliases maps normalised header names of every schema version to the
// names Normalize reads. v0.1 names are kept as their own keys when their
// values need a mapping (services, labels, publics…).
var columnAliases = map[string]string{
	"lat": "latitude", "lng": "longitude", "lon": "longitude", "long": "longitude",
	"courriel": "courriels", "email": "courriels", "e_mail": "courriels",
	"accessibilite":     "fiche_acces_libre",
	"conditions_access": "conditions_acces",
	"code_commune":      "code_insee", "insee": "code_insee",
	"cp": "code_postal", "codepostal": "code_postal",
	"siret":            "pivot",
	"date_mise_a_jour": "date_maj",
	"equipement":       "equipements", "qualification": "qualifications",
}

// knownColumns are every column of v1.0.2, v0.1 and Cartonum's export
// that Normalize reads, built once from ExportColumns and the v0.1 names.
var knownColumns = func() map[string]bool {
	known := map[string]bool{}
	for _, c := range ExportColumns {
		known[c] = true
	}
	for _, c := range []string{"publics_accueillis", "conditions_acces", "labels_nationaux", "labels_autres", "cle_ban"} {
		known[c] = true
	}
	return known
}()

// legacyColumns mark a file as schema v0.1.
var legacyColumns = map[string]bool{
	"courriel": true, "cle_ban": true, "publics_accueillis": true, "conditions_acces": true,
	"conditions_access": true, "labels_nationaux": true, "labels_autres": true, "accessibilite": true,
}

// normColumn turns a header cell into its normalised column name.
func normColumn(h string) string {
	h = strings.TrimSpace(strings.Trim(strings.TrimSpace(h), `"'`))
	f := cartonum.Fold(h)
	var b strings.Builder
	for _, r := range f {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '_' || r == '.':
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}

// setColumns records the columns, detects the schema version and checks
// that the header is one of a places file.
func setColumns(src *Source, raw []string) ([]string, error) {
	cols := make([]string, len(raw))
	known := 0
	legacy := false
	for i, h := range raw {
		c := normColumn(h)
		if legacyColumns[c] {
			legacy = true
		}
		if a, ok := columnAliases[c]; ok {
			c = a
		}
		cols[i] = c
		if knownColumns[c] {
			known++
		} else if c != "" {
			src.Ignored = append(src.Ignored, h)
		}
	}
	src.Columns = cols
	src.Schema = "1.0.2"
	if legacy {
		src.Schema = "0.1"
	}
	has := func(c string) bool {
		for _, x := range cols {
			if x == c {
				return true
			}
		}
		return false
	}
	if !has("nom") || known < 4 || !(has("adresse") || has("commune") || has("latitude")) {
		return nil, unreadable("%s : l'en-tête n'est pas celui d'un fichier de lieux du standard (trouvé %q ; colonnes attendues : id, nom, commune, code_postal, adresse, latitude, longitude, date_maj…)", src.Name, strings.Join(raw, ","))
	}
	return cols, nil
}

func readCSV(src *Source, text string) error {
	delim := sniffDelimiter(text)
	src.Delimiter = string(delim)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return unreadable("%s : en-tête CSV illisible : %v", src.Name, err)
	}
	cols, err := setColumns(src, header)
	if err != nil {
		return err
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if err != nil && errors.As(err, &pe) {
			src.Records = append(src.Records, Record{Line: pe.StartLine, Problem: "ligne CSV illisible : " + pe.Err.Error()})
			continue
		} else if err != nil {
			return fmt.Errorf("lecture de %s : %w", src.Name, err)
		}
		if blank(row) {
			continue // blank line, or only delimiters as spreadsheets export: not a row
		}
		line, _ := cr.FieldPos(0)
		rec := Record{Line: line, Fields: make(map[string]string, len(cols))}
		if len(row) != len(cols) {
			rec.Problem = fmt.Sprintf("%d champs au lieu des %d de l'en-tête", len(row), len(cols))
		}
		for i, v := range row {
			if i < len(cols) && cols[i] != "" && knownColumns[cols[i]] {
				if _, dup := rec.Fields[cols[i]]; !dup || rec.Fields[cols[i]] == "" {
					rec.Fields[cols[i]] = v
				}
			}
		}
		src.Records = append(src.Records, rec)
	}
	return nil
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// sniffDelimiter picks the delimiter of the header line among , ; tab and |,
// counting only outside quotes.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range text {
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' {
			break
		}
		switch r {
		case ',', ';', '\t', '|':
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{',', ';', '\t', '|'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

// readJSON reads an array of objects, or a GeoJSON FeatureCollection whose
// features carry the fields as properties and a Point geometry.
func readJSON(src *Source, text string) error {
	lines := newLineIndex(text)
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	fail := func(err error) error {
		off := int(dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = int(se.Offset)
		}
		line := lines.at(off)
		return unreadable("%s : JSON invalide vers la ligne %d : %v", src.Name, line, err)
	}
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		// Find the "features" (GeoJSON) or "data" array.
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			key, _ := kt.(string)
			if key == "features" || key == "data" || key == "lieux" {
				found = true
				if tok, err = dec.Token(); err != nil {
					return fail(err)
				}
				break
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
		}
		if !found {
			return unreadable("%s : objet JSON sans tableau de lieux « features » ou « data »", src.Name)
		}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return unreadable("%s : un tableau JSON de lieux est attendu", src.Name)
	}
	colSet := map[string]bool{}
	var rawCols []string
	for dec.More() {
		start := int(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		line := lines.at(start + leadingSpace(text[start:]))
		rec := Record{Line: line}
		fields, problem := jsonFields(raw)
		if problem != "" {
			rec.Problem = problem
		}
		rec.Fields = map[string]string{}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
			if !colSet[k] {
				colSet[k] = true
				rawCols = append(rawCols, k)
			}
		}
		// Standard names first, then aliases, each in sorted order: a value
		// given under two names is chosen the same way on every read.
		sort.Slice(keys, func(i, j int) bool {
			_, ai := columnAliases[normColumn(keys[i])]
			_, aj := columnAliases[normColumn(keys[j])]
			if ai != aj {
				return !ai
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			v := fields[k]
			c := normColumn(k)
			if a, ok := columnAliases[c]; ok {
				c = a
			}
			if knownColumns[c] && rec.Fields[c] == "" {
				rec.Fields[c] = v
			}
		}
		src.Records = append(src.Records, rec)
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		if err == nil {
			err = fmt.Errorf("unexpected %v", tok)
		}
		return fail(fmt.Errorf("le tableau de lieux n'est pas fermé (fichier tronqué ?) : %w", err))
	}
	sort.Strings(rawCols)
	if _, err := setColumns(src, rawCols); err != nil {
		return err
	}
	return nil
}

func leadingSpace(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\n' || s[n] == '\r' || s[n] == '\t' || s[n] == ',') {
		n++
	}
	return n
}

// jsonFields flattens one JSON place into string values: lists are joined
// with "|", numbers keep their literal, a GeoJSON Feature gives its
// properties and its Point coordinates.
func jsonFields(raw json.RawMessage) (map[string]string, string) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, "l'élément n'est pas un objet JSON"
	}
	out := make(map[string]string, len(obj))
	if props, ok := obj["properties"]; ok && string(obj["type"]) == `"Feature"` {
		var p map[string]json.RawMessage
		if err := json.Unmarshal(props, &p); err == nil {
			for k, v := range p {
				out[k] = jsonString(v)
			}
		}
		var g struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		}
		if err := json.Unmarshal(obj["geometry"], &g); err == nil && g.Type == "Point" && len(g.Coordinates) >= 2 {
			if out["longitude"] == "" && out["latitude"] == "" {
				out["longitude"] = fmt.Sprint(g.Coordinates[0])
				out["latitude"] = fmt.Sprint(g.Coordinates[1])
			}
		}
		if id := jsonString(obj["id"]); id != "" && out["id"] == "" {
			out["id"] = id
		}
		return out, ""
	}
	for k, v := range obj {
		out[k] = jsonString(v)
	}
	return out, ""
}

func jsonString(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(v, &list) == nil {
			parts := make([]string, 0, len(list))
			for _, x := range list {
				if s := jsonString(x); s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, "|")
		}
	case 'n':
		return ""
	case '{':
		return "" // nested objects carry nothing of the standard
	}
	return strings.TrimSpace(string(v))
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int

func newLineIndex(s string) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (l lineIndex) at(off int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > off })
}
